/**
 * A real moto server for integration tests: started on a free port on 127.0.0.1, waited for,
 * reset between tests, stopped by its own pid. Tests reach it through the SDK's AWS_ENDPOINT_URL.
 * It is moto's own server application with its state saved and restored on request
 * (./moto_server_snapshots.py), or the plain `moto_server` when TDR_MOTO_SNAPSHOTS=0 or no Python
 * on PATH has moto.
 *
 * moto logs one line per request to stderr, and a thread that cannot write its line holds the
 * logging lock, so every other request waits behind it. A pipe to this process is drained only
 * while our event loop runs: a parent blocked in a synchronous child (the promote bench's
 * `spawnSync` of `tdr sandbox up`, ~650 requests) let the pipe fill and moto stopped answering,
 * with every connection open and idle (issue 27). So the log goes to a file, which never blocks,
 * and the request count and the tail for error messages are read from it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { scratchDir } from './scratch';

export const MOTO_INSTALL_HINT =
  "moto_server was not found on PATH. Install it with: pip install 'moto[server]' (or set TDR_SKIP_INTEGRATION=1 to skip integration tests, loudly)";

export interface MotoServer {
  readonly endpoint: string;
  readonly pid: number;
  /** AWS requests moto has logged so far (its own /moto-api calls left out). */
  requests(): number;
  reset(): Promise<void>;
  /**
   * Keeps moto's whole state under `name` (./moto_server_snapshots.py). False when it cannot: this
   * moto has no snapshots (the plain `moto_server`), or its state would not pickle (the reason is
   * written to stderr once).
   */
  save(name: string): Promise<boolean>;
  /** Puts back the state saved under `name`, as if the calls that made it had just been made; false if none is kept. */
  restore(name: string): Promise<boolean>;
  stop(): Promise<void>;
}

export function motoAvailable(): boolean {
  return spawnSync('moto_server', ['--help'], { stdio: 'ignore' }).status === 0;
}

/** A reset, save or restore takes milliseconds; one that has not answered in this long never will. */
const MOTO_CALL_MS = 60_000;

/** The servers this process started, by endpoint. */
const running = new Map<string, MotoServer>();

/** The moto_server this process started at `endpoint`, if any (not a proxy in front of one). */
export function motoAt(endpoint: string | undefined): MotoServer | undefined {
  return endpoint === undefined ? undefined : running.get(endpoint);
}

const SNAPSHOT_SERVER = join(__dirname, 'moto_server_snapshots.py');

/**
 * The Python that has moto: moto's server with snapshots runs on it. `moto_server` is a console
 * script (often behind a pyenv shim), so its interpreter is found by importing moto, not by path.
 */
function pythonWithMoto(): string | undefined {
  for (const python of ['python3', 'python']) {
    // find_spec reads no module of moto's: importing its server here cost ~1 s of CPU at every start.
    const probe = "import importlib.util as u, sys; sys.exit(0 if u.find_spec('moto') else 1)";
    if (spawnSync(python, ['-c', probe], { stdio: 'ignore' }).status === 0) return python;
  }
  return undefined;
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
  const dir = scratchDir('tdr-moto-'); // removed by stop(), or with the process
  const logFile = join(dir, 'moto.log');
  const logFd = openSync(logFile, 'a');
  const python = process.env.TDR_MOTO_SNAPSHOTS === '0' ? undefined : pythonWithMoto();
  const [command, args] = python
    ? [python, [SNAPSHOT_SERVER, '-H', '127.0.0.1', '-p', String(port)]]
    : ['moto_server', ['-H', '127.0.0.1', '-p', String(port)]];
  const child: ChildProcess = spawn(command, args, {
    stdio: ['ignore', 'ignore', logFd],
    // MOTO_ECS_SERVICE_RUNNING is deliberately not set: moto reads it as one fixed count of running
    // tasks for every new service (so 'true' meant 0, and any number would be wrong for services
    // whose desired counts differ, 1 in intg and 2 in prod). Instead `tdr sandbox up` follows each
    // CreateService with an UpdateService of its desiredCount, which moto takes as running = desired.
    // MOTO_EC2_LOAD_DEFAULT_AMIS=false: moto builds its catalogue of ~1,160 public AMIs for every
    // account × region whose EC2 backend a request touches, and again at every /moto-api/reset
    // (BaseBackend.reset re-runs __init__: moto/core/base_backend.py, moto/ec2/models/amis.py
    // `_load_amis`, gated by moto/settings.py `ec2_load_default_amis`). That was a quarter of
    // moto's CPU in a `tdr sandbox up` (0.7 s per backend, profiled with cProfile + thread_time)
    // and ~2.6 s at each reset that follows one. Nothing here reads an AMI (the sandbox only asks
    // EC2 for its default VPC and subnets), so the catalogue is never built.
    env: { MOTO_EC2_LOAD_DEFAULT_AMIS: 'false', ...process.env, ...extraEnv },
  });
  closeSync(logFd); // the child holds its own copy
  const log = requestLog(logFile);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start moto_server: ${log.tail()}`);

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode}: ${log.tail()}`);
    try {
      const res = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      process.kill(pid, 'SIGTERM');
      throw new Error(`moto_server did not answer on ${endpoint} within 30 s: ${log.tail()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  let saveFailed = false;
  const server: MotoServer = {
    endpoint,
    pid,
    requests: log.requests,
    async reset() {
      // moto's own reset, or the same end state without rebuilding every backend it drops (./moto_server_snapshots.py)
      const res = await fetch(`${endpoint}/moto-api/${python ? 'tdr-snapshot/reset' : 'reset'}`, {
        method: 'POST',
        signal: AbortSignal.timeout(MOTO_CALL_MS),
      });
      if (!res.ok) throw new Error(`moto reset failed: HTTP ${res.status}`);
    },
    async save(name) {
      if (!python || saveFailed) return false;
      const res = await fetch(`${endpoint}/moto-api/tdr-snapshot/save?name=${encodeURIComponent(name)}`, {
        method: 'POST',
        signal: AbortSignal.timeout(MOTO_CALL_MS),
      });
      if (res.ok) return true;
      saveFailed = true;
      process.stderr.write(
        `moto snapshot not saved (HTTP ${res.status}); stands the sandbox up each time:\n${await res.text()}\n`,
      );
      return false;
    },
    async restore(name) {
      if (!python) return false;
      const res = await fetch(`${endpoint}/moto-api/tdr-snapshot/restore?name=${encodeURIComponent(name)}`, {
        method: 'POST',
        signal: AbortSignal.timeout(MOTO_CALL_MS),
      });
      if (res.status === 404) return false;
      if (!res.ok)
        throw new Error(`moto snapshot ${name} not restored: HTTP ${res.status}: ${await res.text()}`);
      return true;
    },
    async stop() {
      if (child.exitCode === null) {
        process.kill(pid, 'SIGTERM');
        const timer = setTimeout(() => child.exitCode === null && process.kill(pid, 'SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
      running.delete(endpoint);
    },
  };
  running.set(endpoint, server);
  return server;
}

/** werkzeug's line per request: `127.0.0.1 - - [date] "POST / HTTP/1.1" 200 -`. */
const REQUEST_LINE = /"(?:GET|POST|PUT|DELETE|HEAD) (?!\/moto-api)[^"]*HTTP\/1\.[01]"/g;

/** Reads moto's log file as it grows: the requests in it, and its last lines for error messages. */
function requestLog(file: string): { requests(): number; tail(): string } {
  let offset = 0;
  let count = 0;
  let partial = '';
  const readFrom = (start: number, length: number): string => {
    const fd = openSync(file, 'r');
    try {
      const buf = Buffer.alloc(length);
      const n = readSync(fd, buf, 0, length, start);
      return buf.subarray(0, n).toString('utf8');
    } finally {
      closeSync(fd);
    }
  };
  return {
    requests() {
      const size = statSync(file).size;
      if (size > offset) {
        // Only whole lines are counted; a line moto is still writing waits for the next call.
        const text = partial + readFrom(offset, size - offset);
        offset = size;
        const end = text.lastIndexOf('\n') + 1;
        partial = text.slice(end);
        count += (text.slice(0, end).match(REQUEST_LINE) ?? []).length;
      }
      return count;
    },
    tail() {
      const size = statSync(file).size;
      return readFrom(Math.max(0, size - 4000), Math.min(size, 4000));
    },
  };
}
