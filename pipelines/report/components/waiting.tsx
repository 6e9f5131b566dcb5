/** What succeeded upstream and is not yet further along, longest waiting first, with its command. */
import type { WaitingPromotion } from '../board';
import { formatDays, formatWhen } from '../format';
import { SafeLink } from './common';

export function Waiting({ waiting }: { waiting: readonly WaitingPromotion[] }) {
  if (waiting.length === 0) return <p>Nothing waits: every environment runs what the one before it runs.</p>;
  const sorted = [...waiting].sort((a, b) => (b.waitingDays ?? 0) - (a.waitingDays ?? 0));
  return (
    <table class="waiting">
      <thead>
        <tr>
          <th scope="col">service</th>
          <th scope="col">to</th>
          <th scope="col">version</th>
          <th scope="col">waiting</th>
          <th scope="col">command</th>
        </tr>
      </thead>
      <tbody>
        {sorted.map((w) => (
          <tr key={`${w.service}/${w.to}`} data-service={w.service} data-env={w.to}>
            <td>{w.service}</td>
            <td>
              {w.from} → {w.to}
            </td>
            <td>
              <strong>{w.version}</strong> <code>{w.shortDigest}</code>
              <div class="muted">
                {w.versionsBehind} version{w.versionsBehind === 1 ? '' : 's'} behind
              </div>
            </td>
            <td>
              {w.waitingDays === null ? '–' : formatDays(w.waitingDays)}
              <div class="muted">since {formatWhen(w.since)}</div>
              {w.lastAttemptFailed ? (
                <div class="badge tone-bad">
                  <span aria-hidden="true">✗ </span>last attempt failed
                </div>
              ) : null}
            </td>
            <td>
              <code>{w.command}</code>
              {w.jenkinsUrl ? (
                <div>
                  <SafeLink href={w.jenkinsUrl}>Jenkins job</SafeLink>
                </div>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
