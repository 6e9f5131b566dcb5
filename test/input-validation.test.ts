/**
 * Bad input is refused before any AWS call: fast-check over the release commands' arguments and
 * over TDR_CONFIG, each run through the proxy that counts AWS requests (none allowed), each exit 2
 * naming the argument or the configuration path. An unknown command never exits 0, and no URL
 * that may hold a secret is ever printed.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import fc from 'fast-check';
import { motoServer } from './support/hooks';
import { runTdr } from './support/cli';
import { startProxy, type Proxy } from './support/proxy';
import { QUICK_CONFIG, configFile, sandboxUp, tdr } from './support/release';
import { scratchDir } from './support/scratch';
import { CONFIG_MAX_BYTES } from '../services/input-bounds';

type Env = Record<string, string | undefined>;

const VALID = {
  service: ['frontend', 'consignmentapi', 'keycloak', 'transferservice'],
  env: ['intg', 'staging', 'prod'],
};

/** A command line with one argument replaced by a bad value, and the name the error must give. */
const badArgs: fc.Arbitrary<{ argv: string[]; names: string }> = fc
  .record({
    command: fc.constantFrom(
      (s: string, e: string, v: string) => ['deploy', '--service', s, '--env', e, '--version', v],
      (s: string, e: string, v: string) => ['promote', '--service', s, '--to', e, '--version', v],
      (s: string, e: string, v: string) => ['rollback', '--service', s, '--env', e, '--to', v],
      (s: string, e: string, v: string) => ['approve', '--service', s, '--env', e, '--version', v],
      (s: string, e: string, v: string) => [
        'check',
        'record',
        '--service',
        s,
        '--env',
        e,
        '--version',
        v,
        '--name',
        'e2e',
        '--result',
        'passed',
      ],
      (s: string, e: string) => ['history', '--service', s, '--env', e],
      (s: string, e: string) => ['lease', 'break', '--service', s, '--env', e, '--reason', 'r'],
      (s: string, e: string) => ['ledger', 'reindex', '--service', s, '--env', e],
      (_s: string, e: string) => ['maintenance', 'on', '--env', e, '--reason', 'database upgrade'],
      (_s: string, e: string) => ['maintenance', 'off', '--env', e],
    ),
    which: fc.constantFrom('service', 'env', 'version'),
    value: fc.string({ minLength: 1, maxLength: 12 }).filter((x) => !x.startsWith('-') && x.trim() === x),
  })
  .filter(({ which, value }) =>
    which === 'version' ? !/^v\d+$/.test(value) : !(VALID[which as 'service' | 'env'] ?? []).includes(value),
  )
  .map(({ command, which, value }) => {
    const argv = command(
      which === 'service' ? value : 'frontend',
      which === 'env' ? value : 'prod',
      which === 'version' ? value : 'v2',
    );
    const flag = argv.includes(value) ? argv[argv.indexOf(value) - 1] : undefined;
    return { argv, names: flag ?? '' };
  })
  .filter(({ names }) => names !== '');

/** A TDR_CONFIG with one bad key or value somewhere, and the path the error must name. */
const badConfig: fc.Arbitrary<{ config: unknown; path: string }> = fc.oneof(
  fc
    .record({
      env: fc.constantFrom('intg', 'staging', 'prod'),
      key: fc.constantFrom('soakMinute', 'requiredCheck', 'aproval', 'freeze'),
      value: fc.jsonValue(),
    })
    .map(({ env, key, value }) => ({
      config: { environments: { [env]: { promotion: { [key]: value } } } },
      path: `environments.${env}.promotion`,
    })),
  fc
    .record({
      env: fc.constantFrom('intg', 'staging', 'prod'),
      value: fc.oneof(fc.string(), fc.integer({ max: -1 }), fc.double({ min: 0.1, max: 9.9 }), fc.boolean()),
    })
    .map(({ env, value }) => ({
      config: { environments: { [env]: { promotion: { soakMinutes: value } } } },
      path: `environments.${env}.promotion.soakMinutes`,
    })),
  fc
    .record({ service: fc.constantFrom(...VALID.service), key: fc.constantFrom('cpux', 'imageRepo', 'port') })
    .map(({ service, key }) => ({
      config: { catalogue: { [service]: { [key]: 1 } } },
      path: `catalogue.${service}`,
    })),
);

describe('input validated before any AWS call (fast-check, requests counted by the proxy)', () => {
  let proxy: Proxy;
  let env: Env;
  beforeEach(async () => {
    proxy = await startProxy(motoServer().endpoint);
    env = {
      ...process.env,
      AWS_ENDPOINT_URL: proxy.endpoint,
      TDR_ACCOUNT_IDS: undefined,
      TDR_CONFIG: configFile(QUICK_CONFIG),
    };
  });
  afterEach(async () => proxy.close());

  it('bad arguments: exit 2 naming the argument, no AWS call', async function () {
    this.timeout(120_000);
    await fc.assert(
      fc.asyncProperty(badArgs, async ({ argv, names }) => {
        const r = await runTdr(argv, env);
        expect(r.code, `tdr ${argv.join(' ')}\n${r.stderr}`).to.equal(2);
        const bare = names.replace(/^--/, '');
        expect(r.stderr, `tdr ${argv.join(' ')}`).to.satisfy(
          (e: string) => e.includes(names) || e.includes(`${bare}:`),
        );
        expect(proxy.requests(), `tdr ${argv.join(' ')} called AWS`).to.equal(0);
      }),
      { numRuns: 150 },
    );
  });

  it('bad TDR_CONFIG: exit 2 naming the path, no AWS call', async function () {
    this.timeout(120_000);
    const dir = scratchDir('tdr-bad-config-');
    await fc.assert(
      fc.asyncProperty(
        badConfig,
        fc.constantFrom('deploy', 'status', 'history'),
        async ({ config, path }, cmd) => {
          const file = join(dir, 'config.json');
          writeFileSync(file, JSON.stringify(config));
          const argv =
            cmd === 'deploy'
              ? ['deploy', '--service', 'frontend', '--env', 'intg', '--version', 'v2']
              : cmd === 'history'
                ? ['history', '--env', 'intg']
                : ['status'];
          const r = await runTdr(argv, { ...env, TDR_CONFIG: file });
          expect(r.code, `${JSON.stringify(config)}\n${r.stderr}`).to.equal(2);
          expect(r.stderr).to.contain(path);
          expect(proxy.requests()).to.equal(0);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('unbounded or unsafe values (issue 24 #11): exit 2 naming the field and what is valid, no AWS call', async function () {
    this.timeout(180_000);
    const dir = scratchDir('tdr-bounds-');
    const deploy = ['deploy', '--service', 'frontend', '--env', 'intg', '--version', 'v2'];
    const check = [
      'check',
      'record',
      '--service',
      'frontend',
      '--env',
      'staging',
      '--version',
      'v2',
      '--result',
      'passed',
    ];
    const long = (min: number, max: number) => fc.integer({ min, max }).map((n) => 'a'.repeat(n));
    const hidden = fc.constantFrom('\u200b', '\u2060', '\u00ad', '\u0301', '\n', '\u0007');
    const cases: fc.Arbitrary<{ argv: string[]; env?: Env; field: string }> = fc.oneof(
      fc
        .oneof(
          fc.constantFrom('javascript:alert(1)', 'file:///etc/passwd', 'http://jenkins.example/1'),
          long(2100, 100_000).map((a) => `https://jenkins.example/${a}`),
        )
        .map((url) => ({ argv: [...deploy, '--build-url', url], field: 'build-url' })),
      long(501, 100_000).map((r) => ({ argv: [...deploy, '--break-glass', '--reason', r], field: 'reason' })),
      long(501, 100_000).map((r) => ({
        argv: ['maintenance', 'on', '--env', 'intg', '--reason', r],
        field: 'reason',
      })),
      long(501, 100_000).map((r) => ({
        argv: ['lease', 'break', '--service', 'frontend', '--env', 'intg', '--reason', r],
        field: 'reason',
      })),
      long(64, 10_000).map((n) => ({ argv: [...check, '--name', n], field: 'name' })),
      fc
        .constantFrom('file:///etc/passwd', 'javascript:alert(1)')
        .map((u) => ({ argv: [...check, '--name', 'e2e', '--url', u], field: 'url' })),
      fc.integer({ min: 128, max: 5001 }).map((n) => ({
        argv: ['deploy', '--service', 'frontend', '--env', 'intg', '--version', `v${'1'.repeat(n)}`],
        field: 'version',
      })),
      fc
        .oneof(fc.integer({ min: 900_001, max: 2 ** 40 }), fc.integer({ min: 1, max: 2_999 }))
        .map((ttl) => ({ argv: deploy, env: { TDR_LEASE_TTL_MS: String(ttl) }, field: 'TDR_LEASE_TTL_MS' })),
      hidden.map((h) => ({ argv: [...deploy, '--actor', `alice${h}`], field: 'actor' })),
      fc
        .oneof(
          long(1025, 300_000),
          fc.constantFrom('\u200b', '\u2060', '\u00ad', '\n', '\u0007').map((h) => `no${h}problem`),
        )
        .map((reason) => {
          const file = join(dir, `config-${reason.length}-${reason.charCodeAt(2)}.json`);
          const window = { days: ['Fri'], from: '00:00', to: '24:00', timezone: 'Europe/London', reason };
          const text = JSON.stringify({ environments: { prod: { promotion: { freezeWindows: [window] } } } });
          writeFileSync(file, text);
          // Over 256 KiB the file itself is refused, naming TDR_CONFIG; below, the string by its path.
          const field =
            Buffer.byteLength(text) > CONFIG_MAX_BYTES
              ? 'TDR_CONFIG'
              : 'environments.prod.promotion.freezeWindows[0].reason';
          return { argv: deploy, env: { TDR_CONFIG: file }, field };
        }),
    );
    await fc.assert(
      fc.asyncProperty(cases, async ({ argv, env: extra, field }) => {
        const what = `tdr ${argv.join(' ').slice(0, 200)}`;
        const before = proxy.requests();
        const r = await runTdr(argv, { ...env, ...extra });
        expect(r.code, `${what}\n${r.stderr.slice(0, 500)}`).to.equal(2);
        expect(r.stderr, what).to.contain(field);
        // The bad value is echoed once at most (commander quotes an option's argument), never stored.
        const longest = Math.max(...argv.map((a) => a.length));
        expect(r.stderr.length, `${what}: the error repeats the value`).to.be.below(2_000 + longest);
        expect(proxy.requests() - before, `${what} called AWS`).to.equal(0);
      }),
      { numRuns: 80 },
    );
  });

  it('timings from the environment: a negative TDR_RELEASE_POLL_MS exits 2 before any AWS call', async () => {
    const r = await runTdr(['deploy', '--service', 'frontend', '--env', 'intg', '--version', 'v2'], {
      ...env,
      TDR_RELEASE_POLL_MS: '-5',
    });
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain('TDR_RELEASE_POLL_MS: must be a positive whole number');
    expect(proxy.requests()).to.equal(0);
  });

  it('an unknown command never exits 0, even followed by --version', async () => {
    const r = await runTdr(['promte', '--service', 'frontend', '--to', 'prod', '--version', 'v3'], env);
    expect(r.code).to.equal(2);
    expect(r.stdout).to.not.contain('0.1.0');
    expect(r.stderr).to.contain("unknown command 'promte'");
    expect(proxy.requests()).to.equal(0);
  });
});

describe('no secret URL is printed (moto)', () => {
  it('a malformed Slack webhook URL is shown by its host at most, in text and in -o json', async () => {
    // Malformed (the port): fetch's error quotes the whole URL.
    const secret = 'https://hooks.slack.com:99999/services/T000/B000/XyZsEcReT';
    const env = await sandboxUp({
      TDR_SLACK_WEBHOOK_URL: secret,
      GRAFANA_URL: 'http://u:pw@127.0.0.1:1/x?token=t',
      GRAFANA_TOKEN: 't0k3n',
    });
    for (const output of ['table', 'json']) {
      const version = output === 'json' ? 'v3' : 'v2';
      const r = await tdr(
        ['deploy', '--service', 'frontend', '--env', 'intg', '--version', version, '-o', output],
        env,
      );
      for (const leaked of ['XyZsEcReT', 'T000', 'pw@', 't0k3n', 'token=t'])
        expect(r.stdout + r.stderr, `${output}: ${leaked}`).to.not.contain(leaked);
      expect(r.stdout).to.contain('https://hooks.slack.com:99999/…');
    }
  });

  it('check record of a version not in ECR is refused (exit 3, like a release), never "invalid" after AWS calls', async () => {
    const env = await sandboxUp();
    const r = await tdr(
      [
        'check',
        'record',
        '--service',
        'frontend',
        '--env',
        'staging',
        '--version',
        'v99',
        '--name',
        'e2e',
        '--result',
        'passed',
      ],
      env,
      3,
    );
    expect(r.stderr).to.contain('v99 does not exist in ECR repository transfer-frontend');
  });
});
