/**
 * The release board as a person sees it: the page rendered from a hand-built scenario, opened in
 * headless Chromium (Debian's `chromium`, driven by playwright-core), checked by what it shows.
 * The screenshot lands in test-output/report-browser/ (git-ignored) for a person to look at.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'chai';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildBoard, type BoardInput } from '../pipelines/report/board';
import { renderBoardHtml } from '../pipelines/report/html';
import {
  SCENARIO_FACTS,
  TRAIN_FACTS,
  XSS,
  scenarioInput,
  trainScenarioInput,
} from './support/report-scenario';

const CHROMIUM = process.env.TDR_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-quic',
  '--disable-component-update',
  '--disable-sync',
];
const OUT = resolve(__dirname, '..', 'test-output', 'report-browser');
const LAPTOP = { width: 1280, height: 900 };

/** The page on disk, as Jenkins archives it, and every request Chromium made while showing it. */
async function openBoard(browser: Browser, input: BoardInput, name: string) {
  mkdirSync(OUT, { recursive: true });
  const file = join(OUT, `${name}.html`);
  writeFileSync(file, renderBoardHtml(buildBoard(input)));
  const page = await browser.newPage({ viewport: LAPTOP });
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  const url = pathToFileURL(file).href;
  await page.goto(url, { waitUntil: 'load' });
  return { page, requests, url };
}

const cell = (page: Page, service: string, env: string) =>
  page.locator(`td.cell[data-service="${service}"][data-env="${env}"]`);

/** Five environments and fifty services: what the layout has to hold at laptop width. */
function wideInput(): BoardInput {
  const input = scenarioInput();
  const names = ['dev', 'intg', 'staging', 'preprod', 'prod'];
  const extra = (service: string) => service.startsWith('service-');
  return {
    ...input,
    live: (service, env) => (extra(service) ? { state: 'absent' } : input.live(service, env)),
    model: {
      services: [
        ...input.model.services,
        ...Array.from({ length: 46 }, (_, i) => ({ name: `service-${i}`, kind: 'service' as const })),
      ],
      environments: names.map((name, i) => ({ name, source: i === 0 ? null : names[i - 1]! })),
    },
  };
}

describe('release board in a browser', function () {
  let browser: Browser;
  let board: Awaited<ReturnType<typeof openBoard>>;

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `Chromium is missing at ${CHROMIUM}: the release board's browser test needs Debian's chromium (apt-get install chromium; .ci/run installs it), or TDR_CHROMIUM set to a Chromium binary`,
      );
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    board = await openBoard(browser, scenarioInput(), 'board');
  });

  after(async () => {
    await browser?.close();
  });

  it('the prod cell of a service that lags says by how much, and the command to promote it waits', async () => {
    const { service, env, behindBy, of, days, waits } = SCENARIO_FACTS.lagging;
    const text = await cell(board.page, service, env).innerText();
    expect(text).to.contain(`behind ${of} by ${behindBy} versions, ${days}`);
    expect(text).to.contain('v10');
    const waiting = await board.page
      .locator(`table.waiting tr[data-service="${service}"][data-env="${env}"]`)
      .innerText();
    expect(waiting).to.contain(`tdr promote --service ${service} --to ${env} --version ${waits}`);
  });

  it('a drifted cell says what runs and what the ledger says', async () => {
    const { service, env, runs, ledger } = SCENARIO_FACTS.drifted;
    const text = await cell(board.page, service, env).innerText();
    expect(text).to.contain('drift: runtime differs from ledger');
    expect(text).to.match(
      new RegExp(`the runtime runs ${runs} \\(sha256:\\w+\\); the ledger says ${ledger}`),
    );
    expect(await cell(board.page, service, env).getAttribute('data-tone')).to.equal('bad');
  });

  it('a held lease and the open run show', async () => {
    const { service, env, holder } = SCENARIO_FACTS.lease;
    const text = await cell(board.page, service, env).innerText();
    expect(text).to.contain(`lease held by ${holder}`);
    expect(text).to.contain(`release running: v3 by ${holder}`);
  });

  it('a cell opens its history on click, with who approved, the gates and how long it took', async () => {
    const prod = cell(board.page, 'frontend', 'prod');
    const entry = prod.locator('ol.history li').first();
    expect(await entry.isVisible()).to.equal(false);
    await prod.locator('summary').click();
    expect(await entry.isVisible()).to.equal(true);
    const text = await entry.innerText();
    expect(text).to.contain('promote from staging');
    expect(text).to.contain('approved by carol');
    expect(text).to.contain('took 4 min');
    expect(text).to.contain('✓ order');
    expect(text).to.contain('✓ e2e');
  });

  it('the metrics show the numbers of the scenario', async () => {
    const m = SCENARIO_FACTS.metrics30;
    const big = (metric: string) =>
      board.page.locator(`section.card[data-metric="${metric}"] .big[data-window="30"]`).innerText();
    expect(await big('deployments')).to.equal(String(m.deployments));
    expect(await big('failure-rate')).to.equal(m.failureRate);
    expect(await big('lead-time')).to.equal(m.leadTimeMedian);
    const detail = await board.page.locator('section.card[data-metric="failure-rate"]').innerText();
    expect(detail).to.contain(`${m.failures} of ${m.changes} releases`);
    expect(await board.page.locator('section.card svg').count()).to.be.greaterThan(0);
  });

  it('a version, actor or reason holding <script> renders as text and runs nothing', async () => {
    const intg = cell(board.page, 'frontend', 'intg');
    await intg.locator('summary').click();
    const text = await intg.innerText();
    expect(text).to.contain(`v13${XSS}`);
    expect(text).to.contain(`by mallory${XSS}`);
    expect(text).to.contain(`reason: because ${XSS}`);
    expect(text).to.contain('<img src=x onerror="window.__xss=2">');
    expect(await board.page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).to.equal(
      undefined,
    );
    expect(await board.page.locator('script, img, iframe, object').count()).to.equal(0);
  });

  it('an environment in maintenance has a banner at the top and a marked, hatched column; its reason stays text', async () => {
    const m = SCENARIO_FACTS.maintenance;
    const banner = board.page.locator(`.banner[data-env="${m.env}"]`);
    const text = await banner.innerText();
    expect(text).to.contain(
      `${m.env} is in maintenance: every request gets the service-unavailable page (503)`,
    );
    expect(text).to.contain(`since 2026-06-30 10:00 UTC (2 h ago) by ${m.by} (ledger #${m.seq})`);
    expect(text).to.contain(`reason: ${m.reason}`);
    expect(text).to.contain(`end it: ${m.command}`);
    // Above the fold, before anything else on the page is read.
    const box = await banner.boundingBox();
    expect(box?.y).to.be.lessThan(LAPTOP.height / 2);
    const header = board.page.locator(`table.matrix thead th[data-env="${m.env}"]`);
    expect(await header.getAttribute('data-maintenance')).to.equal('on');
    expect(await header.innerText()).to.contain('in maintenance');
    const hatched = await cell(board.page, 'frontend', m.env).evaluate(
      (td) => getComputedStyle(td).backgroundImage,
    );
    expect(hatched).to.contain('repeating-linear-gradient');
    expect(
      await cell(board.page, 'frontend', 'intg').evaluate((td) => getComputedStyle(td).backgroundImage),
    ).to.equal('none');
    expect(await board.page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).to.equal(
      undefined,
    );
  });

  it('a maintenance switch that drifted from its listener is shown as a problem', async () => {
    const { env, drift } = SCENARIO_FACTS.maintenanceDrift;
    const banner = board.page.locator(`.banner[data-env="${env}"]`);
    expect(await banner.getAttribute('data-tone')).to.equal('bad');
    expect(await banner.innerText()).to.contain(drift);
    expect(await board.page.locator(`table.matrix thead th[data-env="${env}"]`).innerText()).to.contain(
      'drift: maintenance switch differs from the listener',
    );
    expect(await board.page.locator('.banner[data-env="intg"]').count()).to.equal(0);
  });

  it('the page loads nothing from the network', async () => {
    await board.page.waitForLoadState('networkidle');
    expect(board.requests).to.deep.equal([board.url]);
  });

  it('is saved as a screenshot for people to look at', async () => {
    await cell(board.page, 'keycloak', 'prod').locator('summary').click();
    // From the top, so the sticky headers sit where they belong in a full-page picture.
    await board.page.evaluate(() => window.scrollTo(0, 0));
    const file = join(OUT, 'board.png');
    await board.page.screenshot({ path: file, fullPage: true });
    expect(existsSync(file)).to.equal(true);
    console.log(`      screenshot: ${file}`);
  });

  it('shows the train in flight member by member, what it left out and why, and the last train of another environment', async () => {
    const trains = await openBoard(browser, trainScenarioInput(), 'board-trains');
    try {
      const { inFlight, finished } = TRAIN_FACTS;
      const flying = trains.page.locator(`section.train[data-env="${inFlight.env}"]`);
      expect(await flying.getAttribute('data-in-flight')).to.equal('yes');
      const text = await flying.innerText();
      expect(text).to.contain(inFlight.trainId).and.contain('promote in flight');
      const members = flying.locator('ol.members li');
      expect(await members.count()).to.equal(inFlight.members.length);
      for (const [i, m] of inFlight.members.entries())
        expect(await members.nth(i).innerText())
          .to.contain(m.name)
          .and.contain(m.outcome ?? 'waiting');
      const left = TRAIN_FACTS.rejected.find((r) => r.subject === inFlight.leftOut.name)!;
      const leftOut = await flying.locator(`li[data-left-out="${left.subject}"]`).innerText();
      expect(leftOut).to.contain(`left out ${left.subject} ${left.version}`).and.contain(left.reason);
      const done = await trains.page.locator(`section.train[data-env="${finished.env}"]`).innerText();
      expect(done).to.contain(finished.trainId).and.contain('promote succeeded');
      // Rejected versions: the list (tasks too), the marker beside each service's name, the cells.
      expect(await trains.page.locator('table.rejections tbody tr').count()).to.equal(
        TRAIN_FACTS.rejected.length,
      );
      for (const r of TRAIN_FACTS.rejected) {
        const row = await trains.page
          .locator(`table.rejections tr[data-service="${r.subject}"][data-version="${r.version}"]`)
          .innerText();
        expect(row).to.contain(r.by).and.contain(r.reason).and.contain(`tdr unreject --service ${r.subject}`);
      }
      const marker = trains.page.locator('table.matrix tbody th', { hasText: 'consignmentapi' });
      expect(await marker.innerText()).to.contain('v5 rejected by carol');
      expect(await cell(trains.page, 'consignmentapi', 'prod').getAttribute('data-tone')).to.equal('bad');
      expect(await cell(trains.page, 'consignmentapi', 'prod').innerText()).to.contain('runs rejected v5');
      expect(
        await trains.page.locator('table.waiting tr[data-service="frontend"][data-env="prod"]').count(),
      ).to.equal(0);
      // A reason holding <script> stays text.
      expect(await trains.page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).to.equal(
        undefined,
      );
      expect(await trains.page.locator('script, img, iframe, object').count()).to.equal(0);
      await trains.page.screenshot({ path: join(OUT, 'board-trains.png'), fullPage: true });
      expect(trains.requests).to.deep.equal([trains.url]);
    } finally {
      await trains.page.close();
    }
  });

  it('holds five environments and fifty services at 1280 px: no horizontal scroll, the header stays', async () => {
    const wide = await openBoard(browser, wideInput(), 'board-wide');
    try {
      for (const summary of await wide.page.locator('td.cell summary').all()) await summary.click();
      const overflow = () =>
        wide.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(await overflow()).to.equal(0);
      await wide.page.locator('td.cell[data-service="service-30"][data-env="prod"]').scrollIntoViewIfNeeded();
      const header = await wide.page.locator('table.matrix thead th').first().boundingBox();
      expect(header?.y).to.be.closeTo(0, 1);
      await wide.page.screenshot({ path: join(OUT, 'board-wide.png') });

      await wide.page.emulateMedia({ media: 'print' });
      expect(await overflow()).to.equal(0);
      expect(
        await wide.page
          .locator('table.matrix thead th')
          .first()
          .evaluate((th) => getComputedStyle(th).position),
      ).to.equal('static');
      expect(wide.requests).to.deep.equal([wide.url]);
    } finally {
      await wide.page.close();
    }
  });
});
