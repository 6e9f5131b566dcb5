/**
 * The canary judge's real package: tsc with tsconfig.canary-judge.json (what `npm run
 * package:canary-judge` runs), the module closure zipped (pipelines/release/hook/package.ts), then
 * unzipped into a fresh folder and invoked there through the catalogue's handler string, as the
 * Lambda Node.js runtime would load it: only `@aws-sdk/*` from outside the package (the runtime
 * provides it; here it resolves from the repository's node_modules).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CloudWatchClient, GetMetricDataCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import { unzipSync } from 'fflate';
import { PLATFORM_FUNCTIONS } from '../services/platform-functions';
import { HANDLER_FILE, packageFunction, type FunctionPackage } from '../pipelines/release/hook/package';
import type { LifecycleHookAnswer, LifecycleHookEvent } from '../pipelines/release/hook/ecs-canary-hook';

const ROOT = join(__dirname, '..');

describe('the canary judge’s package, built by tsc, zipped, unzipped and invoked', function () {
  this.timeout(180_000);
  let work: string;
  let pkg: FunctionPackage;
  const cw = mockClient(CloudWatchClient);

  before(() => {
    mkdirSync(join(ROOT, 'test-output'), { recursive: true });
    work = mkdtempSync(join(ROOT, 'test-output', 'canary-judge-'));
    const tsc = join(ROOT, 'node_modules', '.bin', 'tsc');
    execFileSync(tsc, ['-p', join(ROOT, 'tsconfig.canary-judge.json'), '--outDir', join(work, 'build')], {
      stdio: 'inherit',
    });
    pkg = packageFunction(join(work, 'build'));
  });
  after(() => {
    cw.restore();
    rmSync(work, { recursive: true, force: true });
  });

  it('holds the hook, the judge and the CloudWatch reader, and takes only the AWS SDK from the runtime', () => {
    for (const f of [
      HANDLER_FILE,
      'pipelines/release/hook/ecs-canary-hook.js',
      'pipelines/release/judge/judge.js',
      'pipelines/release/aws/cloudwatch.js',
    ])
      expect(pkg.files).to.include(f);
    expect(pkg.files.every((f) => f.endsWith('.js'))).to.equal(true);
    expect(pkg.provided).to.include('@aws-sdk/client-cloudwatch');
    expect(pkg.provided.every((p) => p.startsWith('@aws-sdk/'))).to.equal(true);
    // tsc emitted more (type-only imports); the package carries only what loads.
    expect(pkg.files).to.not.include('services/validate.js');
  });

  it('unzipped, the catalogue’s handler answers ECS: FAILED on a bad hook configuration, SUCCEEDED on a passing canary', async () => {
    const unzipped = unzipSync(pkg.zip);
    const fn = join(work, 'function');
    for (const [f, bytes] of Object.entries(unzipped)) {
      mkdirSync(dirname(join(fn, f)), { recursive: true });
      writeFileSync(join(fn, f), bytes);
    }
    const entry = PLATFORM_FUNCTIONS['canary-judge'];
    if (entry?.kind !== 'lambda') throw new Error('canary-judge is a lambda of the catalogue');
    const [file, exported] = [entry.handler.replace(/\.[^.]+$/, ''), entry.handler.split('.').at(-1)!];
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loading the unzipped package as Lambda does
    const mod = require(join(fn, file)) as Record<
      string,
      (e: LifecycleHookEvent) => Promise<LifecycleHookAnswer>
    >;
    const handler = mod[exported]!;
    expect(await handler({ hookDetails: {} })).to.deep.equal({ hookStatus: 'FAILED' });

    const canaryGroup = 'targetgroup/frontend-alt-prod/1111111111111111';
    cw.on(GetMetricDataCommand).callsFake((input: { MetricDataQueries: MetricDataQuery[] }) => ({
      MetricDataResults: input.MetricDataQueries.map((q) => {
        const group = q.MetricStat!.Metric!.Dimensions!.find((d) => d.Name === 'TargetGroup')!.Value;
        const id = q.Id!;
        const values = id.endsWith('_requests')
          ? [group === canaryGroup ? 500 : 4500]
          : id.endsWith('_5xx')
            ? []
            : id.endsWith('_p95')
              ? [0.1]
              : [0, 0, 0];
        return { Id: id, Values: values, StatusCode: 'Complete' };
      }),
    }));
    const target =
      'arn:aws:ecs:eu-west-2:444444444444:service-revision/frontend_prod/frontend_service_prod/2';
    const started = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000).toISOString();
    const answer = await handler({
      serviceArn: 'arn:aws:ecs:eu-west-2:444444444444:service/frontend_prod/frontend_service_prod',
      targetServiceRevisionArn: target,
      productionTrafficWeights: { [target]: 10, other: 90 },
      hookDetails: {
        service: 'frontend',
        loadBalancer: 'app/tdr-prod/0123456789abcdef',
        targetGroups: ['targetgroup/frontend-tg-prod/2222222222222222', canaryGroup],
        windowMinutes: 5,
        minRequests: 100,
        startedAt: started,
      },
    });
    expect(answer).to.deep.equal({ hookStatus: 'SUCCEEDED' });
    expect(cw.commandCalls(GetMetricDataCommand)).to.have.length(1);
  });
});
