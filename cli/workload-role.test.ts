/**
 * TDR_WORKLOAD_ROLE: `reader` is for what only reads (the nightly report in mgmt). A command that
 * changes something is refused with it, exit 2, before any AWS call: the endpoint here counts
 * every request it gets, and must get none.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { run } from './main';

let server: Server;
let endpoint = '';
let requests = 0;

async function tdr(argv: string[], role: string | undefined) {
  let stderr = '';
  const code = await run(
    argv,
    { stdout: () => {}, stderr: (t) => void (stderr += t) },
    {
      AWS_ENDPOINT_URL: endpoint,
      AWS_REGION: 'eu-west-2',
      AWS_ACCESS_KEY_ID: 'x',
      AWS_SECRET_ACCESS_KEY: 'x',
      TDR_WORKLOAD_ROLE: role,
    },
  );
  return { code, stderr };
}

/** One invocation of each command that changes something, with input that passes its own checks. */
const CHANGING: ReadonlyArray<readonly string[]> = [
  ['deploy', '--service', 'frontend', '--env', 'intg', '--version', 'v42'],
  ['promote', '--service', 'frontend', '--to', 'staging'],
  ['rollback', '--service', 'frontend', '--env', 'intg'],
  ['task', 'run', '--task', 'keycloak-update', '--env', 'intg', '--version', 'v3'],
  ['maintenance', 'on', '--env', 'staging', '--reason', 'database upgrade'],
  ['maintenance', 'off', '--env', 'staging'],
  ['approve', '--service', 'frontend', '--env', 'prod', '--version', 'v42'],
  [
    'check',
    'record',
    '--service',
    'frontend',
    '--env',
    'staging',
    '--version',
    'v42',
    '--name',
    'e2e',
    '--result',
    'passed',
  ],
  ['reject', '--service', 'frontend', '--version', 'v42', '--reason', 'INC-1'],
  ['unreject', '--service', 'frontend', '--version', 'v42', '--reason', 'INC-1 was the config'],
  ['train', 'plan', '--from', 'staging', '--to', 'prod'],
  ['train', 'approve', '--train', 'train-0123456789abcdef'],
  ['train', 'promote', '--train', 'train-0123456789abcdef'],
  ['train', 'rollback', '--train', 'train-0123456789abcdef'],
  ['lease', 'break', '--service', 'frontend', '--env', 'intg', '--reason', 'stuck run'],
  ['ledger', 'reindex', '--service', 'frontend', '--env', 'intg'],
  ['sandbox', 'up'],
  ['sandbox', 'demo'],
];

const commandOf = (argv: readonly string[]) =>
  argv
    .slice(
      0,
      argv.findIndex((a) => a.startsWith('--')),
    )
    .join(' ');

describe('TDR_WORKLOAD_ROLE', () => {
  before(async () => {
    server = createServer((req, res) => {
      requests++;
      req.resume();
      res.writeHead(500).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());

  for (const argv of CHANGING) {
    it(`refuses tdr ${commandOf(argv)} with the reader role: exit 2, no AWS call`, async () => {
      requests = 0;
      const r = await tdr([...argv], 'reader');
      expect(r.code, r.stderr).to.equal(2);
      expect(r.stderr).to.contain('TDR_WORKLOAD_ROLE=reader').and.to.contain('needs the update role');
      expect(requests).to.equal(0);
    });
  }

  it('names itself and its valid values when it is neither, exit 2 and no AWS call', async () => {
    for (const argv of [['status'], CHANGING[0]!]) {
      requests = 0;
      const r = await tdr([...argv], 'admin');
      expect(r.code, r.stderr).to.equal(2);
      expect(r.stderr)
        .to.contain('TDR_WORKLOAD_ROLE: must be one of update, reader')
        .and.to.contain('"admin"');
      expect(requests).to.equal(0);
    }
  });

  it('lets a read-only command through with the reader role (it reaches AWS)', async () => {
    requests = 0;
    const r = await tdr(['lease', 'show'], 'reader');
    expect(r.stderr).to.not.contain('TDR_WORKLOAD_ROLE');
    expect(requests).to.be.greaterThan(0);
  });
});
