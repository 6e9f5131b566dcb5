/**
 * The release board as one self-contained HTML page: inline CSS, inline SVG, no script, font or
 * image from anywhere, so it opens from a Jenkins artifact or a file with no network. Rendered
 * with Preact, which escapes every value: nothing from the ledger is pasted into HTML as text.
 */
import { renderToString } from 'preact-render-to-string';
import type { BoardData } from './board';
import { formatWhen } from './format';
import { BadgeView, SafeLink } from './components/common';
import { MaintenanceBanners } from './components/maintenance';
import { Matrix } from './components/matrix';
import { MetricsSection } from './components/metrics';
import { BOARD_CSS } from './components/style';
import { Waiting } from './components/waiting';
import { Rejections, Trains } from './components/trains';

export function BoardPage({ board }: { board: BoardData }) {
  const now = new Date(board.generatedAt);
  const s = board.summary;
  const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {/* No network: nothing may load, not even a favicon. */}
        <meta
          http-equiv="Content-Security-Policy"
          content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"
        />
        <link rel="icon" href="data:," />
        <title>TDR release board</title>
        {/* A constant stylesheet: text children of <style> would be escaped and break its selectors. */}
        <style dangerouslySetInnerHTML={{ __html: BOARD_CSS }} />
      </head>
      <body>
        <main>
          <h1>TDR release board</h1>
          <p class="muted">
            Generated {formatWhen(board.generatedAt)} from the release ledger and what the runtime runs.
          </p>
          <MaintenanceBanners environments={board.environments} now={now} />
          <ul class="summary" aria-label="summary">
            <li>{plural(s.services, 'service')}</li>
            <li>{plural(s.waiting, 'promotion')} waiting</li>
            <li>{plural(s.drifted, 'cell')} drifted</li>
            <li>{plural(s.failed, 'cell')} whose last release failed</li>
            <li>{plural(s.openRuns, 'release')} running</li>
            <li>{plural(s.leases, 'lease')} held</li>
            <li>{plural(s.inMaintenance, 'environment')} in maintenance</li>
            <li>{plural(s.trainsInFlight, 'train')} in flight</li>
            <li>{plural(s.rejected, 'version')} rejected</li>
          </ul>
          <ul class="links" aria-label="links">
            {board.environments.map((e) =>
              e.grafanaUrl ? (
                <li key={e.name}>
                  <SafeLink href={e.grafanaUrl}>Grafana: {e.name}</SafeLink>
                </li>
              ) : null,
            )}
            {board.jenkinsUrl ? (
              <li>
                <SafeLink href={board.jenkinsUrl}>Jenkins jobs</SafeLink>
              </li>
            ) : null}
            <li>
              <a href="#waiting">waiting</a>
            </li>
            <li>
              <a href="#trains">trains</a>
            </li>
            <li>
              <a href="#matrix">matrix</a>
            </li>
            <li>
              <a href="#metrics">metrics</a>
            </li>
          </ul>
          <ul class="legend" aria-label="legend">
            <BadgeView badge={{ tone: 'good', text: 'up to date' }} />
            <BadgeView badge={{ tone: 'info', text: 'running or leased' }} />
            <BadgeView badge={{ tone: 'warn', text: 'behind, unknown or maintenance' }} />
            <BadgeView badge={{ tone: 'bad', text: 'failed or drifted' }} />
            <BadgeView badge={{ tone: 'none', text: 'never deployed' }} />
          </ul>
          <h2 id="waiting">Waiting to be promoted</h2>
          <Waiting waiting={board.waiting} />
          <h2 id="trains">Release trains</h2>
          <Trains trains={board.trains} />
          <h2 id="rejected">Rejected versions</h2>
          <Rejections rejections={board.rejections} />
          <h2 id="matrix">What runs where</h2>
          <Matrix board={board} now={now} />
          <h2 id="metrics">Delivery metrics</h2>
          <MetricsSection metrics={board.metrics} />
        </main>
      </body>
    </html>
  );
}

export function renderBoardHtml(board: BoardData): string {
  return `<!doctype html>\n${renderToString(<BoardPage board={board} />)}\n`;
}
