/**
 * Client construction: throttling is retried by the SDK's standard strategy (against a real
 * HTTP server on 127.0.0.1 answering ThrottlingException, so the SDK's own retry middleware runs;
 * aws-sdk-client-mock would bypass it), errors say what was attempted, and workload accounts are
 * reached by assuming TDRJenkinsECSUpdateRole{Env}.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import { GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { naming } from '../../../services/naming';
import { RETRY_CONFIG, accountIdsFrom, assumedRoleCredentials, releaseClients, sessionNameFor } from './aws';
import { workloadRoleFrom } from '../saga/runtime';
import { attempt } from '../errors';
import { TEST_ACCOUNT_IDS } from '../../../test/support/accounts';

interface Fake {
  url: string;
  requests: number;
  server: Server;
}

/** Answers the first `throttled` requests with HTTP 400 ThrottlingException, then `final`. */
async function ecsEndpoint(
  throttled: number,
  final: { status: number; body: object; type?: string },
): Promise<Fake> {
  const fake: Fake = { url: '', requests: 0, server: createServer() };
  fake.server.on('request', (req, res) => {
    req.resume();
    req.on('end', () => {
      fake.requests++;
      const throttle = fake.requests <= throttled;
      const status = throttle ? 400 : final.status;
      const body = throttle ? { __type: 'ThrottlingException', message: 'Rate exceeded' } : final.body;
      res.writeHead(status, {
        'content-type': 'application/x-amz-json-1.1',
        ...(throttle
          ? { 'x-amzn-errortype': 'ThrottlingException' }
          : final.type
            ? { 'x-amzn-errortype': final.type }
            : {}),
      });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((r) => fake.server.listen(0, '127.0.0.1', r));
  fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
  return fake;
}

function ecsAt(url: string): ECSClient {
  return new ECSClient({
    region: 'eu-west-2',
    endpoint: url,
    credentials: { accessKeyId: 'k', secretAccessKey: 's' },
    ...RETRY_CONFIG,
  });
}

describe('AWS clients', () => {
  it('retries throttling with backoff until the call succeeds', async () => {
    const fake = await ecsEndpoint(3, {
      status: 200,
      body: { services: [{ serviceName: 'frontend_service_intg', runningCount: 1 }], failures: [] },
    });
    try {
      const out = await ecsAt(fake.url).send(
        new DescribeServicesCommand({ cluster: 'frontend_intg', services: ['frontend_service_intg'] }),
      );
      expect(out.services?.[0]?.serviceName).to.equal('frontend_service_intg');
      expect(fake.requests).to.equal(4);
      expect(out.$metadata.attempts).to.equal(4);
    } finally {
      fake.server.close();
    }
  });

  it('does not retry an error that is not transient, and says what was being attempted', async () => {
    const fake = await ecsEndpoint(0, {
      status: 400,
      type: 'AccessDeniedException',
      body: { __type: 'AccessDeniedException', message: 'not allowed' },
    });
    try {
      let message = '';
      await attempt('describing ECS service frontend_service_intg', () =>
        ecsAt(fake.url).send(new DescribeServicesCommand({ cluster: 'c', services: ['s'] })),
      ).catch((err: Error) => (message = err.message));
      expect(message).to.equal(
        'describing ECS service frontend_service_intg: AccessDeniedException: not allowed',
      );
      expect(fake.requests).to.equal(1);
    } finally {
      fake.server.close();
    }
  });

  it('assumes TDRJenkinsECSUpdateRole{Env} in the workload account once and reuses the credentials', async () => {
    const sts = new STSClient({ region: 'eu-west-2' });
    const mock = mockClient(sts);
    mock.on(AssumeRoleCommand).resolves({
      Credentials: {
        AccessKeyId: 'AK',
        SecretAccessKey: 'SK',
        SessionToken: 'ST',
        Expiration: new Date(Date.now() + 3600_000),
      },
    });
    const provider = assumedRoleCredentials(sts, '444444444444', 'TDRJenkinsECSUpdateRoleProd', 'tdr-bob');
    const [a, b] = await Promise.all([provider(), provider()]);
    await provider();
    expect(a).to.include({ accessKeyId: 'AK', sessionToken: 'ST' });
    expect(b).to.equal(a);
    expect(mock.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input)).to.deep.equal([
      { RoleArn: 'arn:aws:iam::444444444444:role/TDRJenkinsECSUpdateRoleProd', RoleSessionName: 'tdr-bob' },
    ]);
  });

  for (const [setting, role] of [
    [undefined, 'update'],
    ['update', 'update'],
    ['reader', 'reader'],
  ] as const) {
    it(`reaches each workload account through the ${role} role with TDR_WORKLOAD_ROLE=${setting ?? '(unset)'}`, async () => {
      const mock = mockClient(STSClient);
      try {
        mock.on(AssumeRoleCommand).resolves({
          Credentials: {
            AccessKeyId: 'AK',
            SecretAccessKey: 'SK',
            SessionToken: 'ST',
            Expiration: new Date(Date.now() + 3600_000),
          },
        });
        const env = { TDR_WORKLOAD_ROLE: setting };
        const clients = await releaseClients({
          region: 'eu-west-2',
          env: {},
          credentials: { accessKeyId: 'k', secretAccessKey: 's' },
          sessionName: 'tdr-report',
          accountIds: TEST_ACCOUNT_IDS,
          workloadRole: workloadRoleFrom(env, { readOnly: true }),
        });
        for (const target of ['intg', 'staging', 'prod'] as const) {
          await clients.ecs(target).config.credentials();
          await clients.lambda(target).config.credentials();
          await clients.elbv2(target).config.credentials();
        }
        const name = (e: 'intg' | 'staging' | 'prod') =>
          role === 'reader' ? naming.releaseReaderRole(e) : naming.jenkinsEcsUpdateRole(e);
        expect(mock.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input)).to.deep.equal(
          (['intg', 'staging', 'prod'] as const).map((e) => ({
            RoleArn: naming.roleArn(TEST_ACCOUNT_IDS[e], name(e)),
            RoleSessionName: 'tdr-report',
          })),
        );
      } finally {
        mock.restore();
      }
    });
  }

  it('wraps a failed AssumeRole with the role and account', async () => {
    const sts = new STSClient({ region: 'eu-west-2' });
    mockClient(sts)
      .on(AssumeRoleCommand)
      .rejects(Object.assign(new Error('no trust'), { name: 'AccessDenied' }));
    let message = '';
    await assumedRoleCredentials(sts, '444444444444', 'TDRJenkinsECSUpdateRoleProd', 's1')().catch(
      (e: Error) => (message = e.message),
    );
    expect(message).to.equal(
      'assuming role TDRJenkinsECSUpdateRoleProd in account 444444444444: AccessDenied: no trust',
    );
  });

  it('makes a session name AssumeRole accepts from any actor', () => {
    expect(sessionNameFor('Jane Doe <jane@example.org>')).to.equal('tdr-Jane-Doe--jane@example.org-');
    expect(sessionNameFor('x'.repeat(100))).to.have.length(64);
  });

  it('reads account ids from TDR_ACCOUNT_IDS, or from mgmt SSM in one call, reporting any missing', async () => {
    const ids = TEST_ACCOUNT_IDS;
    const ssm = new SSMClient({ region: 'eu-west-2' });
    const mock = mockClient(ssm);
    expect(await accountIdsFrom({ TDR_ACCOUNT_IDS: JSON.stringify(ids) }, ssm)).to.deep.equal(ids);
    expect(mock.calls()).to.have.length(0);

    mock.on(GetParametersCommand).resolves({
      Parameters: Object.entries(ids).map(([e, v]) => ({ Name: `/mgmt/${e}_account`, Value: v })),
    });
    expect(await accountIdsFrom({}, ssm)).to.deep.equal(ids);
    expect(mock.commandCalls(GetParametersCommand)).to.have.length(1);

    mock.on(GetParametersCommand).resolves({
      Parameters: [{ Name: '/mgmt/mgmt_account', Value: ids.mgmt }],
      InvalidParameters: ['/mgmt/prod_account'],
    });
    let message = '';
    await accountIdsFrom({}, ssm).catch(
      (e: Error & { kind: string }) => (message = `${e.kind} ${e.message}`),
    );
    expect(message).to.match(/^invalid invalid platform configuration/);
    expect(message).to.contain('prod');
  });
});
