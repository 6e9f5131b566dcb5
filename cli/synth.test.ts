/**
 * `tdr synth` (`npm start`) checks the model it renders: a catalogue entry with a size Fargate
 * does not offer stops it with exit 2 naming the field, before anything is written. Both ways a
 * bad entry arrives are tried on copies, never on the real catalogue: a TDR_CONFIG override, and
 * an edited copy of the embedded catalogue (what an edit of services/catalogue.ts produces).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { loadPlatform, type Platform } from '../services/config';
import { runTdr } from '../test/support/cli';
import { buildProgram } from './main';
import { exitCodeOf } from './exit-codes';

describe('tdr synth checks the model it uses', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tdr-synth-model-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 2 naming the field when TDR_CONFIG gives a catalogue entry 256 cpu with 3000 MiB', async () => {
    const config = join(dir, 'config.json');
    writeFileSync(
      config,
      JSON.stringify({ catalogue: { frontend: { cpu: { intg: 256 }, memory: { intg: 3000 } } } }),
    );
    const out = join(dir, 'dist');
    const { code, stderr } = await runTdr(['synth', '--out', out], { TDR_CONFIG: config });
    expect(code).to.equal(2);
    expect(stderr).to.include('catalogue.frontend.memory.intg: 3000 MiB is not a Fargate size for 256 cpu');
    expect(existsSync(out), 'nothing is written').to.equal(false);
  });

  it('exits 2 naming the field for an invalid entry in the embedded catalogue itself (a copy of it)', async () => {
    const good = loadPlatform({});
    const broken: Platform = structuredClone(good);
    const frontend = broken.catalogue.frontend as {
      cpu: Record<string, number>;
      memory: Record<string, number>;
    };
    frontend.cpu.prod = 256;
    frontend.memory.prod = 3000;
    let stderr = '';
    const program = buildProgram({
      io: { stdout: () => undefined, stderr: (t) => void (stderr += t) },
      env: {},
      platform: () => broken,
    });
    const out = join(dir, 'dist');
    const err = await program.parseAsync(['synth', '--out', out], { from: 'user' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(exitCodeOf(err)).to.equal(2);
    expect((err as Error).message).to.include(
      'catalogue.frontend.memory.prod: 3000 MiB is not a Fargate size for 256 cpu',
    );
    expect(existsSync(out), 'nothing is written').to.equal(false);
    expect(stderr).to.equal('');
  });
});
