/**
 * `tdr verify` for a function against moto: every function of the catalogue is all `[OK]` in
 * intg after `sandbox up`; the line of what is taken away (the `live` alias, the packages) turns
 * `[NG]` and the exit code says so; after a release the ledger record names it.
 */
import { DeleteAliasCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DeleteObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { loadPlatform } from '../services/config';
import { naming } from '../services/naming';
import { functions } from '../services/queries';
import type { VerifyCheck } from '../pipelines/release/reads/verify';
import { assumeRole } from './support/accounts';
import { SANDBOX, sandboxUp, tdr } from './support/release';

type Env = Record<string, string | undefined>;
const ENV = 'intg';
const names = functions(loadPlatform({}).catalogue).map(([name]) => name);
const [FN] = names;
if (!FN) throw new Error('the catalogue has no function');

async function verify(env: Env, fn: string, code = 0) {
  const r = await tdr(['verify', '--service', fn, '--env', ENV], env, code);
  return { ...r, lines: r.stdout.trim().split('\n') };
}

describe('tdr verify for a function (moto)', () => {
  it('is all [OK] for every function in intg after sandbox up; without its live alias that line is [NG], exit 1', async () => {
    const env = await sandboxUp();
    for (const fn of names) {
      const ok = await verify(env, fn);
      expect(
        ok.lines.filter((l) => !l.startsWith('[OK]')),
        `${fn}:\n${ok.stdout}`,
      ).to.deep.equal([]);
      const name = naming.functionName(fn, ENV);
      for (const line of [
        `[OK] role assumable: ${naming.jenkinsEcsUpdateRole(ENV)} in ${SANDBOX.intg}`,
        `[OK] code bucket: s3://${naming.backendCodeBucket()} in mgmt`,
        `[OK] package: s3://${naming.backendCodeBucket()}/${naming.functionPackagePrefix(fn)}`,
        `[OK] function: ${name}: runtime `,
        `[OK] live alias: live → version 1 (sha256 `,
        `[OK] log group: ${naming.functionLogGroup(fn, ENV)} exists in ${ENV}`,
        `[OK] ledger record: no release of ${fn} in ${ENV} recorded yet`,
      ])
        expect(ok.stdout, fn).to.contain(line);
    }

    const lambda = new LambdaClient({
      credentials: await assumeRole(SANDBOX.intg, naming.jenkinsEcsUpdateRole(ENV)),
    });
    await lambda.send(
      new DeleteAliasCommand({ FunctionName: naming.functionName(FN, ENV), Name: naming.functionAlias() }),
    );
    const ng = await verify(env, FN, 1);
    expect(ng.lines.filter((l) => !l.startsWith('[OK]'))).to.deep.equal([
      `[NG] live alias: ${naming.functionName(FN, ENV)} has no live alias in ${ENV}: every trigger calls it and every release moves it; infra creates it (run pulumi up for the ${ENV} stack; locally: tdr sandbox up)`,
      '[--] ledger record: needs the live alias',
    ]);
    expect(ng.stderr).to.contain('1 preflight check failed');
    const json = JSON.parse(
      (await tdr(['verify', '--service', FN, '--env', ENV, '-o', 'json'], env, 1)).stdout,
    ) as VerifyCheck[];
    expect(json.filter((c) => c.status !== 'ok').map((c) => [c.name, c.status])).to.deep.equal([
      ['live alias', 'ng'],
      ['ledger record', 'skipped'],
    ]);
  });

  it('after a release the ledger record names it; with every package of the function gone, the package line is [NG], exit 1', async () => {
    const env = await sandboxUp();
    const deployed = JSON.parse(
      (await tdr(['deploy', '--service', FN, '--env', ENV, '--version', 'v2', '-o', 'json'], env)).stdout,
    ) as { sha256: string; outcome: string };
    expect(deployed.outcome).to.equal('succeeded');
    const after = await verify(env, FN);
    expect(after.stdout).to.contain(
      `[OK] ledger record: live runs v2 (sha256 ${deployed.sha256}), as the ledger says`,
    );

    // A delete in the versioned code bucket leaves a delete marker: the package is gone from listings.
    const s3 = new S3Client({ forcePathStyle: true });
    const bucket = naming.backendCodeBucket();
    const listed = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: naming.functionPackagePrefix(FN) }),
    );
    expect(listed.Contents ?? []).to.have.length.greaterThan(0);
    for (const o of listed.Contents ?? [])
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: o.Key }));

    const ng = await verify(env, FN, 1);
    const bad = ng.lines.filter((l) => !l.startsWith('[OK]'));
    expect(bad).to.have.length(1);
    expect(bad[0]).to.match(
      new RegExp(
        `^\\[NG\\] package: no package of ${FN} under s3://${bucket}/${naming.functionPackagePrefix(FN)} `,
      ),
    );
    expect(ng.stderr).to.contain('1 preflight check failed');
    // The function still runs what it ran: only releasing anew is impossible.
    expect(ng.stdout).to.contain(`[OK] ledger record: live runs v2 (sha256 ${deployed.sha256})`);
  });
});
