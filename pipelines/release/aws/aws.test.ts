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
import {
  DEFAULT_AWS_TIMEOUTS,
  RETRY_CONFIG,
  accountIdsFrom,
  assumedRoleCredentials,
  awsTimeoutsFrom,
  mgmtClients,
  releaseClients,
  sessionNameFor,
} from './aws';
import { startSilentServer, type SilentServer } from '../../../test/support/silent-server';
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

describe('AWS calls have a bounded time', () => {
  let silent: SilentServer;
  beforeEach(async () => {
    silent = await startSilentServer();
  });
  afterEach(async () => silent.close());

  it('ends a call to an endpoint that accepts and never answers, naming the operation and the endpoint', async () => {
    const requestMs = 200;
    const { ssm } = mgmtClients({
      region: 'eu-west-2',
      env: { AWS_ENDPOINT_URL: silent.url, TDR_AWS_REQUEST_TIMEOUT_MS: String(requestMs) },
      credentials: { accessKeyId: 'k', secretAccessKey: 's' },
    });
    const started = Date.now();
    const err = await attempt('reading the account ids from SSM in mgmt', () =>
      ssm.send(new GetParametersCommand({ Names: ['/mgmt/intg_account'] })),
    ).then(
      () => undefined,
      (e: Error & { kind?: string }) => e,
    );
    const elapsed = Date.now() - started;
    expect(err?.kind).to.equal('failed');
    expect(err?.message).to.contain('reading the account ids from SSM in mgmt');
    expect(err?.message).to.contain(`SSM GetParameters at ${silent.url}/`);
    expect(err?.message).to.contain(`${requestMs} ms`);
    // A timed-out attempt is transient: the standard strategy tries every attempt, then gives up.
    expect(silent.requests()).to.equal(RETRY_CONFIG.maxAttempts);
    // Every attempt waited its timeout; the back-off between them is under 4 s in all.
    expect(elapsed).to.be.at.least(RETRY_CONFIG.maxAttempts * requestMs);
    expect(elapsed).to.be.below(RETRY_CONFIG.maxAttempts * requestMs + 4_000);
    // Each timed-out attempt's socket was destroyed, not left to the server.
    await new Promise((r) => setTimeout(r, 50));
    expect(silent.openConnections()).to.equal(0);
  });

  it('bounds the workload clients too (ECS through the assumed role)', async () => {
    const clients = await releaseClients({
      region: 'eu-west-2',
      env: { AWS_ENDPOINT_URL: silent.url, TDR_AWS_REQUEST_TIMEOUT_MS: '150' },
      sessionName: 'tdr-test',
      accountIds: TEST_ACCOUNT_IDS,
      credentials: { accessKeyId: 'k', secretAccessKey: 's' },
    });
    const err = await clients
      .ecs('intg')
      .send(new DescribeServicesCommand({ cluster: 'c', services: ['s'] }))
      .then(
        () => undefined,
        (e: Error) => e,
      );
    // The first call to hang is the AssumeRole that gets the ECS client its credentials.
    expect(err?.message).to.match(
      new RegExp(`assuming role TDRJenkinsECSUpdateRoleIntg .*STS AssumeRole at ${silent.url}/`),
    );
  });

  it('reads the timeouts from the environment, and refuses a bad one naming the variable', () => {
    expect(awsTimeoutsFrom({})).to.deep.equal(DEFAULT_AWS_TIMEOUTS);
    expect(
      awsTimeoutsFrom({ TDR_AWS_CONNECT_TIMEOUT_MS: '1000', TDR_AWS_REQUEST_TIMEOUT_MS: '2000' }),
    ).to.deep.equal({ connectMs: 1000, requestMs: 2000 });
    for (const [name, value] of [
      ['TDR_AWS_REQUEST_TIMEOUT_MS', '0'],
      ['TDR_AWS_REQUEST_TIMEOUT_MS', '1e12'],
      ['TDR_AWS_CONNECT_TIMEOUT_MS', '-5'],
      ['TDR_AWS_CONNECT_TIMEOUT_MS', '2.5'],
      ['TDR_AWS_REQUEST_TIMEOUT_MS', '600001'],
    ] as const) {
      expect(() => awsTimeoutsFrom({ [name]: value }), `${name}=${value}`)
        .to.throw(new RegExp(`^${name}: must be a whole number of milliseconds from 100 to 600000`))
        .with.property('kind', 'invalid');
    }
    // Built before any call: a bad value stops the command before it reaches AWS.
    expect(() => mgmtClients({ region: 'eu-west-2', env: { TDR_AWS_REQUEST_TIMEOUT_MS: 'soon' } })).to.throw(
      /TDR_AWS_REQUEST_TIMEOUT_MS/,
    );
  });
});
