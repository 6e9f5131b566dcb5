/** The matrix: one row per service, one cell per environment, each cell's history one click away. */
import type { BoardCell, BoardData, HistoryEntry } from '../board';
import { formatAgo, formatSeconds, formatWhen } from '../format';
import { BadgeView, SafeLink, TONE_ICON } from './common';
import { MaintenanceMarker } from './maintenance';
import { RejectedMarker } from './trains';

const OUTCOME_TONE = { succeeded: 'good', failed: 'bad', rolled_back: 'bad', started: 'info' } as const;

export function Matrix({ board, now }: { board: BoardData; now: Date }) {
  const inMaintenance = new Set(board.environments.filter((e) => e.maintenance.on).map((e) => e.name));
  return (
    <table class="matrix">
      <thead>
        <tr>
          <th class="service-col" scope="col">
            service
          </th>
          {board.environments.map((e) => (
            <th
              scope="col"
              key={e.name}
              class={e.maintenance.on ? 'in-maintenance' : undefined}
              data-env={e.name}
              data-maintenance={e.maintenance.on ? 'on' : 'off'}
            >
              {e.name}
              {e.source ? <span class="muted"> ← {e.source}</span> : null}
              <MaintenanceMarker m={e.maintenance} />
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {board.rows.map((row) => (
          <tr key={row.service}>
            <th scope="row">
              {row.service}
              <RejectedMarker rejected={row.rejected} />
            </th>
            {row.cells.map((c) => (
              <Cell cell={c} now={now} inMaintenance={inMaintenance.has(c.env)} key={c.env} />
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Cell({ cell, now, inMaintenance }: { cell: BoardCell; now: Date; inMaintenance: boolean }) {
  const current = cell.current;
  return (
    <td
      class={`cell tone-${cell.tone}${inMaintenance ? ' in-maintenance' : ''}`}
      data-service={cell.service}
      data-env={cell.env}
      data-tone={cell.tone}
    >
      {current ? (
        <>
          <div class="version">{current.version}</div>
          <code title={current.digest}>{current.shortDigest}</code>
          <div class="meta">
            {formatWhen(current.at)} ({formatAgo(current.at, now)}) by {current.by}
            {current.approver ? `, approved by ${current.approver}` : ''}
          </div>
        </>
      ) : (
        <div class="version muted">none</div>
      )}
      <ul class="badges">
        {cell.badges.map((b, i) => (
          <BadgeView badge={b} key={i} />
        ))}
      </ul>
      {cell.drift.length > 0 ? (
        <ul class="drift">
          {cell.drift.map((d, i) => (
            <li key={i}>{d}</li>
          ))}
        </ul>
      ) : null}
      {cell.lease ? (
        <div class="meta">
          lease: {cell.lease.holder}, since {formatWhen(cell.lease.acquiredAt)}, until{' '}
          {formatWhen(cell.lease.expiresAt)}
        </div>
      ) : null}
      {cell.history.length > 0 ? (
        <details>
          <summary>
            history of {cell.service} in {cell.env} ({cell.history.length} run
            {cell.history.length === 1 ? '' : 's'})
          </summary>
          <ol class="history">
            {cell.history.map((h) => (
              <HistoryItem entry={h} key={h.runId} />
            ))}
          </ol>
        </details>
      ) : null}
    </td>
  );
}

function HistoryItem({ entry: h }: { entry: HistoryEntry }) {
  const tone = OUTCOME_TONE[h.outcome as keyof typeof OUTCOME_TONE] ?? 'none';
  return (
    <li class={`tone-${tone}`}>
      <div>
        <strong>{h.version}</strong> <code title={h.digest}>{h.shortDigest}</code> · {h.action}
        {h.sourceEnv ? ` from ${h.sourceEnv}` : ''} ·{' '}
        <span class="badge">
          <span aria-hidden="true">{TONE_ICON[tone]} </span>
          {h.outcome === 'started' ? 'running (no outcome yet)' : h.outcome.replace('_', ' ')}
        </span>
      </div>
      <div>
        by {h.actor}
        {h.approver ? `, approved by ${h.approver}` : ''}
        {h.breakGlass ? ' · break glass' : ''}
      </div>
      <div class="muted">
        {formatWhen(h.startedAt)}
        {h.durationSeconds !== null ? ` · took ${formatSeconds(h.durationSeconds)}` : ''}
      </div>
      {h.gates.length > 0 ? (
        <div>
          gates:{' '}
          {h.gates.map((g, i) => (
            <span key={i} title={g.detail}>
              {i > 0 ? ', ' : ''}
              {g.ok ? '✓' : '✗'} {g.gate}
            </span>
          ))}
        </div>
      ) : null}
      {h.checks.length > 0 ? (
        <div>verified: {h.checks.map((c) => `${c.name} ${c.result} in ${c.env}`).join(', ')}</div>
      ) : null}
      {h.reason ? <div>reason: {h.reason}</div> : null}
      {h.detail ? <div>detail: {h.detail}</div> : null}
      {h.buildUrl ? (
        <div>
          <SafeLink href={h.buildUrl}>build</SafeLink>
        </div>
      ) : null}
    </li>
  );
}
