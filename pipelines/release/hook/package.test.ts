/**
 * The canary judge's packaging on small compiled trees written here (the real tsc output is packaged
 * and invoked in test/canary-judge-package.test.ts), and the catalogue entry it serves.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect } from 'chai';
import { unzipSync } from 'fflate';
import { PLATFORM_FUNCTIONS } from '../../../services/platform-functions';
import { DEFAULT_JENKINS_SETTINGS } from '../../jenkins/settings';
import { HANDLER_FILE, PackageError, packageFunction } from './package';

// Inside the repository, so that `require` finds node_modules from the tree as the runtime would its SDK.
const ROOT = join(__dirname, '..', '..', '..');
let dir: string;

function tree(files: Record<string, string>): string {
  mkdirSync(join(ROOT, 'test-output'), { recursive: true });
  const root = mkdtempSync(join(ROOT, 'test-output', 'package-'));
  for (const [f, body] of Object.entries(files)) {
    mkdirSync(dirname(join(root, f)), { recursive: true });
    writeFileSync(join(root, f), body);
  }
  dir = root;
  return root;
}

describe('pipelines/release/hook/package: the canary judge’s package', () => {
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('holds exactly the files the handler loads (not what tsc emitted beside them), sorted, the same bytes every time', () => {
    const root = tree({
      [HANDLER_FILE]: "require('./judge'); require('@aws-sdk/client-cloudwatch'); exports.handler = 1;",
      'pipelines/release/hook/judge.js': "require('../../../services/thresholds'); require('node:path');",
      'services/thresholds.js': 'exports.x = 1;',
      'services/types-only.js': 'exports.y = 2;',
    });
    const a = packageFunction(root);
    expect(a.files).to.deep.equal([
      HANDLER_FILE,
      'pipelines/release/hook/judge.js',
      'services/thresholds.js',
    ]);
    expect(a.provided).to.deep.equal(['@aws-sdk/client-cloudwatch']);
    const unzipped = unzipSync(a.zip);
    expect(Object.keys(unzipped).sort()).to.deep.equal(a.files);
    expect(Buffer.from(unzipped['services/thresholds.js']!).toString()).to.equal('exports.x = 1;');
    // A second packaging of the same files (a fresh load) gives the same digest.
    for (const f of a.files) delete require.cache[join(root, f)];
    expect(packageFunction(root).sha256).to.equal(a.sha256);
  });

  it('refuses a module the Lambda runtime does not provide, naming it and who loads it', () => {
    const root = tree({
      [HANDLER_FILE]: "require('./helper'); exports.handler = 1;",
      'pipelines/release/hook/helper.js': "require('zod');",
    });
    expect(() => packageFunction(root))
      .to.throw(PackageError, /pipelines\/release\/hook\/helper\.js loads zod/)
      .with.property('kind', 'invalid');
  });

  it('the catalogue entry runs this package: its handler is the packaged file, its repository the platform’s, its artifact what the npm script writes', () => {
    const entry = PLATFORM_FUNCTIONS['canary-judge'];
    if (entry?.kind !== 'lambda') throw new Error('canary-judge is a lambda of the catalogue');
    expect(`${entry.handler.replace(/\.handler$/, '')}.js`).to.equal(HANDLER_FILE);
    expect(entry.source.repository).to.equal(DEFAULT_JENKINS_SETTINGS.platformRepository);
    expect(entry.source.mainBranch).to.equal(DEFAULT_JENKINS_SETTINGS.platformBranch);
    const scripts = (
      JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
        scripts: Record<string, string>;
      }
    ).scripts;
    expect(entry.source.package).to.equal('npm ci && npm run package:canary-judge');
    expect(scripts['package:canary-judge']).to.match(
      new RegExp(`cli/package-function\\.ts \\S+ ${entry.source.artifact}$`),
    );
    expect(entry.source.test).to.equal('npm ci && npm run test:canary-judge');
    expect(scripts['test:canary-judge']).to.contain('test/canary-judge-package.test.ts');
  });
});
