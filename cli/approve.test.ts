/**
 * `tdr approve` by an approver as themself looks for a deployment ECS holds for the approval through
 * the environment's approval role (`TDRReleaseApprovalRole{Env}`, infra/definitions/release-approval.ts),
 * before anything is written. Only STS refusing that AssumeRole (`AccessDenied`:
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html, Errors) is gone past,
 * with the approval recorded and the way to continue said; any other failure ends the command, exit
 * per its kind, with nothing written. STS, ECR and ECS are mocked at the client class
 * (aws-sdk-client-mock); the ledger is the in-memory bucket of test/support/memory-s3.ts. ECS is left
 * unmocked where the refusal must come from its credentials, as it does from the SDK: its endpoint
 * (nothing listens there) is never reached, since it signs nothing without them.
 */
import { DescribeImagesCommand, DescribeRepositoriesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import { naming } from '../services/naming';
import { TEST_ACCOUNT_IDS } from '../test/support/accounts';
import { awsError, memoryS3, type MemoryS3 } from '../test/support/memory-s3';
import { run } from './main';

const MGMT = TEST_ACCOUNT_IDS.mgmt;
const ALICE = `arn:aws:sts::${MGMT}:assumed-role/TDRReleaseApproverProd/alice`;
const JENKINS = `arn:aws:sts::${MGMT}:assumed-role/${naming.jenkinsNodeRole('prod')}/jenkins`;
const APPROVAL_ROLE = naming.roleArn(TEST_ACCOUNT_IDS.prod, naming.releaseApprovalRole('prod'));
const UPDATE_ROLE = naming.roleArn(TEST_ACCOUNT_IDS.prod, naming.jenkinsEcsUpdateRole('prod'));
const URI = `${MGMT}.dkr.ecr.eu-west-2.amazonaws.com/frontend`;
const APPROVE = ['approve', '--service', 'frontend', '--env', 'prod', '--version', 'v42'];
const VIA_JENKINS = ['--jenkins-approver', 'carol', '--build-url', 'https://jenkins.example/job/prod/1/'];

interface World {
  readonly s3: MemoryS3;
  readonly sts: AwsClientStub<STSClient>;
  readonly ecr: AwsClientStub<ECRClient>;
  ecs?: AwsClientStub<ECSClient>;
}

let w: World;

function world(identity = ALICE): World {
  const s3 = memoryS3({ everyClient: true });
  const sts = mockClient(STSClient) as AwsClientStub<STSClient>;
  sts.on(GetCallerIdentityCommand).resolves({ Arn: identity });
  sts
    .on(AssumeRoleCommand)
    .rejects(awsError('AccessDenied', 403, `not authorized to perform: sts:AssumeRole`));
  const ecr = mockClient(ECRClient) as AwsClientStub<ECRClient>;
  ecr.on(DescribeRepositoriesCommand).resolves({ repositories: [{ repositoryUri: URI }] });
  ecr.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: `sha256:${'4'.repeat(64)}` }] });
  return { s3, sts, ecr };
}

/** ECS answering every DescribeServices with `err` (the approval role assumed). */
function ecsFails(err: Error): void {
  w.sts.on(AssumeRoleCommand).resolves({
    Credentials: {
      AccessKeyId: 'ASIA',
      SecretAccessKey: 's',
      SessionToken: 't',
      Expiration: new Date(Date.now() + 3_600_000),
    },
  });
  const ecs = mockClient(ECSClient) as AwsClientStub<ECSClient>;
  ecs.on(DescribeServicesCommand).rejects(err);
  w.ecs = ecs;
}

async function tdr(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await run(
    argv,
    { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) },
    {
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
      AWS_REGION: 'eu-west-2',
      AWS_ACCESS_KEY_ID: 'AKIA',
      AWS_SECRET_ACCESS_KEY: 's',
      TDR_ACCOUNT_IDS: JSON.stringify(TEST_ACCOUNT_IDS),
      TDR_AWS_REQUEST_TIMEOUT_MS: '1000',
    },
  );
  return { code, stdout, stderr };
}

const records = () => [...w.s3.objects.keys()].filter((k) => k.startsWith('records/'));
const assumed = () => w.sts.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input);

describe('tdr approve: the held deployment is looked for through the approval role', () => {
  afterEach(() => {
    w.s3.mock.restore();
    w.sts.restore();
    w.ecr.restore();
    w.ecs?.restore();
  });

  it('the approval role refused at AssumeRole: the approval is recorded, and the output says how to continue', async () => {
    w = world();
    const r = await tdr(APPROVE);
    expect(r.code, r.stderr).to.equal(0);
    expect(assumed().map((i) => i.RoleArn))
      .to.include(APPROVAL_ROLE)
      .and.not.include(UPDATE_ROLE);
    // Its session in prod is named after the person AWS says is calling, not a placeholder.
    expect(assumed()[0]?.RoleSessionName).to.equal('tdr-alice');
    expect(r.stderr).to.contain("could not look at frontend in prod's ECS as an approver");
    expect(r.stderr).to.contain(naming.releaseApprovalRole('prod'));
    expect(r.stderr).to.contain("continue it from its prod promote job's input step");
    expect(r.stdout).to.match(/^approved frontend v42 .* for prod by alice as /);
    expect(records()).to.have.length(1);
  });

  const failures: ReadonlyArray<{ why: string; err: Error; code: number }> = [
    {
      why: 'the network (ECS unreachable)',
      err: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), {
        name: 'Error',
        code: 'ECONNREFUSED',
      }),
      code: 1,
    },
    {
      why: 'ECS refusing the approval role (AccessDeniedException: not AssumeRole)',
      err: awsError('AccessDeniedException', 400, 'not authorized to perform: ecs:DescribeServices'),
      code: 1,
    },
    {
      why: 'expired credentials (ExpiredTokenException)',
      err: awsError('ExpiredTokenException', 400, 'The security token included in the request is expired'),
      code: 2,
    },
  ];
  for (const f of failures)
    it(`${f.why}: exit ${f.code}, and nothing is written`, async () => {
      w = world();
      ecsFails(f.err);
      const r = await tdr(APPROVE);
      expect(r.code, r.stderr).to.equal(f.code);
      expect(r.stderr).not.to.contain('the approval is recorded');
      expect(w.s3.mock.commandCalls(PutObjectCommand).length, 'no ledger or lease write').to.equal(0);
      expect(records()).to.deep.equal([]);
    });

  it('STS failing AssumeRole otherwise (Throttling): exit 1, nothing written', async () => {
    w = world();
    w.sts.on(AssumeRoleCommand).rejects(awsError('Throttling', 400, 'Rate exceeded'));
    const r = await tdr(APPROVE);
    expect(r.code, r.stderr).to.equal(1);
    expect(r.stderr).to.contain('Throttling');
    expect(r.stderr).not.to.contain('the approval is recorded');
    expect(records()).to.deep.equal([]);
  });

  it('through Jenkins the node role goes on through the update role, and a refused AssumeRole fails it, nothing written', async () => {
    w = world(JENKINS);
    const r = await tdr([...APPROVE, ...VIA_JENKINS]);
    expect(r.code, r.stderr).to.equal(1);
    expect(assumed().map((i) => i.RoleArn))
      .to.include(UPDATE_ROLE)
      .and.not.include(APPROVAL_ROLE);
    expect(r.stderr).not.to.contain('the approval is recorded');
    expect(records()).to.deep.equal([]);
  });

  it('one who may not approve is refused (exit 3) before any workload role is asked for, nothing written', async () => {
    for (const [identity, argv] of [
      [JENKINS, APPROVE],
      [ALICE, [...APPROVE, ...VIA_JENKINS]],
    ] as const) {
      w = world(identity);
      const r = await tdr([...argv]);
      expect(r.code, `${identity} ${argv.join(' ')}: ${r.stderr}`).to.equal(3);
      expect(assumed(), 'no workload role assumed').to.deep.equal([]);
      expect(records()).to.deep.equal([]);
      w.s3.mock.restore();
      w.sts.restore();
      w.ecr.restore();
    }
  });

  it('a function, which ECS never holds, is approved without looking at ECS', async () => {
    w = world();
    const r = await tdr(['approve', '--service', 'signed-cookies', '--env', 'prod', '--version', 'v42']);
    expect(assumed(), 'no workload role assumed').to.deep.equal([]);
    expect(r.stderr).not.to.contain('could not look');
  });
});
