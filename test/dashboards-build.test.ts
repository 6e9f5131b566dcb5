/** `tdr dashboards build` in-process: files on disk, output formats, bad configuration. */
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { generate } from '../dashboards';
import { loadPlatform } from '../services/config';
import { workloadEnvironmentNames } from '../services/queries';
import { runTdr } from './support/cli';

// Every dashboard the model gives, the two provisioning files (datasources, dashboard provider), and
// alerting: a file per workload environment and the notification policy tree.
const PLATFORM = loadPlatform({});
const EXPECTED_FILES =
  generate(PLATFORM).dashboards.length + 2 + workloadEnvironmentNames(PLATFORM.environments).length + 1;

describe('tdr dashboards build', () => {
  let dir: string;
  const env = (extra: Record<string, string> = {}) => {
    const { TDR_CONFIG: _c, TDR_ACCOUNT_IDS: _a, ...rest } = process.env;
    return { ...rest, ...extra };
  };
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tdr-dashboards-build-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes dashboards by folder and provisioning files, listing them on stdout', async () => {
    const r = await runTdr(['dashboards', 'build', '--out', dir], env());
    expect(r.code, r.stderr).to.equal(0);
    const listed = r.stdout.trim().split('\n');
    expect(listed).to.have.length(EXPECTED_FILES);
    expect(listed).to.include(join(dir, 'dashboards', 'TDR prod', 'tdr-prod-alarms.json'));
    expect(listed).to.include(join(dir, 'provisioning', 'alerting', 'tdr-prod.yaml'));
    expect(r.stderr).to.equal(`wrote ${EXPECTED_FILES} files under ${dir}\n`);
    expect(await readdir(join(dir, 'provisioning'))).to.have.members([
      'alerting',
      'dashboards',
      'datasources',
    ]);
  });

  it('-o json prints the files as JSON', async () => {
    const r = await runTdr(['-o', 'json', 'dashboards', 'build', '--out', dir], env());
    expect(r.code, r.stderr).to.equal(0);
    const { files } = JSON.parse(r.stdout) as { files: string[] };
    expect(files).to.have.length(EXPECTED_FILES);
    for (const f of files.filter((x) => x.endsWith('.json'))) {
      const model = JSON.parse(await readFile(f, 'utf8')) as { uid: string };
      expect(f.endsWith(`${model.uid}.json`), f).to.equal(true);
    }
  });

  it('follows TDR_CONFIG: a service added by configuration appears in every overview', async () => {
    const config = join(dir, 'config.json');
    await writeFile(
      config,
      JSON.stringify({
        catalogue: {
          reportservice: {
            kind: 'service',
            pascalName: 'ReportService',
            description: 'Reports on transfers',
            imageRepository: 'report-service',
            source: {
              repository: 'tdr-report-service',
              dockerfile: 'Dockerfile',
              mainBranch: 'master',
              test: 'sbt test',
              package: 'sbt assembly',
            },
            containerPort: 8080,
            healthCheck: { path: '/healthcheck', matcher: '200', port: 8080 },
            cpu: { intg: 256, staging: 256, prod: 256 },
            memory: { intg: 512, staging: 512, prod: 512 },
            desiredCount: { intg: 1, staging: 1, prod: 2 },
            hostnamePrefix: 'reports',
            sidecars: [],
            database: false,
          },
        },
      }),
    );
    const out = join(dir, 'out');
    const r = await runTdr(['dashboards', 'build', '--out', out], env({ TDR_CONFIG: config }));
    expect(r.code, r.stderr).to.equal(0);
    for (const e of ['intg', 'staging', 'prod']) {
      const json = await readFile(
        join(out, 'dashboards', `TDR ${e}`, `tdr-${e}-services-overview.json`),
        'utf8',
      );
      expect(json, e).to.include(`"ClusterName": "reportservice_${e}"`);
    }
  });

  it('malformed TDR_ACCOUNT_IDS exits 2 naming the variable and writes nothing', async () => {
    const r = await runTdr(['dashboards', 'build', '--out', dir], env({ TDR_ACCOUNT_IDS: 'not json' }));
    expect(r.code).to.equal(2);
    expect(r.stderr).to.match(/TDR_ACCOUNT_IDS: is not JSON/);
    expect(await readdir(dir)).to.deep.equal([]);
  });
});
