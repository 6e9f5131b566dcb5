/** The page's maintenance banners and column markers, from the hand-built scenario (the browser test shows them in Chromium). */
import { expect } from 'chai';
import { MAINTENANCE_OFF, SCENARIO_FACTS, XSS, scenarioInput } from '../../test/support/report-scenario';
import { buildBoard } from './board';
import { renderBoardHtml } from './html';

/** The `<tag class="cls…" … data-env="env">` element, up to its closing tag (none of these nest their own tag). */
function element(html: string, tag: string, cls: string, env: string): string {
  const open = new RegExp(`<${tag}\\b[^>]*\\bclass="${cls}[^"]*"[^>]*data-env="${env}"[^>]*>`).exec(html);
  if (!open) return '';
  return html.slice(open.index, html.indexOf(`</${tag}>`, open.index) + tag.length + 3);
}

describe('release board page: the maintenance switch', () => {
  const html = renderBoardHtml(buildBoard(scenarioInput()));
  const m = SCENARIO_FACTS.maintenance;
  // Preact escapes `&` and `<` in text (a `>` cannot open a tag).
  const escaped = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

  it('an environment in maintenance has a banner with since, by, reason and the command that ends it', () => {
    const banner = element(html, 'div', 'banner', m.env);
    expect(banner).to.contain('class="banner tone-warn"');
    expect(banner).to.contain('data-maintenance="on"');
    expect(banner).to.contain(
      'staging is in maintenance: every request gets the service-unavailable page (503)',
    );
    expect(banner).to.contain(`since 2026-06-30 10:00 UTC (2 h ago) by ${m.by} (ledger #${m.seq})`);
    expect(banner).to.contain(`reason: ${escaped(m.reason)}`);
    expect(banner).to.contain(`end it: <code>${m.command}</code>`);
    expect(banner).to.contain('<code>tdr history --env staging --service maintenance</code>');
  });

  it('its column header is marked and its cells hatched; another environment’s are not', () => {
    const header = element(html, 'th', 'in-maintenance', m.env);
    expect(header).to.contain('data-maintenance="on"');
    expect(header).to.contain('in maintenance</li>');
    expect(html).to.match(
      /<td class="cell tone-\w+ in-maintenance" data-service="frontend" data-env="staging"/,
    );
    expect(html).to.match(/<td class="cell tone-\w+" data-service="frontend" data-env="intg"/);
    expect(html).to.match(/<th scope="col" data-env="intg" data-maintenance="off">intg<\/th>/);
    expect(element(html, 'div', 'banner', 'intg')).to.equal('');
    expect(html).to.contain('<li>1 environment in maintenance</li>');
  });

  it('a switch that drifted from its listener is a problem: a bad banner saying what differs, and a header badge', () => {
    const { env, drift } = SCENARIO_FACTS.maintenanceDrift;
    const banner = element(html, 'div', 'banner', env);
    expect(banner).to.contain('class="banner tone-bad"');
    expect(banner).to.contain('data-maintenance="off"');
    expect(banner).to.contain(`<li>${drift}</li>`);
    expect(banner).not.to.contain('end it:');
    expect(html).to.match(
      /<th scope="col" data-env="prod" data-maintenance="off">prod<span class="muted"> ← staging<\/span><ul class="badges"><li class="badge tone-bad">.*drift: maintenance switch differs from the listener<\/li>/,
    );
  });

  it('the reason is free text: `<script>` in it stays text', () => {
    expect(m.reason).to.contain(XSS);
    expect(html).not.to.contain('<script');
    expect(html).to.contain(escaped(XSS));
  });

  it('no environment in doubt, no banner', () => {
    const quiet = renderBoardHtml(buildBoard({ ...scenarioInput(), maintenance: () => MAINTENANCE_OFF }));
    expect(quiet).not.to.contain('class="maintenance"');
    expect(quiet).not.to.match(/class="[^"]*in-maintenance/);
    expect(quiet).to.contain('<li>0 environments in maintenance</li>');
  });
});
