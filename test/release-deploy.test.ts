/**
 * `tdr deploy` against moto: resolve the ECR tag to its digest, register a revision identical to
 * the current one except the image, update the service, record the ledger.
 */
import { DescribeTaskDefinitionCommand, ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
import { DescribeImagesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { expect } from 'chai';
import { motoServer } from './support/hooks';
import { startProxy, type Proxy } from './support/proxy';
import { ecsIn, liveImage, sandboxUp, tdr } from './support/release';

async function digestOf(repo: string, tag: string): Promise<string> {
  const out = await new ECRClient({}).send(
    new DescribeImagesCommand({ repositoryName: repo, imageIds: [{ imageTag: tag }] }),
  );
  return out.imageDetails?.[0]?.imageDigest ?? '';
}

describe('tdr deploy (moto)', () => {
  it('deploys a version to intg pinned by digest, changing nothing but the image, and records it', async () => {
    const env = await sandboxUp();
    const before = await liveImage('frontend', 'intg');
    const r = await tdr(
      [
        'deploy',
        '--service',
        'frontend',
        '--env',
        'intg',
        '--version',
        'v2',
        '--build-url',
        'https://jenkins.example/42',
        '--git-commit',
        'abc1234',
      ],
      env,
    );
    const digest = await digestOf('transfer-frontend', 'v2');
    expect(digest).to.match(/^sha256:[0-9a-f]{64}$/);

    const after = await liveImage('frontend', 'intg');
    expect(after.image).to.equal(`123456789012.dkr.ecr.eu-west-2.amazonaws.com/transfer-frontend@${digest}`);
    expect(after.taskDefinition).to.not.equal(before.taskDefinition);
    expect(r.stdout).to.contain('succeeded');
    expect(r.stderr).to.match(/waiting for steady state: \d+ s elapsed, running 1\/1/);

    const ecs = await ecsIn('intg');
    const [a, b] = await Promise.all(
      [before.taskDefinition, after.taskDefinition].map(
        async (t) =>
          (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: t }))).taskDefinition,
      ),
    );
    const strip = (td: typeof a) => ({
      ...td,
      taskDefinitionArn: undefined,
      revision: undefined,
      registeredAt: undefined,
      containerDefinitions: td?.containerDefinitions?.map((c) => ({ ...c, image: undefined })),
    });
    expect(strip(b)).to.deep.equal(strip(a));

    const history = JSON.parse(
      (await tdr(['history', '--service', 'frontend', '--env', 'intg', '-o', 'json'], env)).stdout,
    ) as Record<string, unknown>[];
    expect(history.map((h) => [h.seq, h.outcome])).to.deep.equal([
      [2, 'succeeded'],
      [1, 'started'],
    ]);
    expect(history[0]).to.include({
      action: 'deploy',
      version: 'v2',
      digest,
      // Not the OS user (USER=tester): who AWS says is calling, moto's default user.
      actor: 'moto',
      identity: 'arn:aws:sts::123456789012:user/moto',
      buildUrl: 'https://jenkins.example/42',
      gitCommit: 'abc1234',
      taskDefinitionBefore: before.taskDefinition,
      taskDefinitionAfter: after.taskDefinition,
      sourceEnv: null,
    });
  });

  it('--dry-run prints the plan (digests, task-definition diff, gates) and changes nothing', async () => {
    const env = await sandboxUp();
    const before = await liveImage('frontend', 'intg');
    const r = await tdr(
      ['deploy', '--service', 'frontend', '--env', 'intg', '--version', 'v3', '--dry-run'],
      env,
    );
    const digest = await digestOf('transfer-frontend', 'v3');
    expect(r.stdout).to.contain(`to:   v3 ${digest}`);
    expect(r.stdout).to.contain(`- containerDefinitions[0].image: "${before.image}"`);
    expect(r.stdout).to.match(/\[OK\]\s+order/);
    expect(r.stdout).to.contain('planned');
    expect(await liveImage('frontend', 'intg')).to.deep.equal(before);
    const families = await (
      await ecsIn('intg')
    ).send(new ListTaskDefinitionsCommand({ familyPrefix: 'frontend-intg' }));
    expect(families.taskDefinitionArns).to.have.length(1);
    const history = JSON.parse(
      (await tdr(['history', '--service', 'frontend', '--env', 'intg', '-o', 'json'], env)).stdout,
    ) as unknown[];
    expect(history).to.deep.equal([]);
  });

  it('refuses a version that is not in ECR (exit 3), and a deploy straight to staging (exit 3)', async () => {
    const env = await sandboxUp();
    const unknown = await tdr(
      ['deploy', '--service', 'frontend', '--env', 'intg', '--version', 'v99'],
      env,
      3,
    );
    expect(unknown.stderr).to.contain('v99 does not exist in ECR repository transfer-frontend');
    const skip = await tdr(
      ['deploy', '--service', 'frontend', '--env', 'staging', '--version', 'v2'],
      env,
      3,
    );
    expect(skip.stderr).to.contain('staging takes only versions promoted from intg');
    expect(skip.stderr).to.contain('v2 has never succeeded in intg');
  });

  it('(control) the counting proxy sees the requests of a command that does call AWS', async () => {
    const proxy = await startProxy(motoServer().endpoint);
    try {
      const env = await sandboxUp({ AWS_ENDPOINT_URL: proxy.endpoint });
      const before = proxy.requests();
      await tdr(['status', '--service', 'frontend', '--env', 'intg'], env);
      expect(proxy.requests() - before).to.be.greaterThan(0);
    } finally {
      await proxy.close();
    }
  });

  describe('bad input exits 2 before any AWS call', () => {
    // Every AWS request the command makes goes through this counting proxy in front of moto.
    let proxy: Proxy;
    let offline: Record<string, string | undefined>;
    beforeEach(async () => {
      proxy = await startProxy(motoServer().endpoint);
      offline = {
        ...process.env,
        AWS_ENDPOINT_URL: proxy.endpoint,
        TDR_ACCOUNT_IDS: undefined,
        USER: 'tester',
      };
    });
    afterEach(async () => {
      expect(proxy.requests(), 'AWS requests made').to.equal(0);
      await proxy.close();
    });
    const cases: Array<[string, string[], RegExp]> = [
      [
        'unknown service',
        ['deploy', '--service', 'nope', '--env', 'intg', '--version', 'v2'],
        /--service <service>' argument 'nope' is invalid/,
      ],
      [
        'bad version syntax',
        ['deploy', '--service', 'frontend', '--env', 'intg', '--version', '42'],
        /"42" is not a version; expected a release version/,
      ],
      [
        'a git commit that is not 7 to 40 lowercase hex digits',
        ['deploy', '--service', 'frontend', '--env', 'intg', '--version', 'v2', '--git-commit', 'ABC1234'],
        /--git-commit <sha>' argument 'ABC1234' is invalid.*7 to 40 lowercase hexadecimal/,
      ],
      [
        'a git commit too short',
        ['deploy', '--service', 'frontend', '--env', 'intg', '--version', 'v2', '--git-commit', 'abc12'],
        /--git-commit <sha>' argument 'abc12' is invalid/,
      ],
      [
        'unknown environment',
        ['promote', '--service', 'frontend', '--to', 'qa'],
        /--to <env>' argument 'qa' is invalid.*intg, staging, prod/,
      ],
      [
        'unknown option',
        ['deploy', '--service', 'frontend', '--env', 'intg', '--version', 'v2', '--force'],
        /unknown option '--force'/,
      ],
      [
        'break glass without a reason',
        ['promote', '--service', 'frontend', '--to', 'prod', '--break-glass'],
        /reason: --break-glass needs --reason/,
      ],
      [
        'missing version',
        ['deploy', '--service', 'frontend', '--env', 'intg'],
        /--version <version>' not specified/,
      ],
      [
        'rollback to a bad version',
        ['rollback', '--service', 'frontend', '--env', 'intg', '--to', 'latest'],
        /"latest" is not a version/,
      ],
      [
        'check with bad result',
        [
          'check',
          'record',
          '--service',
          'frontend',
          '--env',
          'staging',
          '--version',
          'v2',
          '--name',
          'e2e',
          '--result',
          'ok',
        ],
        /--result <result>' argument 'ok' is invalid/,
      ],
    ];
    for (const [name, argv, message] of cases) {
      it(name, async () => {
        const r = await tdr(argv, offline, 2);
        expect(r.stderr).to.match(message);
      });
    }
  });
});
