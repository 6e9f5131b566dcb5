/**
 * The moto harness itself (test/support/moto.ts): moto keeps answering while this process is
 * blocked in a synchronous child, as the promote bench is in `spawnSync` of `tdr sandbox up`.
 * With moto's log piped to us, the pipe filled after ~130 KB of request lines and every request
 * after it hung (issue 27); this test's child then fails on its first request's timeout.
 */
import { spawnSync } from 'node:child_process';
import { expect } from 'chai';
import { startMoto, type MotoServer } from './support/moto';

describe('moto harness: its request log', function () {
  this.timeout(120_000);
  let moto: MotoServer;

  before(async () => {
    moto = await startMoto();
  });
  after(async () => {
    await moto.stop();
  });

  it('keeps answering while the parent is blocked in a synchronous child, and counts its requests', () => {
    // Each request line moto logs carries the padded URL, so the log outgrows any pipe buffer
    // (Linux: 64 KB for a pipe, about 200 KB for the socket pair libuv uses) well before the end.
    const requests = 48;
    const padding = 8_000;
    const script = `
      (async () => {
        for (let i = 0; i < ${requests}; i++) {
          const res = await fetch(process.argv[1] + '/?pad=' + 'x'.repeat(${padding}) + '&i=' + i,
            { signal: AbortSignal.timeout(10_000) });
          await res.arrayBuffer();
        }
      })().catch((err) => { console.error(String(err)); process.exit(1); });
    `;
    const before = moto.requests();
    const child = spawnSync(process.execPath, ['-e', script, moto.endpoint], {
      encoding: 'utf8',
      timeout: 90_000,
    });
    expect(child.stderr, 'the child timed out waiting for moto').to.equal('');
    expect(child.status).to.equal(0);
    expect(moto.requests() - before).to.equal(requests);
  });
});
