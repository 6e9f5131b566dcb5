/**
 * The release board from a real run: a sandbox on moto, releases made with `tdr` (deploys,
 * promotions to prod with an approval, a rollback), a lease held, a service changed behind the
 * platform's back; then `tdr report --html` writes the page and headless Chromium checks what a
 * person would. The screenshot lands in test-output/report-sandbox/ (git-ignored).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { S3Client } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { chromium, type Browser, type Page } from 'playwright-core';
import { naming } from '../services/naming';
import { Leases } from '../pipelines/release/ledger/lease';
import type { BoardData } from '../pipelines/report/board';
import { motoServer } from './support/hooks';
import { approveAs, changeImageBehindTheBack, sandboxUp, tdr } from './support/release';

const CHROMIUM = process.env.TDR_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
];
const OUT = resolve(__dirname, '..', 'test-output', 'report-sandbox');

type Env = Record<string, string | undefined>;

/** Free text, shown on the board: it must stay text there. */
const MAINTENANCE_REASON = 'database upgrade <script>window.__xss=1</script>';

/**
 * frontend: v2 to prod (approved by alice), v3 up to staging (prod lags by one), intg rolled back
 * to v2; staging then switched into maintenance by ops.
 */
async function scenario(env: Env): Promise<void> {
  const frontend = (...args: string[]) => ['--service', 'frontend', ...args];
  await tdr(['deploy', ...frontend('--env', 'intg', '--version', 'v2', '--actor', 'jenkins')], env);
  await tdr(['promote', ...frontend('--to', 'staging', '--actor', 'bob')], env);
  await tdr(
    [
      'check',
      'record',
      ...frontend('--env', 'staging', '--version', 'v2', '--name', 'e2e', '--result', 'passed'),
    ],
    env,
  );
  await approveAs(env, 'alice');
  await tdr(['promote', ...frontend('--to', 'prod', '--actor', 'bob')], env);
  await tdr(['deploy', ...frontend('--env', 'intg', '--version', 'v3', '--actor', 'jenkins')], env);
  await tdr(['promote', ...frontend('--to', 'staging', '--actor', 'bob')], env);
  await tdr(['rollback', ...frontend('--env', 'intg', '--actor', 'ops')], env);

  await tdr(
    ['deploy', '--service', 'keycloak', '--env', 'intg', '--version', 'v2', '--actor', 'jenkins'],
    env,
  );
  await changeImageBehindTheBack('keycloak', 'intg', 'nginx:latest');

  // A release of consignmentapi in staging that is (as far as anyone can see) still running.
  await new Leases(new S3Client({}), naming.ledgerBucket()).acquire(
    'consignmentapi',
    'staging',
    'jenkins-build-77',
    'run-77',
    10 * 60_000,
  );

  await tdr(['maintenance', 'on', '--env', 'staging', '--reason', MAINTENANCE_REASON, '--actor', 'ops'], env);
}

const cell = (page: Page, service: string, env: string) =>
  page.locator(`td.cell[data-service="${service}"][data-env="${env}"]`);

describe('release board from a sandbox on moto, in a browser', function () {
  let browser: Browser;
  let page: Page;
  let data: BoardData;
  const requests: string[] = [];
  let url: string;
  let report: { stdout: string; stderr: string };

  before(async function () {
    this.timeout(300_000);
    if (!existsSync(CHROMIUM))
      throw new Error(`Chromium is missing at ${CHROMIUM} (apt-get install chromium; .ci/run installs it)`);
    // The harness resets moto before each test; the scenario is built once for all of them.
    await motoServer().reset();
    const env = await sandboxUp();
    await scenario(env);
    mkdirSync(OUT, { recursive: true });
    const file = join(OUT, 'release-report.html');
    const r = await tdr(['report', '--html', file, '-o', 'json'], env);
    data = JSON.parse(r.stdout) as BoardData;
    expect(r.stderr).not.to.contain('degraded: maintenance');
    // moto is reset before each test: the text summary is read here too.
    report = await tdr(['report'], env);
    expect(readFileSync(file, 'utf8')).to.match(/^<!DOCTYPE html>/i);

    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('request', (req) => requests.push(req.url()));
    url = pathToFileURL(file).href;
    await page.goto(url, { waitUntil: 'load' });
  });

  after(async () => {
    await browser?.close();
  });

  it('the prod cell of frontend says it is one version behind staging, and the promotion waits', async () => {
    const text = await cell(page, 'frontend', 'prod').innerText();
    expect(text).to.contain('v2');
    expect(text).to.contain('behind staging by 1 version');
    const waiting = await page
      .locator('table.waiting tr[data-service="frontend"][data-env="prod"]')
      .innerText();
    expect(waiting).to.contain('tdr promote --service frontend --to prod --version v3');
  });

  it('the cell changed behind the platform’s back says it drifted', async () => {
    const c = cell(page, 'keycloak', 'intg');
    const text = await c.innerText();
    expect(text).to.contain('drift: runtime differs from ledger');
    expect(text).to.contain('the ledger says v2');
    expect(await c.getAttribute('data-tone')).to.equal('bad');
  });

  it('the held lease shows on its cell', async () => {
    expect(await cell(page, 'consignmentapi', 'staging').innerText()).to.contain(
      'lease held by jenkins-build-77',
    );
  });

  it('a cell opens its history: the rollback in intg, the approved promotion in prod', async () => {
    const intg = cell(page, 'frontend', 'intg');
    await intg.locator('summary').click();
    const first = await intg.locator('ol.history li').first().innerText();
    expect(first).to.contain('rollback');
    expect(first).to.contain('ops');
    const prod = cell(page, 'frontend', 'prod');
    await prod.locator('summary').click();
    const entry = await prod.locator('ol.history li').first().innerText();
    expect(entry).to.contain('promote from staging');
    expect(entry).to.contain('approved by alice');
  });

  it('the metrics show one deployment to prod, none failed', async () => {
    const big = (metric: string) =>
      page.locator(`section.card[data-metric="${metric}"] .big[data-window="30"]`).innerText();
    expect(await big('deployments')).to.equal('1');
    expect(await big('failure-rate')).to.equal('0%');
    expect(data.metrics.overall.windows[0]).to.deep.include({ days: 30 });
    const detail = await page.locator('section.card[data-metric="failure-rate"]').innerText();
    expect(detail).to.contain('0 of 1 release');
  });

  it('staging, switched into maintenance with tdr, has a banner and a marked column; the reason stays text', async () => {
    const banner = page.locator('.banner[data-env="staging"]');
    const text = await banner.innerText();
    expect(text).to.contain('staging is in maintenance');
    expect(text).to.match(/since \d{4}-\d\d-\d\d \d\d:\d\d UTC \(\d+ min ago\) by ops \(ledger #\d+\)/);
    expect(text).to.contain(`reason: ${MAINTENANCE_REASON}`);
    expect(text).to.contain('end it: tdr maintenance off --env staging');
    expect(
      await page.locator('table.matrix thead th[data-env="staging"]').getAttribute('data-maintenance'),
    ).to.equal('on');
    // intg and prod are not in maintenance, and their listeners agree: no banner.
    expect(await page.locator('.banner').count()).to.equal(1);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).to.equal(undefined);
    expect(await page.locator('script').count()).to.equal(0);
    const staging = data.environments.find((e) => e.name === 'staging')?.maintenance;
    expect(staging).to.deep.include({
      on: true,
      by: 'ops',
      reason: MAINTENANCE_REASON,
      listener: true,
      drift: [],
      problems: [],
      endCommand: 'tdr maintenance off --env staging',
    });
    expect(data.summary).to.deep.include({ inMaintenance: 1, maintenanceDrifted: 0 });
    expect(report.stdout).to.contain(' · 1 in maintenance');
    expect(report.stdout).to.match(
      /^maintenance staging ON since \S+ by ops \(ledger #\d+\): database upgrade <script>.*<\/script> — end it with tdr maintenance off --env staging$/m,
    );
  });

  it('loads nothing from the network, and is saved as a screenshot', async () => {
    await page.waitForLoadState('networkidle');
    expect(requests).to.deep.equal([url]);
    await page.evaluate(() => window.scrollTo(0, 0));
    const file = join(OUT, 'release-report.png');
    await page.screenshot({ path: file, fullPage: true });
    expect(existsSync(file)).to.equal(true);
  });
});
