/**
 * The board's summary for the release channel, as Slack blocks: which environments are in
 * maintenance, what waits to be promoted and for how long, what drifted, what failed, and the
 * delivery metrics' trend (the last 30 days against the last 90). Posting it is the caller's business; this only builds the message.
 */
import type { BoardData } from './board';
import { formatDays, formatHours, formatPercent, formatPerWeek, formatWhen } from './format';
import type { WindowMetrics } from './metrics';

export interface SlackText {
  readonly type: 'mrkdwn' | 'plain_text';
  readonly text: string;
}
export type SlackBlock =
  | { readonly type: 'header'; readonly text: SlackText }
  | { readonly type: 'section'; readonly text: SlackText }
  | { readonly type: 'context'; readonly elements: readonly SlackText[] }
  | { readonly type: 'divider' };

export interface SlackMessage {
  /** The notification's fallback text. */
  readonly text: string;
  readonly blocks: readonly SlackBlock[];
}

/** Slack refuses a section over 3,000 characters; long lists end with "and N more". */
const MAX_ITEMS = 12;
const MAX_SECTION = 2900;

/**
 * Ledger values are not ours: `<`, `>` and `&` would make links or mentions (`<!channel>`) in
 * Slack's mrkdwn, so they are escaped as Slack asks.
 */
export function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export type Trend = 'better' | 'worse' | 'steady' | 'no data';

/** The last 30 days against the longer window: within 10% is steady. */
export function trend(recent: number | null, longer: number | null, higherIsBetter: boolean): Trend {
  if (recent === null || longer === null) return 'no data';
  if (longer === 0) return recent === 0 ? 'steady' : higherIsBetter ? 'better' : 'worse';
  const change = (recent - longer) / longer;
  if (Math.abs(change) <= 0.1) return 'steady';
  return change > 0 === higherIsBetter ? 'better' : 'worse';
}

export function slackSummary(board: BoardData, options: { pageUrl?: string } = {}): SlackMessage {
  const s = board.summary;
  const down = board.environments.filter((e) => e.maintenance.on);
  const headline =
    `${s.waiting} waiting to be promoted · ${s.drifted} drifted · ${s.failed} failed · ${s.openRuns} running` +
    (down.length > 0 ? ` · in maintenance: ${down.map((e) => e.name).join(', ')}` : '');
  const blocks: SlackBlock[] = [
    {
      type: 'header',
      text: { type: 'plain_text', text: `TDR release board, ${board.generatedAt.slice(0, 10)}` },
    },
    { type: 'section', text: { type: 'mrkdwn', text: headline } },
  ];

  const waiting = [...board.waiting]
    .sort((a, b) => (b.waitingDays ?? 0) - (a.waitingDays ?? 0))
    .map(
      (w) =>
        `• *${slackEscape(w.service)}* ${slackEscape(w.version)} ${w.from} → ${w.to}, waiting ${w.waitingDays === null ? '?' : formatDays(w.waitingDays)}` +
        `${w.versionsBehind > 1 ? ` (${w.versionsBehind} versions behind)` : ''}${w.lastAttemptFailed ? ', last attempt failed' : ''}: \`${slackEscape(w.command)}\``,
    );
  const maintenance = down.map(
    ({ name, maintenance: m }) =>
      `• *${name}* since ${formatWhen(m.since)} by ${slackEscape(m.by ?? '?')}: ${slackEscape(m.reason ?? '')} · end it: \`${m.endCommand}\``,
  );
  const cells = board.rows.flatMap((r) => r.cells);
  const drifted = [
    ...board.environments
      .filter((e) => e.maintenance.drift.length > 0)
      .map((e) => `• *maintenance switch* in ${e.name}: ${slackEscape(e.maintenance.drift.join('; '))}`),
    ...cells
      .filter((c) => c.drift.length > 0)
      .map((c) => `• *${slackEscape(c.service)}* in ${c.env}: ${slackEscape(c.drift.join('; '))}`),
  ];
  const failed = cells
    .filter((c) => c.lastOutcome && c.lastOutcome.outcome !== 'succeeded')
    .map(
      (c) =>
        `• *${slackEscape(c.service)}* in ${c.env}: ${slackEscape(c.lastOutcome?.version ?? '')} ${c.lastOutcome?.outcome.replace('_', ' ')}`,
    );
  // Issue 26: a train in flight (members that went out of how many), and every rejected version.
  const trains = board.trains
    .filter((t) => t.inFlight)
    .map(
      (t) =>
        `• *${t.env}* ← ${t.sourceEnv}: ${t.trainId} by ${slackEscape(t.by)}, ${t.members.filter((m) => m.tone === 'good').length} of ${t.members.length} members out`,
    );
  const rejected = board.rejections.map(
    (r) =>
      `• *${slackEscape(r.subject)}* ${slackEscape(r.version)} by ${slackEscape(r.by)}: ${slackEscape(r.reason)}`,
  );
  for (const [title, items] of [
    ['In maintenance (every request gets the service-unavailable page)', maintenance],
    ['Release trains in flight', trains],
    ['Waiting to be promoted', waiting],
    ['Drift between the ledger and the runtime', drifted],
    ['Last release failed', failed],
    ['Rejected versions (every gate refuses them)', rejected],
  ] as const) {
    if (items.length > 0) blocks.push(section(`*${title}*`, items));
  }

  const [recent, longer] = [board.metrics.overall.windows[0], board.metrics.overall.windows.at(-1)];
  if (recent && longer)
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: metricsLine(recent, longer) } });
  if (options.pageUrl && /^https?:\/\//i.test(options.pageUrl)) {
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `<${options.pageUrl}|Open the release board>` }],
    });
  }
  return { text: `TDR release board: ${headline}`, blocks };
}

function section(title: string, items: readonly string[]): SlackBlock {
  const shown = items.slice(0, MAX_ITEMS);
  let text = [title, ...shown].join('\n');
  if (text.length > MAX_SECTION) text = `${text.slice(0, MAX_SECTION)}…`;
  if (items.length > shown.length) text += `\n…and ${items.length - shown.length} more`;
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

function metricsLine(recent: WindowMetrics, longer: WindowMetrics): string {
  const r = recent.days;
  const l = longer.days;
  const parts = [
    `deploys to prod ${formatPerWeek(recent.deploymentsPerWeek)} (${l} d: ${formatPerWeek(longer.deploymentsPerWeek)}, ${trend(recent.deploymentsPerWeek, longer.deploymentsPerWeek, true)})`,
    `lead time ${formatHours(recent.leadTime.medianHours)} (${l} d: ${formatHours(longer.leadTime.medianHours)}, ${trend(recent.leadTime.medianHours, longer.leadTime.medianHours, false)})`,
    `change failure ${formatPercent(recent.changeFailure.rate)} (${l} d: ${formatPercent(longer.changeFailure.rate)}, ${trend(recent.changeFailure.rate, longer.changeFailure.rate, false)})`,
    `time to restore ${formatHours(recent.timeToRestore.medianHours)} (${l} d: ${formatHours(longer.timeToRestore.medianHours)}, ${trend(recent.timeToRestore.medianHours, longer.timeToRestore.medianHours, false)})`,
  ];
  return `*Delivery, last ${r} days* · ${parts.join(' · ')}`;
}
