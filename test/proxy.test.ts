/**
 * The fault-injecting proxy's own connection handling (test/support/proxy.ts): an answer broken off
 * half-way upstream is broken off for the client too, rather than leaving it waiting for the rest.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { startProxy, type Proxy } from './support/proxy';

describe('test proxy: a broken upstream answer', () => {
  let upstream: Server;
  let proxy: Proxy;
  before(async () => {
    // Promises 100 bytes, sends 10, then drops the connection.
    upstream = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"partial"');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    proxy = await startProxy(`http://127.0.0.1:${(upstream.address() as AddressInfo).port}`);
  });
  after(async () => {
    await proxy.close();
    upstream.closeAllConnections();
    await new Promise((r) => upstream.close(r));
  });

  it('reaches the client as a broken connection at once, not as a body that never ends', async () => {
    const started = Date.now();
    const err = await fetch(`${proxy.endpoint}/bucket/key`, { signal: AbortSignal.timeout(5_000) })
      .then((res) => res.text())
      .then(
        () => undefined,
        (e: Error) => e,
      );
    expect(err, 'the truncated body was accepted').to.be.instanceOf(Error);
    expect(err?.name, 'the client had to time out').to.not.equal('TimeoutError');
    expect(Date.now() - started).to.be.below(2_000);
    expect(proxy.requests()).to.equal(1);
  });
});
