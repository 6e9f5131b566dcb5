/**
 * Getting around at 3 a.m.: every dashboard links to the other dashboards of its environment and
 * to the release board, and shows the environment's deploys; a service's panels link to its
 * CloudWatch log group and to its releases on the board.
 *
 * The release board is a URL, configurable with TDR_RELEASE_BOARD_URL (for `tdr dashboards build`
 * and `publish` alike); `{env}` and `{service}` in it are filled in per link. By default it is
 * the page of the release board the nightly Jenkins job `mgmt/release-report` archives (`tdr report
 * --html`; pipelines/jenkins/jobs/report.ts RELEASE_BOARD_ARTIFACT).
 */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type { EnvironmentName } from '../services/environments';
import { PlatformError } from '../services/errors';
import { naming } from '../services/naming';
import { deployAnnotations } from './panels';

export const RELEASE_BOARD_VARIABLE = 'TDR_RELEASE_BOARD_URL';

/** The last nightly release board's archived page, on TDR's Jenkins (pipelines/jenkins/jobs/report.ts). */
export const DEFAULT_RELEASE_BOARD_URL =
  'https://jenkins.tdr-management.nationalarchives.gov.uk/job/mgmt/job/release-report/lastSuccessfulBuild/artifact/release-report.html';

export interface Navigation {
  /** The release board; `{env}` and `{service}` are replaced in each link. */
  readonly releaseBoardUrl: string;
}

export const DEFAULT_NAVIGATION: Navigation = { releaseBoardUrl: DEFAULT_RELEASE_BOARD_URL };

export class ReleaseBoardUrlError extends PlatformError {
  readonly kind = 'invalid';
  constructor(readonly value: string) {
    super(
      `${RELEASE_BOARD_VARIABLE} ${value} is not an http(s) URL (e.g. https://jenkins.example/job/mgmt/job/release-report/lastSuccessfulBuild/artifact/release-report.html; {env} and {service} are filled in)`,
    );
    this.name = 'ReleaseBoardUrlError';
  }
}

/** Navigation from the environment (TDR_RELEASE_BOARD_URL), refusing a value that is not a URL. */
export function navigationFrom(env: Readonly<Record<string, string | undefined>>): Navigation {
  const url = env[RELEASE_BOARD_VARIABLE];
  if (url === undefined || url === '') return DEFAULT_NAVIGATION;
  if (!/^https?:\/\/[^/\s]+\S*$/.test(url)) throw new ReleaseBoardUrlError(url);
  return { releaseBoardUrl: url };
}

export function releaseBoardUrl(nav: Navigation, env: EnvironmentName, service = ''): string {
  return nav.releaseBoardUrl.replaceAll('{env}', env).replaceAll('{service}', service);
}

/** The log group's page in the CloudWatch console of the account one is signed in to. */
export function logGroupUrl(region: string, logGroup: string): string {
  // The console's fragment encodes `/` as `$252F` (`%2F`, with `%` itself written `$25`).
  const encoded = logGroup.replaceAll('/', '$252F');
  return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#logsV2:log-groups/log-group/${encoded}`;
}

function link(title: string, url: string, tooltip: string, icon: string, external: boolean) {
  return new dashboard.DashboardLinkBuilder(title)
    .type(dashboard.DashboardLinkType.Link)
    .url(url)
    .tooltip(tooltip)
    .icon(icon)
    .tags([])
    .asDropdown(false)
    .targetBlank(external)
    .includeVars(false)
    .keepTime(!external);
}

/** The links on each panel of a service's row: its log group, by name, and its releases. */
export function serviceLinks(
  nav: Navigation,
  region: string,
  env: EnvironmentName,
  service: string,
): dashboard.DashboardLinkBuilder[] {
  const logGroup = naming.logGroup(service, env);
  return [
    link(
      `Logs: ${logGroup}`,
      logGroupUrl(region, logGroup),
      `CloudWatch log group of ${service} in ${env}`,
      'doc',
      true,
    ),
    link(
      `Releases of ${service} in ${env}`,
      releaseBoardUrl(nav, env, service),
      `What is live and what was released (tdr status / tdr history --service ${service} --env ${env})`,
      'info',
      true,
    ),
  ];
}

/**
 * Adds to every dashboard of one environment links to the others and to the release board, and,
 * where releases happen, the deploy annotations (once).
 */
export function linkEnvironment(
  models: readonly dashboard.Dashboard[],
  env: EnvironmentName,
  nav: Navigation,
  releasesHappen: boolean,
): void {
  for (const model of models) {
    const others = models
      .filter((m) => m.uid !== model.uid)
      .map((m) =>
        link(
          m.title ?? m.uid ?? '',
          `/d/${m.uid}`,
          `${m.title} (same time range)`,
          'dashboard',
          false,
        ).build(),
      );
    const board = link(
      'Release board',
      releaseBoardUrl(nav, env),
      `What is live in ${env} and what was released`,
      'info',
      true,
    ).build();
    model.links = [...others, board];
    if (!releasesHappen) continue;
    const deploys = deployAnnotations(env).build();
    const list = model.annotations?.list ?? [];
    if (!list.some((a) => a.name === deploys.name)) {
      model.annotations = { ...model.annotations, list: [deploys, ...list] };
    }
  }
}
