/**
 * kaniko-build against a fake `aws` that answers as the AWS CLI would (text output of the queries
 * the script asks for) and logs each call: the script starts Kaniko as its own ECS task with an S3
 * context, waits within its bound, and fails with the task's reason and log when Kaniko fails.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { KANIKO } from '../../../services/kaniko';
import { naming } from '../../../services/naming';

const SCRIPT = join(__dirname, 'kaniko-build.sh');
const ACCOUNT = '111122223333';
const TASK = `arn:aws:ecs:eu-west-2:${ACCOUNT}:task/jenkins_mgmt/0123abcd`;
const DIGEST = `sha256:${'ab'.repeat(32)}`;

interface Fake {
  /** Repositories whose tag is already in ECR before the run. */
  readonly existing?: readonly string[];
  /** The Kaniko container's exit code when the task stops (default 0). */
  readonly exitCode?: number;
  /** describe-tasks never reports STOPPED. */
  readonly neverStops?: boolean;
  readonly env?: Record<string, string>;
  /** The first wait is interrupted as Jenkins aborts a build (SIGTERM to the script). */
  readonly abortWhileWaiting?: boolean;
}

/** A fake `aws`: logs every call (one line each) and answers the queries kaniko-build makes. */
function fakeAws(dir: string, fake: Fake): string {
  const existing = (fake.existing ?? []).join(' ');
  return `#!/bin/sh
echo "$*" >> "${dir}/calls"
case "$1 $2" in
  "sts get-caller-identity") echo ${ACCOUNT} ;;
  "s3 cp") cp "$3" "${dir}/context.tar.gz" ;;
  "ssm get-parameters") case "$*" in *fargate_subnet*) echo subnet-a,subnet-b ;; *) echo sg-1 ;; esac ;;
  "ecs run-task") printf '%s\\tNone\\n' "${TASK}"; touch "${dir}/built" ;;
  "ecs describe-tasks")
    n=$(cat "${dir}/polls" 2>/dev/null || echo 0); n=$((n + 1)); echo $n > "${dir}/polls"
    if [ ${fake.neverStops ? 1 : 0} = 1 ] || [ $n -lt 2 ]; then printf 'RUNNING\\tNone\\tNone\\n'
    else printf 'STOPPED\\t${fake.exitCode ?? 0}\\tEssential container in task exited\\n'; fi ;;
  "ecs stop-task") echo '{}' ;;
  "logs get-log-events") echo "error building image: COPY failed" ;;
  "ecr describe-images")
    for r in ${existing}; do case "$*" in *"--repository-name $r "*) echo ${DIGEST}; exit 0 ;; esac; done
    case "$*" in *imageDigest*) [ -f "${dir}/built" ] && echo ${DIGEST} && exit 0 ;; esac
    echo "An error occurred (ImageNotFoundException)" >&2; exit 254 ;;
  *) echo "unexpected aws $*" >&2; exit 99 ;;
esac
`;
}

function run(args: string[], fake: Fake = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'kaniko-build-'));
  try {
    const bin = join(dir, 'bin');
    const work = join(dir, 'work');
    mkdirSync(bin);
    mkdirSync(work);
    writeFileSync(join(work, 'Dockerfile'), 'FROM scratch\n');
    writeFileSync(join(bin, 'aws'), fakeAws(dir, fake));
    writeFileSync(join(bin, 'git'), '#!/bin/sh\necho 0123456789abcdef0123456789abcdef01234567\n');
    writeFileSync(
      join(bin, 'sleep'),
      fake.abortWhileWaiting ? '#!/bin/sh\nkill -TERM $PPID\n' : '#!/bin/sh\nexit 0\n',
    );
    for (const tool of ['aws', 'git', 'sleep']) chmodSync(join(bin, tool), 0o755);
    const result = spawnSync('sh', [SCRIPT, ...args], {
      cwd: work,
      env: { PATH: `${bin}:${process.env.PATH}`, AWS_REGION: 'eu-west-2', ...fake.env },
      encoding: 'utf8',
    });
    const read = (f: string) => {
      try {
        return readFileSync(join(dir, f), 'utf8');
      } catch {
        return '';
      }
    };
    const tar = spawnSync('tar', ['-tzf', join(dir, 'context.tar.gz')], { encoding: 'utf8' });
    return { ...result, calls: read('calls').trim().split('\n').filter(Boolean), context: tar.stdout ?? '' };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const IMAGES = 'Dockerfile=transfer-service Dockerfile=jenkins-kaniko@kaniko';

describe('kaniko-build (build agent tool): Kaniko as its own ECS task', () => {
  it('is valid sh', () => {
    const r = spawnSync('sh', ['-n', SCRIPT], { encoding: 'utf8' });
    expect(r.status, r.stderr).to.equal(0);
  });

  it('uploads the context once and starts one Kaniko task per image with an s3:// context, in the agents’ network', () => {
    const r = run(['v7', IMAGES]);
    expect(r.status, r.stderr).to.equal(0);
    expect(r.context).to.contain('./Dockerfile');
    const uploads = r.calls.filter((c) => c.startsWith('s3 cp '));
    expect(uploads).to.have.length(1);
    const key = /s3:\/\/(\S+)/.exec(uploads[0]!)![1]!;
    expect(key).to.match(
      new RegExp(`^${naming.jenkinsKanikoContextBucket()}/${KANIKO.contextPrefix}v7/\\S+\\.tar\\.gz$`),
    );
    const runs = r.calls.filter((c) => c.startsWith('ecs run-task '));
    expect(runs).to.have.length(IMAGES.split(' ').length);
    for (const [i, call] of runs.entries()) {
      const repository = ['transfer-service', 'jenkins-kaniko'][i]!;
      expect(call).to.contain(
        `--cluster ${naming.jenkinsCluster()} --task-definition ${naming.jenkinsKanikoFamily()}`,
      );
      expect(call).to.contain('--launch-type FARGATE');
      expect(call).to.contain(
        'awsvpcConfiguration={subnets=[subnet-a,subnet-b],securityGroups=[sg-1],assignPublicIp=DISABLED}',
      );
      const overrides = JSON.parse(/--overrides (\{.*\}) --query/.exec(call)![1]!) as {
        containerOverrides: Array<{ name: string; command: string[] }>;
      };
      expect(overrides.containerOverrides[0]!.name).to.equal(KANIKO.container);
      const command = overrides.containerOverrides[0]!.command;
      expect(command).to.include(`--context=s3://${key}`);
      expect(command).to.include('--dockerfile=Dockerfile');
      expect(command).to.include(`--destination=${ACCOUNT}.dkr.ecr.eu-west-2.amazonaws.com/${repository}:v7`);
      expect(command.includes('--target=kaniko')).to.equal(i === 1);
    }
    expect(r.stdout).to.contain(`/transfer-service:v7@${DIGEST}`);
    expect(r.stdout).to.contain(
      'log-group/$252Fecs$252Fjenkins-agent-mgmt/log-events/kaniko$252Fkaniko$252F0123abcd',
    );
  });

  it('builds nothing, uploads nothing, for tags already in ECR', () => {
    const r = run(['v7', 'Dockerfile=transfer-service'], { existing: ['transfer-service'] });
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.contain('already in ECR');
    expect(r.calls.some((c) => c.startsWith('s3 ') || c.startsWith('ecs '))).to.equal(false);
  });

  it('fails with the exit code, the stopped reason, the log’s last lines and its link when Kaniko fails', () => {
    const r = run(['v7', 'Dockerfile=transfer-service'], { exitCode: 1 });
    expect(r.status).to.equal(1);
    expect(r.stderr).to.contain('exit code 1; Essential container in task exited');
    expect(r.stderr).to.contain('error building image: COPY failed');
    expect(r.stderr).to.contain(
      'https://eu-west-2.console.aws.amazon.com/cloudwatch/home?region=eu-west-2#logsV2:',
    );
    expect(r.stdout).to.not.contain('pushed');
  });

  it('stops a task that outlives its bound, and fails', () => {
    const r = run(['v7', 'Dockerfile=transfer-service'], {
      neverStops: true,
      env: { KANIKO_TIMEOUT_MINUTES: '0' },
    });
    expect(r.status).to.equal(1);
    expect(
      r.calls.some((c) => c.startsWith(`ecs stop-task --cluster ${naming.jenkinsCluster()} --task ${TASK}`)),
    ).to.equal(true);
    expect(r.stderr).to.contain('took over 0 minutes');
  });

  it('stops its task when the Jenkins build is aborted', () => {
    const r = run(['v7', 'Dockerfile=transfer-service'], { neverStops: true, abortWhileWaiting: true });
    expect(r.status).to.equal(143);
    expect(
      r.calls.some((c) => c.startsWith(`ecs stop-task --cluster ${naming.jenkinsCluster()} --task ${TASK}`)),
    ).to.equal(true);
    expect(r.stderr).to.contain('aborted; task 0123abcd stopped');
  });

  for (const [args, field] of [
    [['v7'], /usage: kaniko-build/],
    [['-v7', 'Dockerfile=r'], /TAG '-v7'/],
    [['v7', 'Dockerfile'], /'Dockerfile' is not DOCKERFILE=REPOSITORY/],
    [['v7', 'Dockerfile=Transfer'], /REPOSITORY 'Transfer'/],
    [['v7', '../Dockerfile=r'], /DOCKERFILE '..\/Dockerfile'/],
    [['v7', 'Dockerfile=r@"x"'], /TARGET '"x"'/],
    [['v7', ''], /IMAGES is empty/],
    [
      ['v7', Array.from({ length: 21 }, (_, i) => `Dockerfile=r${i}`).join(' ')],
      /21 images given; at most 20/,
    ],
  ] as const)
    it(`refuses ${JSON.stringify(args)} with exit 2 before any AWS call`, () => {
      const r = run([...args]);
      expect(r.status).to.equal(2);
      expect(r.stderr).to.match(field);
      expect(r.calls).to.deep.equal([]);
    });

  it('defaults to the names infra creates', () => {
    const text = readFileSync(SCRIPT, 'utf8');
    const defaults = Object.fromEntries(
      [...text.matchAll(/^(\w+)=\$\{(\w+):-([^}]*)\}$/gm)].map((m) => [m[2], m[3]]),
    );
    expect(defaults).to.deep.include({
      KANIKO_CLUSTER: naming.jenkinsCluster(),
      KANIKO_TASK_FAMILY: naming.jenkinsKanikoFamily(),
      KANIKO_CONTAINER: KANIKO.container,
      KANIKO_CONTEXT_BUCKET: naming.jenkinsKanikoContextBucket(),
      KANIKO_CONTEXT_PREFIX: KANIKO.contextPrefix,
      KANIKO_LOG_GROUP: naming.logGroup('jenkins-agent', 'mgmt'),
      KANIKO_LOG_PREFIX: KANIKO.logStreamPrefix,
      KANIKO_SUBNETS_PARAMETER: naming.jenkinsAgentSubnetsParameter(),
      KANIKO_SECURITY_GROUP_PARAMETER: naming.jenkinsAgentSecurityGroupParameter(),
      KANIKO_TIMEOUT_MINUTES: String(KANIKO.timeoutMinutes),
    });
  });
});
