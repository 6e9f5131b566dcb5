import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { DEFAULT_JENKINS_SETTINGS } from '../pipelines/jenkins/settings';
import { ExitCode } from './exit-codes';
import { MINIMUM_NODE_MAJOR, unsupportedNodeMessage } from './node-version';

const root = join(__dirname, '..');

describe('the supported Node', () => {
  it(`is what this suite runs on (Node ${process.versions.node})`, () => {
    expect(unsupportedNodeMessage()).to.equal(undefined);
  });

  it('accepts the minimum major and later ones, and names the version it refuses', () => {
    expect(unsupportedNodeMessage(`${MINIMUM_NODE_MAJOR}.0.0`)).to.equal(undefined);
    expect(unsupportedNodeMessage(`${MINIMUM_NODE_MAJOR + 2}.1.0`)).to.equal(undefined);
    expect(unsupportedNodeMessage('22.22.0')).to.equal(
      `tdr needs Node ${MINIMUM_NODE_MAJOR} or later and this is Node 22.22.0; the repository's scripts/use-node.sh installs it`,
    );
    expect(unsupportedNodeMessage('20.19.5')).to.contain('Node 20.19.5');
  });

  it('is the one package.json, scripts/use-node.sh and the Jenkins agent image name', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { node: string } };
    expect(pkg.engines.node).to.equal(`>=${MINIMUM_NODE_MAJOR}`);
    const pinned = /^TDR_NODE_VERSION=(\d+)\./m.exec(
      readFileSync(join(root, 'scripts', 'use-node.sh'), 'utf8'),
    );
    expect(pinned?.[1]).to.equal(String(MINIMUM_NODE_MAJOR));
    expect(DEFAULT_JENKINS_SETTINGS.agentImage).to.match(new RegExp(`-node${MINIMUM_NODE_MAJOR}$`));
  });

  it('is what .nvmrc and .node-version pin, for version managers', () => {
    const pinned = /^TDR_NODE_VERSION=(\S+)$/m.exec(
      readFileSync(join(root, 'scripts', 'use-node.sh'), 'utf8'),
    )?.[1];
    expect(pinned).to.match(/^\d+\.\d+\.\d+$/);
    for (const file of ['.nvmrc', '.node-version'])
      expect(readFileSync(join(root, file), 'utf8'), file).to.equal(`${pinned}\n`);
  });

  it("is brought in by every npm script that runs node, so the README's commands need no step before them", () => {
    const { scripts } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    for (const [name, command] of Object.entries(scripts)) {
      // Each `&&`-separated part either runs through use-node.sh or is another npm script (after
      // any VAR=value settings of its environment).
      for (const part of command.split('&&').map((p) => p.trim()))
        expect(part, `package.json scripts.${name}`).to.match(
          /^([A-Z_][A-Z0-9_]*=\S* )*(scripts\/use-node\.sh |npm run )/,
        );
    }
    for (const name of ['prepare', 'start', 'test', 'test:quick'])
      expect(scripts, name).to.have.property(name);
  });

  it('scripts/use-node.sh puts its Node first when the one on PATH is older', () => {
    // A copy of the script in a scratch root whose .tools/ holds this Node under the pinned name,
    // and a `node` on PATH that says it is 20: nothing is downloaded, the script's logic runs as is.
    const dir = mkdtempSync(join(tmpdir(), 'tdr-use-node-'));
    try {
      const version = process.versions.node;
      mkdirSync(join(dir, 'scripts'));
      const script = readFileSync(join(root, 'scripts', 'use-node.sh'), 'utf8').replace(
        /^TDR_NODE_VERSION=.*$/m,
        `TDR_NODE_VERSION=${version}`,
      );
      writeFileSync(join(dir, 'scripts', 'use-node.sh'), script);
      chmodSync(join(dir, 'scripts', 'use-node.sh'), 0o755);
      mkdirSync(join(dir, '.tools', `node-v${version}`, 'bin'), { recursive: true });
      symlinkSync(process.execPath, join(dir, '.tools', `node-v${version}`, 'bin', 'node'));
      mkdirSync(join(dir, 'old'));
      writeFileSync(join(dir, 'old', 'node'), '#!/bin/sh\necho v20.19.5\n');
      chmodSync(join(dir, 'old', 'node'), 0o755);
      // The machine's own npm, not a use-node.sh shim of this checkout (npm test runs under one).
      const machinePath = (process.env.PATH ?? '')
        .split(':')
        .filter((p) => !p.includes('/.tools/node-v'))
        .join(':');
      const env = { ...process.env, PATH: `${join(dir, 'old')}:${machinePath}` };
      const older = spawnSync('node', ['--version'], { encoding: 'utf8', env });
      expect(older.stdout.trim(), 'the stand-in older node is first on PATH').to.equal('v20.19.5');
      const run = spawnSync(join(dir, 'scripts', 'use-node.sh'), ['node', '-p', 'process.version'], {
        encoding: 'utf8',
        env,
      });
      expect(run.stderr).to.equal('');
      expect(run.stdout.trim()).to.equal(`v${version}`);
      expect(run.status).to.equal(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('tdr on an older Node exits 2 with one line, before loading any dependency', () => {
    // Node's own version is the one thing a test cannot choose, so a preload pretends, and notes
    // which of the repository's modules and dependencies (ts-node's own aside) were loaded.
    const dir = mkdtempSync(join(tmpdir(), 'tdr-node-'));
    const preload = join(dir, 'old-node.js');
    writeFileSync(
      preload,
      `Object.defineProperty(process.versions, 'node', { value: '22.22.0' });
      process.on('exit', () => {
        const loaded = Object.keys(require.cache)
          .map((f) => require('node:path').relative(${JSON.stringify(root)}, f))
          .filter((f) => !f.startsWith('..') && !/node_modules[/](ts-node|typescript|@cspotcode|@jridgewell|make-error|yn|arg|v8-compile-cache-lib)[/]/.test(f));
        require('node:fs').writeFileSync(${JSON.stringify(join(dir, 'loaded.json'))}, JSON.stringify(loaded.sort()));
      });`,
    );
    // main.ts is loaded through TypeScript's transpiler, as `tsc` builds the shipped CLI: its
    // CommonJS output keeps main.ts's statements in order, so the version check runs before the
    // imports after it. The tests' ts-node uses swc (tsconfig.json "ts-node"), which hoists every
    // import above it as ES module order says, so under swc this would load everything first.
    const tscRegister = join(dir, 'tsc-register.js');
    writeFileSync(
      tscRegister,
      `require(${JSON.stringify(require.resolve('ts-node'))}).register({ transpileOnly: true, swc: false });`,
    );
    try {
      const result = spawnSync(
        process.execPath,
        ['-r', tscRegister, '-r', preload, join(__dirname, 'main.ts'), '--help'],
        { encoding: 'utf8', cwd: root },
      );
      expect(result.stdout).to.equal('');
      expect(result.stderr).to.equal(`error: ${unsupportedNodeMessage('22.22.0')}\n`);
      expect(JSON.parse(readFileSync(join(dir, 'loaded.json'), 'utf8'))).to.deep.equal([
        join('cli', 'exit-codes.ts'),
        join('cli', 'main.ts'),
        join('cli', 'node-version.ts'),
        // the error kinds exit-codes maps: plain classes, no dependency
        join('services', 'errors.ts'),
      ]);
      expect(result.status).to.equal(ExitCode.invalidInput);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
