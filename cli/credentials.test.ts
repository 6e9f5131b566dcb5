/**
 * Missing or expired AWS credentials are configuration: exit 2 and one line saying what to do
 * (README: AWS credentials). Run in-process; the SDK's default credential chain reads
 * process.env, so each test sets it and puts it back. The instance metadata service is switched
 * off (AWS_EC2_METADATA_DISABLED), so nothing leaves 127.0.0.1.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { TEST_ACCOUNT_IDS } from '../test/support/accounts';
import { runTdr } from '../test/support/cli';
import { ExitCode } from './exit-codes';

const CREDENTIAL_VARIABLES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_ROLE_ARN',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_EC2_METADATA_DISABLED',
  'AWS_ENDPOINT_URL',
] as const;

/** An endpoint that answers every request as AWS answers one signed with an expired session. */
async function expiredTokenEndpoint(): Promise<{ server: Server; url: string; requests: () => number }> {
  let requests = 0;
  const server = createServer((req, res) => {
    requests += 1;
    req.resume();
    const type = req.headers['content-type'] ?? '';
    const message = 'The security token included in the request is expired';
    if (type.includes('x-amz-json')) {
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ __type: 'ExpiredTokenException', message }));
    } else if (type.includes('x-www-form-urlencoded')) {
      // The query protocol (STS): https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html
      res.writeHead(400, { 'content-type': 'text/xml' });
      res.end(
        `<ErrorResponse><Error><Type>Sender</Type><Code>ExpiredToken</Code><Message>${message}</Message></Error><RequestId>1</RequestId></ErrorResponse>`,
      );
    } else {
      res.writeHead(400, { 'content-type': 'application/xml' });
      res.end(
        `<Error><Code>ExpiredToken</Code><Message>${message}</Message><RequestId>1</RequestId></Error>`,
      );
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}`, requests: () => requests };
}

describe('tdr without usable AWS credentials', function () {
  this.timeout(30_000);
  let saved: Record<string, string | undefined>;
  beforeEach(() => {
    saved = Object.fromEntries(CREDENTIAL_VARIABLES.map((v) => [v, process.env[v]]));
    for (const v of CREDENTIAL_VARIABLES) delete process.env[v];
    Object.assign(process.env, {
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: '/nonexistent/tdr-test/config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/tdr-test/credentials',
    });
  });
  afterEach(() => {
    for (const [v, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[v];
      else process.env[v] = value;
    }
  });

  function expectOneLineSayingWhatToDo(stderr: string, sdkError: RegExp): void {
    const lines = stderr.trimEnd().split('\n');
    expect(lines, stderr).to.have.length(1);
    expect(lines[0]).to.match(/^error: AWS credentials are missing or expired \(/);
    expect(lines[0]).to.match(sdkError);
    for (const hint of ['AWS_PROFILE', 'aws sso login', 'AWS_ACCESS_KEY_ID', 'AWS_ENDPOINT_URL'])
      expect(lines[0], hint).to.contain(hint);
  }

  it('missing: exit 2, one line naming the profile, SSO login and the sandbox', async () => {
    const env = { ...process.env, TDR_ACCOUNT_IDS: JSON.stringify(TEST_ACCOUNT_IDS) };
    const r = await runTdr(['status', '--env', 'intg'], env);
    expectOneLineSayingWhatToDo(r.stderr, /CredentialsProviderError: Could not load credentials/);
    expect(r.stdout).to.equal('');
    expect(r.code).to.equal(ExitCode.invalidInput);
  });

  it('expired: exit 2, one line, after the one request AWS refused', async () => {
    const endpoint = await expiredTokenEndpoint();
    try {
      Object.assign(process.env, {
        AWS_ACCESS_KEY_ID: 'ASIAEXPIREDEXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'expired',
        AWS_SESSION_TOKEN: 'expired',
        AWS_ENDPOINT_URL: endpoint.url,
      });
      const env = { ...process.env, TDR_ACCOUNT_IDS: JSON.stringify(TEST_ACCOUNT_IDS) };
      const r = await runTdr(['deploy', '--service', 'frontend', '--env', 'intg', '--version', 'v1'], env);
      expectOneLineSayingWhatToDo(
        r.stderr
          .split('\n')
          .filter((l) => l.startsWith('error:'))
          .join('\n'),
        /ExpiredToken/,
      );
      expect(r.code, r.stderr).to.equal(ExitCode.invalidInput);
      expect(endpoint.requests(), 'AWS was asked, and refused').to.be.greaterThan(0);
    } finally {
      endpoint.server.close();
    }
  });
});
