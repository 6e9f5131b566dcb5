/**
 * A pass-through HTTP proxy on 127.0.0.1 in front of moto_server, for what moto cannot do:
 *
 * - Atomic conditional writes. moto checks `If-None-Match`/`If-Match` and then writes, in separate
 *   steps on a threaded server, so two concurrent conditional PUTs to one key can both succeed;
 *   real S3 decides them atomically (one wins, the other gets 412). The proxy forwards conditional
 *   writes one at a time, which makes moto behave as S3 does; everything else passes straight through.
 * - Counting the AWS requests a command made (e.g. none, for bad input), by operation.
 * - Latency: moto answers in milliseconds where AWS takes seconds; `delayMs` slows chosen calls.
 * - Faults, seeded so a failing run can be replayed: a call fails before it reaches moto (the
 *   connection reset, or HTTP 500) or after moto applied it (the reply lost to a reset, or replaced
 *   by a 500), chosen per operation and key pattern.
 * - Watching: `onRequest` sees every operation before it is forwarded and may hold it (crash tests
 *   kill the client there).
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An AWS call as the proxy sees it: `S3 PutObject records/frontend/intg/0000000001.json`. */
export interface Operation {
  readonly service: string;
  /** The API's name: PutObject, UpdateService, AssumeRole… */
  readonly name: string;
  /** S3: the object key (no bucket); otherwise empty. */
  readonly key: string;
  /** `${service} ${name} ${key}`, what fault and watch patterns match. */
  readonly label: string;
}

export const FAULT_KINDS = ['reset-before', '500-before', 'reset-after', '500-after'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultOptions {
  readonly seed: number;
  /** Probability (0-1) that a matching call fails. */
  readonly rate: number;
  readonly kinds?: readonly FaultKind[];
  /** Which calls may fail (default: all): a pattern over `Operation.label`, or a predicate. */
  readonly match?: RegExp | ((op: Operation) => boolean);
}

export interface InjectedFault {
  readonly op: string;
  readonly kind: FaultKind;
}

export interface Proxy {
  readonly endpoint: string;
  /** Requests received so far (faulted ones included). */
  requests(): number;
  /** Every operation received, in order. */
  operations(): readonly Operation[];
  /** The faults injected so far. */
  faults(): readonly InjectedFault[];
  /** Turns fault injection on (with new options) or off. */
  setFaults(faults: FaultOptions | undefined): void;
  close(): Promise<void>;
}

export interface ProxyOptions {
  /** Milliseconds to hold a request before forwarding it, e.g. by its `x-amz-target` header. */
  readonly delayMs?: (req: IncomingMessage) => number;
  readonly faults?: FaultOptions;
  /**
   * Called with every operation before it is forwarded; the request waits for its promise.
   * `drop` closes the connection instead of forwarding (the client dies before the call lands).
   */
  readonly onRequest?: (op: Operation) => void | 'drop' | Promise<void | 'drop'>;
  /** A new body for moto's answer to `op` (e.g. a rollout that never settles), or undefined. */
  readonly rewrite?: (op: Operation, body: Buffer) => Buffer | undefined;
  /**
   * Answers `op` itself instead of moto (a JSON-protocol call moto does not serve, e.g. ECS's
   * service deployments from sandbox/ecs-deployments.ts), or undefined to forward it.
   */
  readonly answer?: (
    op: Operation,
    body: Buffer,
  ) => { readonly status: number; readonly body: string } | undefined;
}

/** mulberry32: a small seeded generator, so a fault sequence is reproducible from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Which AWS operation a request is, from its target header, its query body or its S3 path. */
export function operationOf(req: IncomingMessage, body: Buffer): Operation {
  const target = req.headers['x-amz-target'];
  const make = (service: string, name: string, key = ''): Operation => ({
    service,
    name,
    key,
    label: `${service} ${name}${key ? ` ${key}` : ''}`,
  });
  if (typeof target === 'string') {
    const [prefix, name] = target.split('.');
    const service = /ContainerService/.test(prefix ?? '')
      ? 'ECS'
      : /EC2ContainerRegistry/.test(prefix ?? '')
        ? 'ECR'
        : (prefix ?? 'unknown');
    return make(service, name ?? target);
  }
  const action = /(?:^|&)Action=([A-Za-z]+)/.exec(body.toString('utf8'))?.[1];
  if (action) return make(/AssumeRole|GetCallerIdentity/.test(action) ? 'STS' : 'Query', action);
  const url = new URL(req.url ?? '/', 'http://proxy');
  const [, , ...rest] = url.pathname.split('/');
  const key = decodeURIComponent(rest.join('/'));
  const method = req.method ?? 'GET';
  const name =
    method === 'GET'
      ? url.searchParams.has('list-type')
        ? 'ListObjectsV2'
        : key
          ? 'GetObject'
          : 'ListObjects'
      : method === 'PUT'
        ? key
          ? 'PutObject'
          : 'CreateBucket'
        : method === 'DELETE'
          ? 'DeleteObject'
          : method === 'HEAD'
            ? 'HeadObject'
            : method;
  return make('S3', name, key);
}

function errorBody(op: Operation): { type: string; body: string } {
  if (op.service === 'S3')
    return {
      type: 'application/xml',
      body: '<?xml version="1.0"?><Error><Code>InternalError</Code><Message>injected fault</Message></Error>',
    };
  if (op.service === 'STS' || op.service === 'Query')
    return {
      type: 'text/xml',
      body: '<ErrorResponse><Error><Type>Receiver</Type><Code>InternalFailure</Code><Message>injected fault</Message></Error></ErrorResponse>',
    };
  return {
    type: 'application/x-amz-json-1.1',
    body: JSON.stringify({ __type: 'ServerException', message: 'injected fault' }),
  };
}

export async function startProxy(target: string, opts: ProxyOptions = {}): Promise<Proxy> {
  const to = new URL(target);
  let count = 0;
  const ops: Operation[] = [];
  const injected: InjectedFault[] = [];
  let faults = opts.faults;
  let random = seededRandom(faults?.seed ?? 1);
  let conditional: Promise<void> = Promise.resolve();

  const chooseFault = (op: Operation): FaultKind | undefined => {
    if (!faults || faults.rate <= 0) return undefined;
    const m = faults.match;
    if (m && !(m instanceof RegExp ? m.test(op.label) : m(op))) return undefined;
    if (random() >= faults.rate) return undefined;
    const kinds = faults.kinds ?? FAULT_KINDS;
    return kinds[Math.floor(random() * kinds.length)];
  };

  const fail500 = (op: Operation, res: ServerResponse) => {
    const e = errorBody(op);
    res.writeHead(500, { 'content-type': e.type, 'content-length': Buffer.byteLength(e.body) });
    res.end(e.body);
  };

  const forward = (
    req: IncomingMessage,
    body: Buffer,
    res: ServerResponse,
    op: Operation,
    fault?: FaultKind,
  ) =>
    new Promise<void>((resolve) => {
      const upstream = request(
        { host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          if (fault === 'reset-after' || fault === '500-after') {
            // moto has applied the call; its answer never reaches the client.
            answer.resume();
            answer.on('end', () => {
              if (fault === 'reset-after') req.socket.destroy();
              else fail500(op, res);
              resolve();
            });
            return;
          }
          if (opts.rewrite) {
            const parts: Buffer[] = [];
            answer.on('data', (c: Buffer) => parts.push(c));
            answer.on('end', () => {
              const original = Buffer.concat(parts);
              const body = opts.rewrite?.(op, original) ?? original;
              res.writeHead(answer.statusCode ?? 502, { ...answer.headers, 'content-length': body.length });
              res.end(body);
              resolve();
            });
            return;
          }
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          answer.on('end', resolve);
        },
      );
      // moto's answer broken off half-way: the client's is broken off too, as a reset connection
      // would be. Left open, the client waited for the rest of a body that never came; and a 502
      // written after the headers had gone threw, in whatever process ran the proxy.
      upstream.on('response', (answer) =>
        answer.on('error', (err) => {
          res.destroy(err);
          resolve();
        }),
      );
      upstream.on('error', (err) => {
        if (res.headersSent) res.destroy(err);
        else {
          res.writeHead(502);
          res.end(String(err));
        }
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
      const op = operationOf(req, body);
      ops.push(op);
      const isConditionalWrite =
        (req.method === 'PUT' || req.method === 'DELETE') &&
        (req.headers['if-none-match'] !== undefined || req.headers['if-match'] !== undefined);
      const delay = opts.delayMs?.(req) ?? 0;
      const send = async () => {
        if ((await opts.onRequest?.(op)) === 'drop') {
          req.socket.destroy();
          return;
        }
        const fault = chooseFault(op);
        if (fault) injected.push({ op: op.label, kind: fault });
        if (fault === 'reset-before') {
          req.socket.destroy();
          return;
        }
        if (fault === '500-before') {
          fail500(op, res);
          return;
        }
        const own = opts.answer?.(op, body);
        if (own) {
          res.writeHead(own.status, {
            'content-type': 'application/x-amz-json-1.1',
            'content-length': Buffer.byteLength(own.body),
          });
          res.end(own.body);
          return;
        }
        await forward(req, body, res, op, fault);
      };
      const later = () => (delay > 0 ? new Promise<void>((r) => setTimeout(r, delay)).then(send) : send());
      if (isConditionalWrite) conditional = conditional.then(later, later);
      else void later();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => count,
    operations: () => ops,
    faults: () => injected,
    setFaults(next) {
      faults = next;
      random = seededRandom(next?.seed ?? 1);
    },
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
