import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';

const SCRIPT = join(__dirname, 'upload-package.sh');

/** Runs the script in a repository-like directory with a fake `aws` that logs its calls. */
function run(existing: string[] = []) {
  const dir = mkdtempSync(join(tmpdir(), 'upload-package-'));
  try {
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    mkdirSync(join(dir, 'target'));
    writeFileSync(join(dir, 'target', 'checksum.jar'), 'jar bytes');
    writeFileSync(
      join(bin, 'aws'),
      `#!/bin/sh\necho "$*" >> "${dir}/calls"\ncase "$*" in *head-object*) for k in ${existing.join(' ')}; do case "$*" in *"--key $k"*) exit 0;; esac; done; exit 255;; esac\n`,
    );
    writeFileSync(join(bin, 'git'), '#!/bin/sh\necho 0123456789abcdef\n');
    chmodSync(join(bin, 'aws'), 0o755);
    chmodSync(join(bin, 'git'), 0o755);
    const result = spawnSync('sh', [SCRIPT, 'v7', 'target/checksum.jar=checksum'], {
      cwd: dir,
      env: { PATH: `${bin}:${process.env.PATH}`, BACKEND_CODE_BUCKET: 'tdr-backend-code-mgmt' },
      encoding: 'utf8',
    });
    let calls = '';
    try {
      calls = readFileSync(join(dir, 'calls'), 'utf8');
    } catch {
      calls = '';
    }
    return { ...result, calls };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('upload-package (build agent tool)', () => {
  it('puts each package at {function}/{version}/{file} with its SHA-256, never overwriting', () => {
    const r = run();
    expect(r.status, r.stderr).to.equal(0);
    const sha = createHash('sha256').update('jar bytes').digest('base64');
    expect(r.calls).to.contain(
      's3api put-object --bucket tdr-backend-code-mgmt --key checksum/v7/checksum.jar',
    );
    expect(r.calls).to.contain(`--checksum-sha256 ${sha}`);
    expect(r.calls).to.contain('--if-none-match *');
    expect(r.stdout).to.contain(`s3://tdr-backend-code-mgmt/checksum/v7/checksum.jar sha256 ${sha}`);
  });

  it('leaves a version that is already uploaded alone', () => {
    const r = run(['checksum/v7/checksum.jar']);
    expect(r.status, r.stderr).to.equal(0);
    expect(r.calls).to.not.contain('put-object');
    expect(r.stdout).to.contain('already there');
  });

  it('refuses a wrong call with exit 2', () => {
    const r = spawnSync('sh', [SCRIPT, 'v7'], { encoding: 'utf8' });
    expect(r.status).to.equal(2);
    expect(r.stderr).to.match(/usage: upload-package/);
  });
});
