/**
 * A real `moto_server` for integration tests: started on a free port on 127.0.0.1, waited for,
 * reset between tests, stopped by its own pid. Tests reach it through the SDK's AWS_ENDPOINT_URL.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export const MOTO_INSTALL_HINT =
  "moto_server was not found on PATH. Install it with: pip install 'moto[server]' (or set TDR_SKIP_INTEGRATION=1 to skip integration tests, loudly)";

export interface MotoServer {
  readonly endpoint: string;
  readonly pid: number;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export function motoAvailable(): boolean {
  return spawnSync('moto_server', ['--help'], { stdio: 'ignore' }).status === 0;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startMoto(extraEnv: Record<string, string> = {}): Promise<MotoServer> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    // MOTO_ECS_SERVICE_RUNNING is deliberately not set: moto reads it as one fixed count of running
    // tasks for every new service (so 'true' meant 0, and any number would be wrong for services
    // whose desired counts differ, 1 in intg and 2 in prod). Instead `tdr sandbox up` follows each
    // CreateService with an UpdateService of its desiredCount, which moto takes as running = desired.
    env: { ...process.env, ...extraEnv },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start moto_server: ${stderr}`);

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode}: ${stderr}`);
    try {
      const res = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      process.kill(pid, 'SIGTERM');
      throw new Error(`moto_server did not answer on ${endpoint} within 30 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    endpoint,
    pid,
    async reset() {
      const res = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      if (!res.ok) throw new Error(`moto reset failed: HTTP ${res.status}`);
    },
    async stop() {
      if (child.exitCode !== null) return;
      process.kill(pid, 'SIGTERM');
      const timer = setTimeout(() => child.exitCode === null && process.kill(pid, 'SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
