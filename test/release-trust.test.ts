/**
 * Trust on the bad day (issue 24), against moto: a lost UpdateAlias reply that took effect, four
 * eyes by person whatever session name or role the approver comes through, an approver recognised
 * by its role's IAM path and not its name, and a broken lease that stops its run.
 */
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { expect } from 'chai';
import { naming } from '../services/naming';
import { motoServer } from './support/hooks';
import { startProxy, type Proxy } from './support/proxy';
import { MGMT_ACCOUNT, approveAs, as, sandboxUp, tdr } from './support/release';

type Env = Record<string, string | undefined>;

async function toStaging(env: Env, service = 'frontend', version = 'v2') {
  await tdr(
    ['deploy', '--service', service, '--env', 'intg', '--version', version, '--actor', 'jenkins'],
    env,
  );
  await tdr(['promote', '--service', service, '--to', 'staging', '--actor', 'bob'], env);
  await tdr(
    [
      'check',
      'record',
      '--service',
      service,
      '--env',
      'staging',
      '--version',
      version,
      '--name',
      'e2e',
      '--result',
      'passed',
    ],
    env,
  );
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
});
