import type { EnvironmentName } from '../../services/environments';
import { naming } from '../../services/naming';
import { redactUrls } from '../../services/redact';

/**
 * After a release: a Slack message (incoming webhook) and a Grafana annotation. Both optional,
 * neither ever fails a deployment; each reports what happened so the command can print it.
 */

/** What the notifier needs of a Grafana client (dashboards/grafana-client.ts provides one). */
export interface AnnotationSink {
  createAnnotation(a: { time: number; tags: string[]; text: string }): Promise<unknown>;
}

export interface Notification {
  readonly service: string;
  readonly env: string;
  readonly version: string;
  readonly digest: string;
  readonly action: string;
  readonly outcome: string;
  readonly actor: string;
  readonly detail: string | null;
  readonly time: Date;
}

export interface NotificationReport {
  readonly channel: 'slack' | 'grafana';
  readonly status: 'sent' | 'not configured' | 'failed';
  readonly detail: string;
}

export interface NotifierDeps {
  /** The webhook URL, or a lookup of it (e.g. from SSM) made only when there is something to send. */
  readonly slackWebhookUrl?: string | (() => Promise<string | undefined>) | undefined;
  readonly annotations?: AnnotationSink | undefined;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
}

export function notificationText(n: Notification): string {
  const icon = n.outcome === 'succeeded' ? ':white_check_mark:' : ':x:';
  // The maintenance switch is of an environment, not of a version: `maintenance-on in prod`.
  const what = n.version ? `${n.service} ${n.version} to ${n.env}` : `in ${n.env}`;
  return `${icon} ${n.action} ${what}: ${n.outcome} (by ${n.actor})${n.detail ? ` — ${n.detail}` : ''}`;
}

export async function notify(n: Notification, deps: NotifierDeps): Promise<NotificationReport[]> {
  const reports = await Promise.all([slack(n, deps), grafana(n, deps)]);
  // A webhook's URL is its secret, and fetch puts a malformed one in its error: the host at most.
  return reports.map((r) => ({ ...r, detail: redactUrls(r.detail) }));
}

function slack(n: Notification, deps: NotifierDeps): Promise<NotificationReport> {
  return postToSlack({ text: notificationText(n) }, deps);
}

/** Posts a Slack payload (text or blocks) to the webhook; never throws, never echoes the URL. */
export async function postToSlack(payload: object, deps: NotifierDeps): Promise<NotificationReport> {
  let url: string | undefined;
  try {
    url =
      typeof deps.slackWebhookUrl === 'function'
        ? await withTimeout(deps.slackWebhookUrl(), timeoutOf(deps), 'looking up the webhook')
        : deps.slackWebhookUrl;
  } catch (err) {
    return {
      channel: 'slack',
      status: 'failed',
      detail: `looking up the webhook: ${(err as Error).message}`,
    };
  }
  if (!url) {
    return {
      channel: 'slack',
      status: 'not configured',
      detail: `neither TDR_SLACK_WEBHOOK_URL nor SSM ${naming.slackWebhookParameter()} is set`,
    };
  }
  try {
    const res = await (deps.fetch ?? fetch)(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(timeoutOf(deps)),
    });
    if (!res.ok) return { channel: 'slack', status: 'failed', detail: `webhook answered HTTP ${res.status}` };
    // The webhook URL is a secret: never echo it.
    return { channel: 'slack', status: 'sent', detail: 'posted to the incoming webhook' };
  } catch (err) {
    return { channel: 'slack', status: 'failed', detail: (err as Error).message };
  }
}

async function grafana(n: Notification, deps: NotifierDeps): Promise<NotificationReport> {
  if (!deps.annotations) {
    return {
      channel: 'grafana',
      status: 'not configured',
      detail: 'no Grafana client (GRAFANA_URL/GRAFANA_TOKEN)',
    };
  }
  try {
    await withTimeout(
      deps.annotations.createAnnotation({
        time: n.time.getTime(),
        tags: naming.deployAnnotationTags(n.service, n.env as EnvironmentName, n.version),
        text: notificationText(n),
      }),
      timeoutOf(deps),
      'creating the annotation',
    );
    return { channel: 'grafana', status: 'sent', detail: 'annotation created' };
  } catch (err) {
    return { channel: 'grafana', status: 'failed', detail: (err as Error).message };
  }
}

const DEFAULT_TIMEOUT_MS = 5000;

function timeoutOf(deps: NotifierDeps): number {
  return deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;
}

/** A notification that does not answer in time is reported failed; nothing waits longer. */
function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}
