import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { Command } from 'commander';
import { runTdr } from '../test/support/cli';
import { buildProgram } from './main';
import { loadPlatform } from '../services/config';
import { namesOfKind } from '../services/queries';
import { envOption, serviceOption, type CliContext } from './context';

describe('tdr (cli/main)', () => {
  it('prints the model as JSON other tools can read: tdr envs -o json', async () => {
    const { code, stdout } = await runTdr(['envs', '-o', 'json'], {});
    expect(code).to.equal(0);
    const parsed = JSON.parse(stdout) as { promotionPath: string[]; environments: Array<{ name: string }> };
    expect(parsed.promotionPath).to.deep.equal(['build', 'intg', 'staging', 'prod']);
    expect(parsed.environments.map((e) => e.name)).to.deep.equal(['mgmt', 'sbox', 'intg', 'staging', 'prod']);
  });

  it('prints the catalogue as JSON: tdr services -o json', async () => {
    const { code, stdout } = await runTdr(['services', '-o', 'json'], {});
    expect(code).to.equal(0);
    const parsed = JSON.parse(stdout) as Array<{ name: string; kind: string; cpu: Record<string, number> }>;
    expect(parsed.filter((e) => e.kind === 'service').map((e) => e.name)).to.deep.equal(
      namesOfKind(loadPlatform({}).catalogue, 'service'),
    );
    expect(parsed.map((e) => e.name)).to.include.members(['frontend', 'consignmentapi', 'keycloak']);
    expect(parsed.find((e) => e.name === 'consignmentapi')?.cpu).to.deep.equal({
      intg: 1024,
      staging: 2048,
      prod: 2048,
    });
  });

  it('lists the functions and state machines with their sizes per environment: tdr services', async () => {
    const { code, stdout } = await runTdr(['services'], {});
    expect(code).to.equal(0);
    expect(stdout).to.match(/Functions \(Lambda/);
    expect(stdout).to.match(
      /^checksum\s+java21\s+no\s+-\s+sfn:backend-checks\s+1536\/300\s+2560\/300\s+2560\/300$/m,
    );
    expect(stdout).to.match(
      /^notifications\s+.*sqs:notifications\+dlq s3:upload-files-quarantine sfn:export/m,
    );
    expect(stdout).to.match(
      /^backend-checks\s+TDRBackendChecksIntg\s+3600\s+download-files → \(antivirus \| checksum \| file-format\) → api-update$/m,
    );
  });

  it('exits 2 naming the field of a bad function: tdr services', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tdr-fn-'));
    try {
      const file = join(dir, 'config.json');
      writeFileSync(file, JSON.stringify({ catalogue: { checksum: { timeoutSeconds: { prod: 1200 } } } }));
      const { code, stderr } = await runTdr(['services'], { TDR_CONFIG: file });
      expect(code).to.equal(2);
      expect(stderr).to.match(/catalogue\.checksum\.timeoutSeconds\.prod: must be at most 900 seconds/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps data on stdout and notes on stderr', async () => {
    const { stdout, stderr } = await runTdr(['envs'], {});
    expect(stdout).to.match(/Promotion path: build → intg → staging → prod/);
    expect(stderr).to.equal('');
  });

  it('exits 2 on an unknown command, listing the valid ones', async () => {
    const { code, stderr, stdout } = await runTdr(['deploi'], {});
    expect(code).to.equal(2);
    expect(stderr).to.match(/unknown command 'deploi'/);
    expect(stderr).to.match(/valid commands: .*envs.*services/);
    expect(stdout).to.equal('');
  });

  it('exits 2 on an unknown output format, naming the valid ones', async () => {
    const { code, stderr } = await runTdr(['services', '-o', 'yaml'], {});
    expect(code).to.equal(2);
    expect(stderr).to.match(/Allowed choices are table, json/);
  });

  it('exits 2 on an unknown option', async () => {
    const { code, stderr } = await runTdr(['envs', '--colour'], {});
    expect(code).to.equal(2);
    expect(stderr).to.match(/unknown option '--colour'/);
  });

  it('exits 2 on invalid configuration, naming the path', async () => {
    const { code, stderr } = await runTdr(['envs'], { TDR_CONFIG: '/nonexistent.json' });
    expect(code).to.equal(2);
    expect(stderr).to.match(/TDR_CONFIG: cannot read/);
  });

  it('shows examples and exit codes in help, and a version', async () => {
    const help = await runTdr(['services', '--help'], {});
    expect(help.code).to.equal(0);
    expect(help.stdout).to.match(/Examples:\n\s+\$ tdr services/);
    const top = await runTdr(['--help'], {});
    expect(top.stdout).to.match(/Exit codes:[\s\S]*3\s+refused by a promotion gate/);
    const version = await runTdr(['--version'], {});
    expect(version.stdout.trim()).to.match(/^\d+\.\d+\.\d+$/);
  });
});

describe('a broken TDR_CONFIG', () => {
  let dir: string;
  const broken: Record<string, { content: string; problem: RegExp }> = {
    'an invalid setting': {
      content: JSON.stringify({ environments: { prod: { promotion: { soakMinutes: -1 } } } }),
      problem: /environments\.prod\.promotion\.soakMinutes: must be a whole number/,
    },
    'a file that is not JSON': {
      content: '{"environments":',
      problem: /TDR_CONFIG: .* is not a JSON object/,
    },
  };
  before(() => (dir = mkdtempSync(join(tmpdir(), 'tdr-config-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const [what, { content, problem }] of Object.entries(broken)) {
    const configFile = (): string => {
      const file = join(dir, `${what.replace(/\W+/g, '-')}.json`);
      writeFileSync(file, content);
      return file;
    };

    it(`does not stop tdr --help (${what})`, async () => {
      const { code, stdout, stderr } = await runTdr(['--help'], { TDR_CONFIG: configFile() });
      expect(stderr).to.equal('');
      expect(code).to.equal(0);
      expect(stdout).to.match(/^Usage: tdr /);
      expect(stdout).to.match(/Exit codes:/);
    });

    it(`does not stop a command's help, which then lists no choices (${what})`, async () => {
      const { code, stdout } = await runTdr(['deploy', '--help'], { TDR_CONFIG: configFile() });
      expect(code).to.equal(0);
      expect(stdout).to.match(/--service <service>\s+catalogue service or function\n/);
    });

    it(`makes tdr status exit 2, naming the problem (${what})`, async () => {
      const { code, stdout, stderr } = await runTdr(['status'], { TDR_CONFIG: configFile() });
      expect(code).to.equal(2);
      expect(stderr).to.match(/invalid platform configuration/);
      expect(stderr).to.match(problem);
      expect(stdout).to.equal('');
    });

    it(`makes an option checked against the model exit 2, naming the problem (${what})`, async () => {
      const argv = ['deploy', '--service', 'frontend', '--env', 'intg', '--version', 'v1', '--dry-run'];
      const { code, stderr } = await runTdr(argv, { TDR_CONFIG: configFile() });
      expect(code).to.equal(2);
      expect(stderr).to.match(problem);
    });
  }
});

describe('cli/context options', () => {
  const ctx: CliContext = {
    io: { stdout: () => {}, stderr: () => {} },
    env: {},
    platform: () => loadPlatform({}),
  };

  function parse(argv: string[]): { error?: string; opts?: Record<string, unknown> } {
    let error = '';
    const cmd = new Command('t')
      .exitOverride()
      .configureOutput({ writeErr: (t) => void (error += t), writeOut: () => {} })
      .addOption(serviceOption(ctx))
      .addOption(envOption(ctx).makeOptionMandatory());
    try {
      cmd.parse(argv, { from: 'user' });
      return { opts: cmd.opts() };
    } catch {
      return { error };
    }
  }

  it('accepts a catalogue service and a workload environment', () => {
    expect(parse(['--service', 'frontend', '--env', 'staging']).opts).to.deep.equal({
      service: 'frontend',
      env: 'staging',
    });
  });

  it('rejects an unknown service, listing the valid ones', () => {
    expect(parse(['--service', 'frontdoor', '--env', 'intg']).error).to.match(
      /'frontdoor' is invalid. Allowed choices are frontend, consignmentapi, keycloak, transferservice/,
    );
  });

  it('rejects an unknown or non-workload environment, listing the valid ones', () => {
    expect(parse(['--service', 'frontend', '--env', 'mgmt']).error).to.match(
      /Allowed choices are intg, staging, prod/,
    );
  });

  it('lists the valid values in help, read from the model', () => {
    const help = new Command('t')
      .addOption(serviceOption(ctx))
      .addOption(envOption(ctx))
      .helpInformation()
      .replace(/\s+/g, ' ');
    expect(help).to.include('choices: "frontend", "consignmentapi", "keycloak", "transferservice"');
    expect(help).to.include('choices: "intg", "staging", "prod"');
  });

  it('reads the model only when a value is parsed', () => {
    let loads = 0;
    const counting: CliContext = { ...ctx, platform: () => (loads++, loadPlatform({})) };
    const cmd = new Command('t')
      .exitOverride()
      .addOption(serviceOption(counting))
      .addOption(envOption(counting));
    expect(loads).to.equal(0);
    cmd.parse(['--service', 'keycloak'], { from: 'user' });
    expect(loads).to.equal(1);
    expect(cmd.opts()).to.deep.equal({ service: 'keycloak' });
  });

  it('names a missing required option', () => {
    expect(parse(['--env', 'intg']).error).to.match(/required option '--service <service>' not specified/);
  });
});

describe('tdr --help stays fast', function () {
  this.timeout(60_000);

  it('loads neither the AWS SDK, Pulumi, zod nor the renderers', async () => {
    const { execFileSync } = await import('node:child_process');
    const script = `
      const { run } = require('./cli/main');
      run(['--help'], { stdout: () => {}, stderr: () => {} }, {}).then(() =>
        process.stdout.write(JSON.stringify(Object.keys(require.cache))));`;
    const loaded = JSON.parse(
      execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], {
        encoding: 'utf8',
      }),
    ) as string[];
    expect(loaded.some((f) => f.includes('/cli/main'))).to.equal(true);
    const heavy = loaded.filter((f) => /node_modules\/(@aws-sdk|@pulumi|zod|yaml|@grafana)\//.test(f));
    expect(heavy, 'modules that belong inside command actions').to.deep.equal([]);
  });
});

describe('-o reaches every command, however deep', () => {
  async function outputSeenBy(argv: string[]): Promise<unknown> {
    const platform = loadPlatform({});
    const program = buildProgram({
      io: { stdout: () => {}, stderr: () => {} },
      env: {},
      platform: () => platform,
    });
    let seen: unknown;
    const stub = (cmd: Command) => {
      for (const sub of cmd.commands) {
        sub.action((_opts, c: Command) => void (seen = c.optsWithGlobals().output));
        stub(sub);
      }
    };
    stub(program);
    await program.parseAsync(argv, { from: 'user' });
    return seen;
  }

  it('after a nested subcommand', async () => {
    const record = ['check', 'record', '--service', 'frontend', '--env', 'staging', '--version', 'v1'];
    expect(await outputSeenBy([...record, '--name', 'e2e', '--result', 'passed', '-o', 'json'])).to.equal(
      'json',
    );
  });

  it('before the command, after it, and not at all', async () => {
    expect(await outputSeenBy(['-o', 'json', 'services'])).to.equal('json');
    expect(await outputSeenBy(['services', '-o', 'json'])).to.equal('json');
    expect(await outputSeenBy(['services'])).to.equal('table');
  });
});
