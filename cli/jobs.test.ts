import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { runTdr } from '../test/support/cli';

describe('tdr jobs build', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tdr-jobs-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the seed, the Jenkinsfiles and jenkins.yaml under --out, and the root Jenkinsfile on request', async () => {
    const out = join(dir, 'jenkins');
    const root = join(dir, 'Jenkinsfile');
    const result = await runTdr(['-o', 'json', 'jobs', 'build', '--out', out, '--jenkinsfile', root], {});
    expect(result.code, result.stderr).to.equal(0);
    const { files } = JSON.parse(result.stdout) as { files: string[] };
    expect(files).to.include.members([join(out, 'seed.groovy'), join(out, 'jenkins.yaml'), root]);
    for (const f of files) expect(existsSync(f), f).to.equal(true);
    expect(readdirSync(join(out, 'pipelines'))).to.include('promote-prod.Jenkinsfile');
    expect(readFileSync(root, 'utf8')).to.equal(readFileSync(join(out, 'Jenkinsfile'), 'utf8'));
  });

  it('refuses an --out that is a file with exit 2, writing nothing', async () => {
    const file = join(dir, 'not-a-dir');
    writeFileSync(file, 'x');
    const result = await runTdr(
      ['jobs', 'build', '--out', file, '--jenkinsfile', join(dir, 'Jenkinsfile')],
      {},
    );
    expect(result.code).to.equal(2);
    expect(result.stderr).to.match(/--out: .* is a file/);
    expect(readdirSync(dir)).to.deep.equal(['not-a-dir']);
  });

  it('reports an invalid platform configuration with exit 2', async () => {
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ catalogue: { frontend: { cpu: { prod: 3 } } } }));
    const result = await runTdr(['jobs', 'build', '--out', join(dir, 'out')], { TDR_CONFIG: config });
    expect(result.code).to.equal(2);
    expect(result.stderr).to.contain('catalogue.frontend.cpu.prod');
    expect(existsSync(join(dir, 'out'))).to.equal(false);
  });

  it('lists the jobs with their agent, who may run them and who approves', async () => {
    const result = await runTdr(['-o', 'json', 'jobs', 'list'], {});
    expect(result.code, result.stderr).to.equal(0);
    const rows = JSON.parse(result.stdout) as Array<{
      path: string;
      agent: string;
      runnableBy: string[];
      approvedBy: string | null;
      locked: boolean;
    }>;
    const prod = rows.find((r) => r.path === 'prod/frontend/promote');
    expect(prod).to.deep.include({ agent: 'ecs-prod', approvedBy: 'admins', locked: true });
    expect(prod?.runnableBy).to.deep.equal(['admins']);
    const table = await runTdr(['jobs', 'list'], {});
    expect(table.stdout.split('\n')[0]).to.match(/^JOB\s+KIND\s+AGENT/);
    expect(table.stdout).to.match(
      /intg\/frontend\/deploy\s+deploy\s+ecs-intg\s+developers,admins\s+-\s+yes\s+remote/,
    );
  });
});
