/**
 * A server on 127.0.0.1 that accepts connections, reads each request and never answers: the
 * dependency that hangs (an AWS endpoint or Grafana behind a dead load balancer). It counts the
 * requests it swallowed and the connections still open, so a test can see the client gave up.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface SilentServer {
  readonly url: string;
  /** Requests received (and never answered). */
  requests(): number;
  /** Connections the clients have not closed yet. */
  openConnections(): number;
  close(): Promise<void>;
}

export async function startSilentServer(): Promise<SilentServer> {
  let requests = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((req) => {
    requests++;
    req.resume();
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // Node's own server would answer 408 after its request timeout (300 s by default): never answer.
  server.requestTimeout = 0;
  server.headersTimeout = 0;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    openConnections: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
