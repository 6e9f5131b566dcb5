/**
 * The maintenance switch: a banner at the top for each environment in maintenance (since when, by
 * whom, why, and the command that ends it) or whose switch is in doubt (drift between the ledger
 * and the listener, what could not be read, a switch with no outcome).
 */
import type { BoardData } from '../board';
import { formatAgo, formatWhen } from '../format';
import type { EnvironmentMaintenance } from '../maintenance';
import { BadgeView, TONE_ICON } from './common';

type Environment = BoardData['environments'][number];

export function MaintenanceBanners({
  environments,
  now,
}: {
  environments: readonly Environment[];
  now: Date;
}) {
  const shown = environments.filter((e) => e.maintenance.badges.length > 0);
  if (shown.length === 0) return null;
  return (
    <section class="maintenance" aria-label="maintenance switch">
      {shown.map((e) => (
        <Banner env={e.name} m={e.maintenance} now={now} key={e.name} />
      ))}
    </section>
  );
}

function Banner({ env, m, now }: { env: string; m: EnvironmentMaintenance; now: Date }) {
  return (
    <div
      class={`banner tone-${m.tone}`}
      data-env={env}
      data-maintenance={m.on ? 'on' : 'off'}
      data-tone={m.tone}
    >
      {m.on ? (
        <>
          <p class="title">
            <span aria-hidden="true">{TONE_ICON.warn} </span>
            {env} is in maintenance: every request gets the service-unavailable page (503)
          </p>
          <p>
            since {formatWhen(m.since)} ({formatAgo(m.since, now)}) by {m.by}
            {m.seq !== null ? ` (ledger #${m.seq})` : ''}
          </p>
          <p>reason: {m.reason}</p>
          <p>
            end it: <code>{m.endCommand}</code>
          </p>
        </>
      ) : (
        <p class="title">
          <span aria-hidden="true">{TONE_ICON[m.tone]} </span>
          {env}: {m.badges.map((b) => b.text).join(' · ')}
        </p>
      )}
      {m.drift.length > 0 ? (
        <ul class="drift">
          {m.drift.map((d, i) => (
            <li key={i}>{d}</li>
          ))}
        </ul>
      ) : null}
      {m.problems.map((p, i) => (
        <p key={`p${i}`}>could not be read: {p}</p>
      ))}
      {m.unsettled.map((seq) => (
        <p key={`u${seq}`}>
          ledger #{seq} has no outcome (running now, or cut short): the next <code>tdr maintenance</code>{' '}
          settles it from the listener
        </p>
      ))}
      <p class="muted">
        every switch: <code>{m.historyCommand}</code>
      </p>
    </div>
  );
}

/** The marker under an environment's column header: its switch's badges, nothing when it is off. */
export function MaintenanceMarker({ m }: { m: EnvironmentMaintenance }) {
  if (m.badges.length === 0) return null;
  return (
    <ul class="badges">
      {m.badges.map((b, i) => (
        <BadgeView badge={b} key={i} />
      ))}
    </ul>
  );
}
