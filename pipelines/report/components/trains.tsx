/**
 * Release trains and rejected versions (issue 26): each environment's newest train, the one in
 * flight member by member, what it left out and why; and every version rejected now.
 */
import type { BoardRejection, BoardTrain } from '../board';
import { formatWhen } from '../format';
import { TONE_ICON } from './common';

export function Trains({ trains }: { trains: readonly BoardTrain[] }) {
  if (trains.length === 0) return <p>No release train has run in any environment.</p>;
  return (
    <div class="trains">
      {trains.map((t) => (
        <section
          class={`train tone-${t.tone}`}
          key={t.env}
          data-env={t.env}
          data-train={t.trainId}
          data-in-flight={t.inFlight ? 'yes' : 'no'}
          aria-label={`release train in ${t.env}`}
        >
          <h3>
            {t.env} ← {t.sourceEnv}: <code>{t.trainId}</code>{' '}
            <span class="badge">
              <span aria-hidden="true">{TONE_ICON[t.tone]} </span>
              {t.headline}
            </span>
          </h3>
          <p class="muted">
            by {t.by}, {formatWhen(t.at)} (ledger train/{t.env} #{t.seq}) · <code>{t.command}</code>
          </p>
          {t.detail ? <p>{t.detail}</p> : null}
          <ol class="members">
            {t.members.map((m) => (
              <li class={`tone-${m.tone}`} key={m.name} data-member={m.name} data-tone={m.tone}>
                <strong>{m.name}</strong> {m.version} <span class="muted">({m.kind})</span> ·{' '}
                <span class="badge">
                  <span aria-hidden="true">{TONE_ICON[m.tone]} </span>
                  {m.state}
                </span>
              </li>
            ))}
          </ol>
          {t.leftOut.length > 0 ? (
            <ul class="left-out">
              {t.leftOut.map((l) => (
                <li key={l.name} data-left-out={l.name}>
                  left out <strong>{l.name}</strong> {l.version}: {l.why}
                </li>
              ))}
            </ul>
          ) : null}
        </section>
      ))}
    </div>
  );
}

export function Rejections({ rejections }: { rejections: readonly BoardRejection[] }) {
  if (rejections.length === 0) return <p>No version is rejected.</p>;
  return (
    <table class="rejections">
      <thead>
        <tr>
          <th scope="col">service</th>
          <th scope="col">version</th>
          <th scope="col">rejected by</th>
          <th scope="col">reason</th>
          <th scope="col">to take it back</th>
        </tr>
      </thead>
      <tbody>
        {rejections.map((r) => (
          <tr key={`${r.subject} ${r.version}`} data-service={r.subject} data-version={r.version}>
            <td>{r.subject}</td>
            <td>
              <span class="badge tone-bad">
                <span aria-hidden="true">{TONE_ICON.bad} </span>
                {r.version}
              </span>
            </td>
            <td>
              {r.by}
              <div class="muted">
                {formatWhen(r.at)} (ledger {r.subject}/rejections #{r.seq})
              </div>
            </td>
            <td>{r.reason}</td>
            <td>
              <code>{r.command}</code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Beside a service's name in the matrix: the versions every gate refuses. */
export function RejectedMarker({ rejected }: { rejected: readonly BoardRejection[] }) {
  if (rejected.length === 0) return null;
  return (
    <ul class="badges">
      {rejected.map((r) => (
        <li
          class="badge tone-bad rejected"
          key={r.version}
          title={`rejected by ${r.by} at ${formatWhen(r.at)}: ${r.reason}`}
        >
          <span aria-hidden="true">{TONE_ICON.bad} </span>
          {r.version} rejected by {r.by}: {r.reason}
        </li>
      ))}
    </ul>
  );
}
