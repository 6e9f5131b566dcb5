/**
 * A pass-through HTTP proxy on 127.0.0.1 in front of moto_server, for two things moto cannot do:
 *
 * - Atomic conditional writes. moto checks `If-None-Match`/`If-Match` and then writes, in separate
 *   steps on a threaded server, so two concurrent conditional PUTs to one key can both succeed;
 *   real S3 decides them atomically (one wins, the other gets 412). The proxy forwards conditional
 *   writes one at a time, which makes moto behave as S3 does; everything else passes straight through.
 * - Counting the AWS requests a command made (e.g. none, for bad input).
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Proxy {
  readonly endpoint: string;
  /** Requests forwarded so far. */
  requests(): number;
  close(): Promise<void>;
}

export async function startProxy(target: string): Promise<Proxy> {
  const to = new URL(target);
  let count = 0;
  let conditional: Promise<void> = Promise.resolve();
  const forward = (req: IncomingMessage, body: Buffer, res: ServerResponse) =>
    new Promise<void>((resolve) => {
      const upstream = request(
        { host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          answer.on('end', resolve);
          answer.on('error', resolve);
        },
      );
      upstream.on('error', (err) => {
        res.writeHead(502);
        res.end(String(err));
        resolve();
      });
      upstream.end(body);
    });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      count++;
      const body = Buffer.concat(chunks);
      const isConditionalWrite =
        (req.method === 'PUT' || req.method === 'DELETE') &&
        (req.headers['if-none-match'] !== undefined || req.headers['if-match'] !== undefined);
      if (isConditionalWrite) conditional = conditional.then(() => forward(req, body, res));
      else void forward(req, body, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => count,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
