/**
 * A pass-through HTTP proxy on 127.0.0.1 in front of moto_server, for two things moto cannot do:
 *
 * - Atomic conditional writes. moto checks `If-None-Match`/`If-Match` and then writes, in separate
 *   steps on a threaded server, so two concurrent conditional PUTs to one key can both succeed;
 *   real S3 decides them atomically (one wins, the other gets 412). The proxy forwards conditional
 *   writes one at a time, which makes moto behave as S3 does; everything else passes straight through.
 * - Counting the AWS requests a command made (e.g. none, for bad input).
 * - Latency: moto answers in milliseconds where AWS takes seconds; `delayMs` slows chosen calls.
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Proxy {
  readonly endpoint: string;
  /** Requests forwarded so far. */
  requests(): number;
  close(): Promise<void>;
}

export interface ProxyOptions {
  /** Milliseconds to hold a request before forwarding it, e.g. by its `x-amz-target` header. */
  readonly delayMs?: (req: IncomingMessage) => number;
}

export async function startProxy(target: string, opts: ProxyOptions = {}): Promise<Proxy> {
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
      const delay = opts.delayMs?.(req) ?? 0;
      const send = () => forward(req, body, res);
      const later = () => (delay > 0 ? new Promise<void>((r) => setTimeout(r, delay)).then(send) : send());
      if (isConditionalWrite) conditional = conditional.then(later);
      else void later();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => count,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
