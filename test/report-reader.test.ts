/**
 * The nightly report's read-only path on moto: after `tdr sandbox up`, each workload account has
 * its `TDRReleaseReaderRole{Env}`, trusted by mgmt's node role only, and `tdr report` and
 * `tdr status` with TDR_WORKLOAD_ROLE=reader see exactly what they see through the update role.
 * moto does not enforce IAM policies (infra/definitions/release-reader.test.ts checks those);
 * here the roles must exist and be assumable.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { headKey } from '../pipelines/release/ledger/ledger';
import type { StatusRow } from '../pipelines/release/reads/status';
import { WORKLOAD_ENVIRONMENTS } from '../services/environments';
import { naming } from '../services/naming';
import type { BoardData } from '../pipelines/report/board';
import { TEST_ACCOUNT_IDS, assumeRole } from './support/accounts';
import { motoServer } from './support/hooks';
import { startProxy } from './support/proxy';
import { SANDBOX, sandboxUp, tdr } from './support/release';

/** IAM returns policy documents URL-encoded. */
const policy = (document: string | undefined): unknown => JSON.parse(decodeURIComponent(document ?? '{}'));

/** What the clock moves between two runs a moment apart: when it was made, and ages. */
const CLOCK_KEYS = new Set(['generatedAt', 'asOf', 'start', 'end', 'days', 'waitingDays', 'ageMinutes']);

/** Output `-o json` without what the clock moves. */
function timeless(stdout: string): unknown {
  return JSON.parse(stdout, (key, value: unknown) => (CLOCK_KEYS.has(key) ? undefined : value));
}

describe('tdr report through the release reader roles (moto)', () => {
  it('creates a reader role in each workload account, trusted by the mgmt node role only', async () => {
    await sandboxUp();
    for (const env of WORKLOAD_ENVIRONMENTS) {
      const reader = naming.releaseReaderRole(env);
      const iam = new IAMClient({ credentials: await assumeRole(SANDBOX[env], reader) });
      const role = (await iam.send(new GetRoleCommand({ RoleName: reader }))).Role;
      expect(role?.Arn, env).to.equal(naming.roleArn(SANDBOX[env], reader));
      expect(policy(role?.AssumeRolePolicyDocument), env).to.deep.equal({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: [naming.roleArn(TEST_ACCOUNT_IDS.mgmt, naming.jenkinsNodeRole('mgmt'))] },
            Action: 'sts:AssumeRole',
          },
        ],
      });
    }
  });

  it('tdr report -o json and tdr status with TDR_WORKLOAD_ROLE=reader show what the update role shows', async () => {
    const env = await sandboxUp();
    await tdr(
      ['deploy', '--service', 'frontend', '--env', 'intg', '--version', 'v2', '--actor', 'jenkins'],
      env,
    );
    await tdr(
      ['maintenance', 'on', '--env', 'staging', '--reason', 'database upgrade', '--actor', 'ops'],
      env,
    );
    const reader = { ...env, TDR_WORKLOAD_ROLE: 'reader' };

    const viaReader = await tdr(['report', '-o', 'json'], reader);
    const viaUpdate = await tdr(['report', '-o', 'json'], env);
    expect(viaReader.stderr).to.not.contain('degraded');
    expect(timeless(viaReader.stdout)).to.deep.equal(timeless(viaUpdate.stdout));
    const data = JSON.parse(viaReader.stdout) as BoardData;
    const frontendIntg = data.rows.find((r) => r.service === 'frontend')?.cells.find((c) => c.env === 'intg');
    expect(frontendIntg?.current?.version).to.equal('v2');
    expect(data.summary.inMaintenance).to.equal(1);

    const status = await tdr(['status', '-o', 'json'], reader);
    expect(timeless(status.stdout)).to.deep.equal(
      timeless((await tdr(['status', '-o', 'json'], env)).stdout),
    );

    // The read-only role cannot carry a change: refused before any AWS call.
    const refused = await tdr(['maintenance', 'off', '--env', 'staging', '--actor', 'ops'], reader, 2);
    expect(refused.stderr).to.contain('needs the update role');
  });

  it('status, history, report and report --slack with TDR_WORKLOAD_ROLE=reader write no ledger head, however stale, and say it is stale (issue 24 item 7)', async () => {
    const proxy = await startProxy(motoServer().endpoint);
    const slack = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.end('ok'));
    });
    await new Promise<void>((r) => slack.listen(0, '127.0.0.1', r));
    try {
      const env = await sandboxUp({
        AWS_ENDPOINT_URL: proxy.endpoint,
        TDR_SLACK_WEBHOOK_URL: `http://127.0.0.1:${(slack.address() as AddressInfo).port}/services/T/B/x`,
      });
      const deploy = (version: string) =>
        tdr(
          ['deploy', '--service', 'frontend', '--env', 'intg', '--version', version, '--actor', 'jenkins'],
          env,
        );
      await deploy('v2');
      // frontend/intg's head two records behind (an older copy put back); every other head missing.
      const s3 = new S3Client({ forcePathStyle: true });
      const object = { Bucket: naming.ledgerBucket(), Key: headKey('frontend', 'intg') };
      const older = await (await s3.send(new GetObjectCommand(object))).Body!.transformToString();
      await deploy('v3');
      await s3.send(new PutObjectCommand({ ...object, Body: older }));
      const reader = { ...env, TDR_WORKLOAD_ROLE: 'reader' };
      const commands = [
        ['status', '-o', 'json'],
        ['history', '--env', 'intg'],
        ['history', '--service', 'frontend', '--env', 'intg'],
        ['report', '-o', 'json'],
        ['report', '--slack', '--page-url', 'https://jenkins.example/board.html'],
      ];
      for (const argv of commands) {
        const before = proxy.operations().length;
        const r = await tdr(argv, reader);
        const ops = proxy.operations().slice(before);
        expect(
          ops.filter((o) => o.service === 'S3' && o.name === 'GetObject').length,
          argv.join(' '),
        ).to.be.above(0);
        const writes = ops.filter((o) => /^(Put|Delete|Copy|CreateMultipart)/.test(o.name));
        expect(
          writes.map((o) => o.label),
          argv.join(' '),
        ).to.deep.equal([]);
        if (argv[0] === 'report')
          expect(r.stderr, argv.join(' ')).to.match(/frontend in intg is 2 record\(s\) behind/);
        if (argv[0] === 'status') {
          const row = (JSON.parse(r.stdout) as StatusRow[]).find(
            (x) => x.service === 'frontend' && x.env === 'intg',
          );
          expect(row?.version).to.equal('v3');
          expect(row?.problems.join('\n')).to.contain('2 record(s) behind');
        }
      }
      expect(await (await s3.send(new GetObjectCommand(object))).Body!.transformToString()).to.equal(older);
      // A release (a writer) repairs the head; then the reader finds nothing stale.
      await deploy('v2');
      const after = JSON.parse((await tdr(['status', '-o', 'json'], reader)).stdout) as StatusRow[];
      const row = after.find((x) => x.service === 'frontend' && x.env === 'intg');
      expect(row).to.include({ version: 'v2' });
      expect(row?.problems).to.deep.equal([]);
    } finally {
      slack.close();
      await proxy.close();
    }
  });
});
