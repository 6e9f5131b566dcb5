/**
 * Trust on the bad day (issue 24), against moto: a lost UpdateAlias reply that took effect, four
 * eyes by person whatever session name or role the approver comes through, an approver recognised
 * by its role's IAM path and not its name, and a broken lease that stops its run.
 */
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { naming } from '../services/naming';
import { motoServer } from './support/hooks';
import { startProxy, type Proxy } from './support/proxy';
import { runTdr } from './support/cli';
import { MGMT_ACCOUNT, approveAs, as, e2ePassed, liveImage, sandboxUp, tdr } from './support/release';

type Env = Record<string, string | undefined>;

async function toStaging(env: Env, service = 'frontend', version = 'v2') {
  await tdr(
    ['deploy', '--service', service, '--env', 'intg', '--version', version, '--actor', 'jenkins'],
    env,
  );
  await tdr(['promote', '--service', service, '--to', 'staging', '--actor', 'bob'], env);
  await e2ePassed(env, service, version);
}

async function history(env: Env, service: string, e: string): Promise<Array<Record<string, unknown>>> {
  return JSON.parse(
    (await tdr(['history', '--service', service, '--env', e, '-o', 'json'], env)).stdout,
  ) as Array<Record<string, unknown>>;
}

/** A role in mgmt, at `path`, that anyone may assume (moto does not check trust anyway). */
async function createRole(name: string, path: string): Promise<void> {
  await new IAMClient({}).send(
    new CreateRoleCommand({
      RoleName: name,
      Path: path,
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${MGMT_ACCOUNT}:root` },
            Action: 'sts:AssumeRole',
          },
        ],
      }),
    }),
  );
}

describe('trust on the bad day (issue 24, moto)', () => {
  let proxy: Proxy | undefined;
  afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
  });

  it('#1: UpdateAlias applied but every reply lost: live is read back on the new version, recorded succeeded', async () => {
    // Lambda's REST path for UpdateAlias is PUT /2015-03-31/functions/{name}/aliases/{alias}; the
    // proxy labels a bare REST PUT as `S3 PutObject {path}`.
    const fn = naming.functionName('checksum', 'intg');
    const aliasPut = new RegExp(`PutObject functions/${fn}/aliases/${naming.functionAlias()}$`);
    proxy = await startProxy(motoServer().endpoint);
    const env = await sandboxUp({ AWS_ENDPOINT_URL: proxy.endpoint });
    proxy.setFaults({ seed: 24, rate: 1, kinds: ['500-after'], match: aliasPut });
    const r = await tdr(
      ['deploy', '--service', 'checksum', '--env', 'intg', '--version', 'v2', '-o', 'json'],
      env,
    );
    expect(proxy.faults().length, 'the UpdateAlias replies were lost').to.be.greaterThan(0);
    proxy.setFaults(undefined);
    const out = JSON.parse(r.stdout) as { outcome: string; aliasVersionArn: string };
    expect(out.outcome).to.equal('succeeded');
    expect(r.stderr).to.contain("the alias update's reply was lost");
    const [latest] = await history(env, 'checksum', 'intg');
    expect(latest).to.include({ outcome: 'succeeded', version: 'v2' });
    const rows = JSON.parse(
      (await tdr(['status', '--service', 'checksum', '--env', 'intg', '-o', 'json'], env)).stdout,
    ) as Array<{ version: string; drift: unknown[] }>;
    expect(rows.map((x) => [x.version, x.drift])).to.deep.equal([['v2', []]]);
  });

  it('#3: the approver cannot promote through another session name of their role, nor through Jenkins as --actor', async () => {
    const env = await sandboxUp();
    await toStaging(env);
    await approveAs(env, 'alice');
    const promote = ['promote', '--service', 'frontend', '--to', 'prod'];
    const again = await as(env, 'TDRReleaseApproverProd', 'alice-promoting');
    const sameRole = await tdr([...promote, '--actor', 'carol'], again, 3);
    expect(sameRole.stderr).to.contain(
      'approved and promoted through the same role (TDRReleaseApproverProd)',
    );
    const jenkins = await as(env, naming.jenkinsNodeRole('prod'), 'i-0agent');
    for (const actor of ['alice', 'ALICE', 'ａｌｉｃｅ']) {
      const viaJenkins = await tdr([...promote, '--actor', actor], jenkins, 3);
      expect(viaJenkins.stderr, actor).to.match(/approver alice is the promoter \(alice\)/i);
    }
    // #4: hidden or look-alike characters in --actor are refused before any AWS call.
    for (const actor of ['alice\u200b', 'alice\u2060', 'al\u00adice', 'alice\u0301', 'аlice', 'alice\nbob']) {
      const hidden = await tdr([...promote, '--actor', actor], jenkins, 2);
      expect(hidden.stderr, JSON.stringify(actor)).to.contain('actor: ');
    }
    // Someone else's build user promotes: four eyes.
    await tdr([...promote, '--actor', 'bob'], jenkins);
    expect((await history(env, 'frontend', 'prod'))[0]).to.include({
      outcome: 'succeeded',
      approver: 'alice',
    });
  });

  it("#8: an SSO approver is recognised by IAM Identity Center's path, never by a look-alike name at /", async () => {
    const env = await sandboxUp();
    await toStaging(env);
    await createRole('AWSReservedSSO_TDRAdmin_selfmade', '/');
    await createRole(
      'AWSReservedSSO_TDRAdmin_0123456789abcdef',
      '/aws-reserved/sso.amazonaws.com/eu-west-2/',
    );
    const approve = ['approve', '--service', 'frontend', '--env', 'prod'];
    const fake = await tdr(approve, await as(env, 'AWSReservedSSO_TDRAdmin_selfmade', 'mallory'), 3);
    expect(fake.stderr).to.contain('(path /) is not one of prod');
    await tdr(approve, await as(env, 'AWSReservedSSO_TDRAdmin_0123456789abcdef', 'carol'));
    const [approval] = await history(env, 'frontend', 'prod');
    expect(approval).to.include({
      kind: 'approval',
      approver: 'carol',
      rolePath: '/aws-reserved/sso.amazonaws.com/eu-west-2/',
    });
    // Carol's approval counts for Jenkins promoting as bob, and not as carol.
    const jenkins = await as(env, naming.jenkinsNodeRole('prod'), 'i-0agent');
    await tdr(['promote', '--service', 'frontend', '--to', 'prod', '--actor', 'carol'], jenkins, 3);
    await tdr(['promote', '--service', 'frontend', '--to', 'prod', '--actor', 'bob'], jenkins);
  });

  it("#6: a run whose lease is broken stops before its next change; ECS ends on the next run's version, and the ledger says so", async function () {
    this.timeout(180_000);
    // The broken run (A) is held at its RegisterTaskDefinition by the proxy, as a slow call would
    // hold it; meanwhile the lease is broken and the next run (B, straight to moto) deploys.
    let held: (() => void) | undefined;
    let arrived: () => void = () => undefined;
    const atRegister = new Promise<void>((r) => (arrived = r));
    proxy = await startProxy(motoServer().endpoint, {
      onRequest: (op) => {
        if (op.label !== 'ECS RegisterTaskDefinition' || held) return;
        arrived();
        return new Promise<void>((r) => (held = r));
      },
    });
    const direct = await sandboxUp();
    const viaProxy = { ...direct, AWS_ENDPOINT_URL: proxy.endpoint };
    const deploy = (version: string) => [
      'deploy',
      '--service',
      'frontend',
      '--env',
      'intg',
      '--version',
      version,
    ];
    const a = runTdr([...deploy('v2'), '--actor', 'alice', '-o', 'json'], viaProxy);
    await atRegister;
    const broke = await tdr(
      ['lease', 'break', '--service', 'frontend', '--env', 'intg', '--reason', 'agent lost', '-o', 'json'],
      direct,
    );
    const b = await tdr([...deploy('v3'), '--actor', 'bob', '-o', 'json'], direct);
    held?.();
    const ra = await a;
    expect(ra.code, ra.stderr).to.equal(4);
    expect(ra.stderr).to.contain('the lease was broken (tdr lease break) or released by someone else');

    const v3 = (JSON.parse(b.stdout) as { digest: string }).digest;
    expect((await liveImage('frontend', 'intg')).image).to.contain(v3);
    const records = await history(direct, 'frontend', 'intg');
    const runs = new Map<string, string[]>();
    for (const r of [...records].reverse())
      if (r.kind === 'release')
        runs.set(String(r.version), [...(runs.get(String(r.version)) ?? []), String(r.outcome)]);
    // A: started, then failed (settled by B from ECS, and its own record that it stopped); never succeeded.
    expect(runs.get('v2')?.[0]).to.equal('started');
    expect(runs.get('v2')?.slice(1)).to.not.include('succeeded');
    expect(runs.get('v2')?.slice(1)).to.include('failed');
    expect(runs.get('v3')).to.deep.equal(['started', 'succeeded']);
    expect(records[0]).to.include({ kind: 'release', version: 'v2', outcome: 'failed' });
    expect(String(records[0]?.detail)).to.contain('nothing changed');
    expect((JSON.parse(broke.stdout) as { reason: string }).reason).to.equal('agent lost');
    const [status] = JSON.parse(
      (await tdr(['status', '--service', 'frontend', '--env', 'intg', '-o', 'json'], direct)).stdout,
    ) as Array<{ version: string; unsettled: unknown[]; drift: unknown[]; lease: unknown }>;
    expect(status).to.deep.include({ version: 'v3', unsettled: [], drift: [], lease: null });
  });

  it('#10, #12: lease break — none held is exit 1 (asked AWS), prod only by its approvers, --dry-run changes nothing, the identity recorded', async () => {
    const proxied = await startProxy(motoServer().endpoint);
    proxy = proxied;
    const env = await sandboxUp({ AWS_ENDPOINT_URL: proxied.endpoint });
    const breakArgs = (e: string) => [
      'lease',
      'break',
      '--service',
      'frontend',
      '--env',
      e,
      '--reason',
      'agent lost',
    ];
    // Nothing held: the state of AWS, found by asking, so exit 1 (never 2, which says nothing was called).
    const before = proxied.requests();
    const none = await tdr(breakArgs('intg'), env, 1);
    expect(none.stderr).to.contain('no lease is held on frontend in intg: nothing to break');
    expect(proxied.requests()).to.be.greaterThan(before);

    // A stuck prod run's lease.
    const s3 = new S3Client({ forcePathStyle: true });
    const key = 'leases/frontend/prod.json';
    const lease = {
      holder: 'bob (promote v2, run stuck-1)',
      runId: 'stuck-1',
      acquiredAt: '2026-12-06T10:00:00.000Z',
      expiresAt: '2099-01-01T00:00:00.000Z',
    };
    await s3.send(
      new PutObjectCommand({ Bucket: naming.ledgerBucket(), Key: key, Body: JSON.stringify(lease) }),
    );
    const held = async () =>
      s3.send(new GetObjectCommand({ Bucket: naming.ledgerBucket(), Key: key })).then(
        () => true,
        () => false,
      );
    // Not an approver (moto's default IAM user): refused, dry run or not, and the lease stays.
    const dry = await tdr([...breakArgs('prod'), '--dry-run'], env, 3);
    expect(dry.stdout).to.contain(
      'would break the lease on frontend in prod held by bob (promote v2, run stuck-1)',
    );
    expect(dry.stdout).to.contain(
      "[NG] approver: arn:aws:sts::123456789012:user/moto is not one of prod's approvers",
    );
    const refused = await tdr(breakArgs('prod'), env, 3);
    expect(refused.stderr).to.contain("is not one of prod's approvers");
    expect(await held()).to.equal(true);
    // An approver: the dry run changes nothing; the break is recorded with their AWS identity.
    const carol = await as(env, 'TDRReleaseApproverProd', 'carol');
    const plan = JSON.parse((await tdr([...breakArgs('prod'), '--dry-run', '-o', 'json'], carol)).stdout) as {
      gate: { ok: boolean };
    };
    expect(plan.gate.ok).to.equal(true);
    expect(await held()).to.equal(true);
    const broke = JSON.parse(
      (await tdr([...breakArgs('prod'), '--actor', 'someone-else', '-o', 'json'], carol)).stdout,
    ) as Record<string, unknown>;
    expect(broke).to.include({
      kind: 'lease',
      holder: lease.holder,
      holderRunId: 'stuck-1',
      actor: 'someone-else',
      identity: `arn:aws:sts::${MGMT_ACCOUNT}:assumed-role/TDRReleaseApproverProd/carol`,
    });
    expect(await held()).to.equal(false);
  });
});
