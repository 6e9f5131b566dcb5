import { expect } from 'chai';
import type * as alerting from '@grafana/grafana-foundation-sdk/alerting';
import { loadPlatform } from '../services/config';
import { INCIDENT_RUNBOOK_URL, RUNBOOK_URL_ANNOTATION, SLACK_TEXT, SLACK_TITLE } from './alert-message';
import { GROUPING } from './alerting';
import { generate } from './index';

/**
 * The Go template subset the Slack message uses, rendered strictly: `{{ .A.B }}`, `{{ range .X }}`,
 * `{{ if .X }}`, `{{ else }}`, `{{ end }}`. Anything else, or a field the data does not have, throws,
 * so the template cannot reach for a field Grafana does not provide. The data below mirrors
 * grafana/alerting templates/template_data.go (`ExtendedData`, `ExtendedAlert`): struct fields by
 * their Go names, labels and annotations as maps.
 */
type Node =
  | string
  | { kind: 'field'; path: string }
  | { kind: 'range' | 'if'; path: string; body: Node[]; orElse: Node[] };

function parse(template: string): Node[] {
  const tokens = template.split(/(\{\{.*?\}\})/s).filter((t) => t !== '');
  let i = 0;
  const block = (): { body: Node[]; stop: string } => {
    const body: Node[] = [];
    while (i < tokens.length) {
      const t = tokens[i++]!;
      const action = /^\{\{\s*(.*?)\s*\}\}$/s.exec(t)?.[1];
      if (action === undefined) {
        body.push(t);
        continue;
      }
      if (action === 'end' || action === 'else') return { body, stop: action };
      const control = /^(range|if) (\.[A-Za-z_.]+)$/.exec(action);
      if (control) {
        const inner = block();
        const orElse = inner.stop === 'else' ? block() : { body: [], stop: 'end' };
        if (orElse.stop !== 'end') throw new Error(`unterminated {{ ${action} }}`);
        body.push({
          kind: control[1] as 'range' | 'if',
          path: control[2]!,
          body: inner.body,
          orElse: orElse.body,
        });
        continue;
      }
      if (/^\.[A-Za-z_][A-Za-z0-9_.]*$/.test(action)) {
        body.push({ kind: 'field', path: action });
        continue;
      }
      throw new Error(`{{ ${action} }} is outside the subset this test renders`);
    }
    return { body, stop: 'eof' };
  };
  const { body, stop } = block();
  if (stop !== 'eof') throw new Error(`stray {{ ${stop} }}`);
  return body;
}

function lookup(dot: unknown, path: string): unknown {
  let value = dot;
  for (const key of path.slice(1).split('.')) {
    const holder = value as Record<string, unknown> | undefined;
    if (holder === null || typeof holder !== 'object' || !(key in holder))
      throw new Error(`${path}: no field "${key}" in the notification data`);
    value = typeof holder[key] === 'function' ? (holder[key] as () => unknown)() : holder[key];
  }
  return value;
}

function render(nodes: Node[], dot: unknown): string {
  return nodes
    .map((n) => {
      if (typeof n === 'string') return n;
      const value = lookup(dot, n.path);
      if (n.kind === 'field') return String(value);
      if (n.kind === 'if') return render(value ? n.body : n.orElse, dot);
      const items = value as unknown[];
      return items.length > 0 ? items.map((item) => render(n.body, item)).join('') : render(n.orElse, dot);
    })
    .join('');
}

const EXTERNAL_URL = 'https://grafana.example.test';

/** One alert as Grafana's notifier sees it (templates/template_data.go, extendAlert). */
function alertOf(rule: alerting.Rule, status: 'firing' | 'resolved') {
  const annotations = rule.annotations ?? {};
  const visible = Object.fromEntries(Object.entries(annotations).filter(([k]) => !/^__.*__$/.test(k)));
  const dashboardUrl = `${EXTERNAL_URL}/d/${annotations.__dashboardUid__}?from=1&to=2`;
  return {
    Status: status,
    Labels: { ...rule.labels, alertname: rule.title, grafana_folder: 'TDR' },
    Annotations: visible,
    StartsAt: '2026-12-06T12:00:00Z',
    EndsAt: '0001-01-01T00:00:00Z',
    GeneratorURL: `${EXTERNAL_URL}/alerting/grafana/${rule.uid}/view`,
    Fingerprint: 'f',
    SilenceURL: `${EXTERNAL_URL}/alerting/silence/new`,
    DashboardURL: dashboardUrl,
    PanelURL: `${dashboardUrl}&viewPanel=${annotations.__panelId__}`,
    Values: {},
    ValueString: '',
  };
}

function dataOf(rule: alerting.Rule, status: 'firing' | 'resolved') {
  const alerts = [alertOf(rule, status)];
  const group = Object.fromEntries(GROUPING.groupBy.map((l) => [l, rule.labels![l]!]));
  return {
    Receiver: 'tdr-slack',
    Status: status,
    Alerts: {
      Firing: () => alerts.filter((a) => a.Status === 'firing'),
      Resolved: () => alerts.filter((a) => a.Status === 'resolved'),
    },
    GroupLabels: group,
    CommonLabels: alerts[0]!.Labels,
    CommonAnnotations: alerts[0]!.Annotations,
    ExternalURL: EXTERNAL_URL,
    GroupKey: 'k',
  };
}

describe('Slack alert messages', () => {
  const set = generate(loadPlatform({}));
  const rules = set.alerting.ruleGroups.flatMap((g) => g.group.rules ?? []);
  const slack = set.alerting.contactPoints.filter((c) => c.contactPoint.type === 'slack');

  it('every Slack contact point sends our title and text, never Alertmanager’s empty slack.default.text', () => {
    expect(slack).to.have.length(set.alerting.ruleGroups.length);
    for (const c of slack) {
      expect(c.contactPoint.settings).to.include({ title: SLACK_TITLE, text: SLACK_TEXT });
      expect(JSON.stringify(c.contactPoint.settings)).to.not.include('slack.default.text');
    }
    // Grafana expands $VAR in provisioning files: a `$` would be eaten.
    expect(SLACK_TEXT + SLACK_TITLE).to.not.include('$');
  });

  it('says for every rule what fired, where, what to do, the runbook and the alarm’s tile', () => {
    expect(rules.length).to.be.greaterThan(0);
    const text = parse(SLACK_TEXT);
    const title = parse(SLACK_TITLE);
    for (const rule of rules) {
      const { service, env } = rule.labels!;
      const alert = alertOf(rule, 'firing');
      const body = render(text, dataOf(rule, 'firing'));
      expect(rule.annotations![RUNBOOK_URL_ANNOTATION], rule.title).to.equal(INCIDENT_RUNBOOK_URL);
      for (const part of [
        rule.title,
        `${service} in ${env}`,
        rule.annotations!.summary!,
        rule.annotations!.description!,
      ])
        expect(body, rule.title).to.include(part);
      expect(body, rule.title).to.include(`Runbook: ${INCIDENT_RUNBOOK_URL}`);
      expect(body, rule.title).to.include(`Dashboard: ${alert.PanelURL}`);
      expect(render(title, dataOf(rule, 'firing')), rule.title).to.equal(`${service} in ${env}: firing`);
      const resolved = render(text, dataOf(rule, 'resolved'));
      expect(resolved, rule.title).to.include(`Resolved: ${rule.title}`).and.not.include('Firing');
    }
  });

  it('falls back to the rule’s page when Grafana has no panel link (no external URL)', () => {
    const rule = rules[0]!;
    const data = dataOf(rule, 'firing');
    const alert = { ...alertOf(rule, 'firing'), PanelURL: '' };
    data.Alerts.Firing = () => [alert];
    expect(render(parse(SLACK_TEXT), data)).to.include(`Dashboard: ${alert.GeneratorURL}`);
  });

  it('the renderer refuses what it cannot check: a field Grafana does not provide, an unknown action', () => {
    const rule = rules[0]!;
    expect(() =>
      render(parse('{{ range .Alerts.Firing }}{{ .Runbook }}{{ end }}'), dataOf(rule, 'firing')),
    ).to.throw(/no field "Runbook"/);
    expect(() => parse('{{ template "slack.default.text" . }}')).to.throw(/outside the subset/);
  });
});
