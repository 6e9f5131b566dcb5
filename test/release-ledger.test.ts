/**
 * The ledger at scale of reads, against moto: history a page at a time (and across services),
 * one unreadable record degrading only its own row, and the head rebuilt by `tdr ledger reindex`.
 */
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { naming } from '../services/naming';
import { recordKey } from '../pipelines/release/ledger/ledger';
import type { StatusRow } from '../pipelines/release/reads/status';
import { sandboxUp, tdr } from './support/release';

type Env = Record<string, string | undefined>;
type Row = { seq: number; kind: string; service: string; version?: string; problem?: string };

async function historyJson(env: Env, ...args: string[]): Promise<Row[]> {
  return JSON.parse((await tdr(['history', ...args, '-o', 'json'], env)).stdout) as Row[];
}

describe('ledger reads (moto)', () => {
  it('history pages from the newest (--limit, --before) and takes --env alone (every service, newest first)', async () => {
    const env = await sandboxUp();
    for (const v of ['v2', 'v3', 'v2'])
      await tdr(['deploy', '--service', 'frontend', '--env', 'intg', '--version', v], env);
    await tdr(['deploy', '--service', 'keycloak', '--env', 'intg', '--version', 'v3'], env);

    const first = await historyJson(env, '--service', 'frontend', '--env', 'intg', '--limit', '2');
    expect(first.map((r) => r.seq)).to.deep.equal([6, 5]);
    const next = await historyJson(
      env,
      '--service',
      'frontend',
      '--env',
      'intg',
      '--limit',
      '3',
      '--before',
      '5',
    );
    expect(next.map((r) => r.seq)).to.deep.equal([4, 3, 2]);
    const table = await tdr(['history', '--service', 'frontend', '--env', 'intg', '--limit', '2'], env);
    expect(table.stderr).to.contain('older: tdr history --service frontend --env intg --before 5');

    const all = await historyJson(env, '--env', 'intg', '--limit', '3');
    expect(all.map((r) => `${r.service}#${r.seq}`)).to.deep.equal(['keycloak#2', 'keycloak#1', 'frontend#6']);

    const bad = await tdr(['history', '--env', 'intg', '--before', '3'], env, 2);
    expect(bad.stderr).to.contain('before: pages one ledger, so it needs --service');
    await tdr(['history', '--env', 'intg', '--limit', '0'], env, 2);
    await tdr(['history', '--env', 'intg', '--limit', 'ten'], env, 2);
  });

  it('one unreadable record degrades its own row: status and history still answer, and deploys go on', async () => {
    const env = await sandboxUp();
    await tdr(['deploy', '--service', 'frontend', '--env', 'intg', '--version', 'v2'], env);
    await new S3Client({ forcePathStyle: true }).send(
      new PutObjectCommand({
        Bucket: naming.ledgerBucket(),
        Key: recordKey('frontend', 'intg', 3),
        Body: '{"schema":1,"kind":"release","seq":3,',
      }),
    );
    const rows = JSON.parse((await tdr(['status', '-o', 'json'], env)).stdout) as StatusRow[];
    const degraded = rows.filter((r) => r.problems.length > 0);
    expect(degraded.map((r) => `${r.service}/${r.env}`)).to.have.members([
      'frontend/intg',
      'frontend/staging',
    ]);
    expect(degraded[0]?.problems[0]).to.match(/record #3 is unreadable/);
    expect(rows.find((r) => r.service === 'frontend' && r.env === 'intg')).to.include({ version: 'v2' });

    await tdr(['deploy', '--service', 'frontend', '--env', 'intg', '--version', 'v3'], env);
    const history = await historyJson(env, '--service', 'frontend', '--env', 'intg');
    expect(history.map((r) => [r.seq, r.kind])).to.deep.equal([
      [5, 'release'],
      [4, 'release'],
      [3, 'unreadable'],
      [2, 'release'],
      [1, 'release'],
    ]);
    const table = await tdr(['status', '--service', 'frontend'], env);
    expect(table.stdout).to.match(/degraded frontend\/intg: ledger frontend\/intg record #3 is unreadable/);

    const reindexed = await tdr(['ledger', 'reindex', '--service', 'frontend', '--env', 'intg'], env);
    expect(reindexed.stdout).to.contain('reindexed frontend in intg: last record #5');
    expect(reindexed.stdout).to.contain('unreadable #3');
  });
});
