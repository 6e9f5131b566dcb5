import type { EnvironmentName } from '../../services/environments';
import { naming } from '../../services/naming';
import { redactUrls } from '../../services/redact';

/**
 * After a release: a Slack message (incoming webhook) and a Grafana annotation. Both optional,
 * neither ever fails a deployment; each reports what happened so the command can print it.
 */

/**
 * What the notifier needs of a Grafana client (dashboards/grafana-client.ts provides one). The
 * signal cancels the request: a sink must stop it (and close its socket) when it fires, or a hung
 * Grafana keeps the process alive after the release is done.
 */
export interface AnnotationSink {
  createAnnotation(
    a: { time: number; tags: string[]; text: string },
    call?: { signal?: AbortSignal },
  ): Promise<unknown>;
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
  /**
   * The webhook URL, or a lookup of it (e.g. from SSM) made only when there is something to send;
   * the signal cancels the lookup when it takes too long.
   */
  readonly slackWebhookUrl?: string | ((signal: AbortSignal) => Promise<string | undefined>) | undefined;
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

const LOOKUP = 'looking up the webhook';

/** Posts a Slack payload (text or blocks) to the webhook; never throws, never echoes the URL. */
export async function postToSlack(payload: object, deps: NotifierDeps): Promise<NotificationReport> {
  let url: string | undefined;
  try {
    const lookup = deps.slackWebhookUrl;
    url =
      typeof lookup === 'function'
        ? await withTimeout((signal) => lookup(signal), timeoutOf(deps), LOOKUP)
        : lookup;
  } catch (err) {
    return {
      channel: 'slack',
      status: 'failed',
      // withTimeout's own error already says what it was waiting for.
      detail: (err as Error).message.startsWith(LOOKUP)
        ? (err as Error).message
        : `${LOOKUP}: ${(err as Error).message}`,
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

function grafana(n: Notification, deps: NotifierDeps): Promise<NotificationReport> {
  return annotate(
    {
      time: n.time.getTime(),
      tags: naming.deployAnnotationTags(n.service, n.env as EnvironmentName, n.version),
      text: notificationText(n),
    },
    deps,
  );
}

/** One stage of a progressive deployment (a ledger stage record), as a Grafana mark. */
export interface StageMark {
  readonly service: string;
  readonly env: EnvironmentName;
  readonly version: string;
  /** ECS's lifecycle stage: the mark's tag. */
  readonly stage: string;
  /** What people read on the mark: the stage, the split, the bake left. */
  readonly text: string;
  readonly time: Date;
}

/**
 * The stage mark the canary dashboard shows (dashboards/canary.ts `stageAnnotations` filters on
 * `naming.deployStageAnnotationTags`): best effort as the deploy annotation is, never throws.
 */
export async function markStage(m: StageMark, deps: NotifierDeps): Promise<NotificationReport> {
  const report = await annotate(
    {
      time: m.time.getTime(),
      tags: naming.deployStageAnnotationTags(m.service, m.env, m.stage),
      text: `${m.service} ${m.version} to ${m.env}: ${m.text}`,
    },
    deps,
  );
  return { ...report, detail: redactUrls(report.detail) };
}

async function annotate(
  a: { time: number; tags: string[]; text: string },
  deps: NotifierDeps,
): Promise<NotificationReport> {
  if (!deps.annotations) {
    return {
      channel: 'grafana',
      status: 'not configured',
      detail: 'no Grafana client (GRAFANA_URL/GRAFANA_TOKEN)',
    };
  }
  try {
    const sink = deps.annotations;
    await withTimeout(
      (signal) => sink.createAnnotation(a, { signal }),
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

/**
 * A notification that does not answer in time is reported failed and cancelled: the signal given
 * to `call` fires, so its request stops and closes its socket. Only abandoning it (as before issue
 * 24's item 2) left the request open, and `tdr` alive, for as long as Grafana held it.
 */
function withTimeout<T>(call: (signal: AbortSignal) => Promise<T>, ms: number, what: string): Promise<T> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new Error(`${what}: no answer within ${ms} ms`);
      controller.abort(err);
      reject(err);
    }, ms);
  });
  return Promise.race([call(controller.signal), late]).finally(() => clearTimeout(timer));
}
