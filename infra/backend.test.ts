/**
 * The serverless backend as the stacks declare it (offline synth under Pulumi's mocks): every
 * catalogue function with its role, log group, dead-letter queue, `live` alias and triggers, the
 * state machines with logging and tracing, and mgmt's code bucket with its per-account grants.
 */
import { expect } from 'chai';
import { loadPlatform } from '../services/config';
import { naming } from '../services/naming';
import { functions, needsDeadLetterQueue, stateMachines } from '../services/queries';
import type { RecordedResource } from './policies/evaluate';
import { statementsOf } from './policies/rules';
import { synthStacks, type SynthResult } from './synth';

type Inputs = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('serverless backend (offline synth)', function () {
  this.timeout(60_000);
  const platform = loadPlatform({});
  const stacks = new Map<string, SynthResult>();
  const ofType = (env: string, type: string): RecordedResource[] =>
    stacks.get(env)!.records.filter((r) => r.type === type);
  const inputs = (env: string, type: string, name: string): Inputs => {
    const r = ofType(env, type).find((x) => x.name === name);
    if (!r) throw new Error(`${env} has no ${type} ${name}`);
    return r.inputs as Inputs;
  };

  before(async () => {
    for (const r of await synthStacks(['mgmt', 'intg', 'prod'], { platform }))
      stacks.set(r.manifest.stack, r);
  });

  it('passes every policy with the functions in', () => {
    for (const [env, r] of stacks) expect(r.manifest.policies.violations, env).to.deep.equal([]);
  });

  it('declares every catalogue function with its size per environment, at v1, with a live alias that releases own', () => {
    for (const env of ['intg', 'prod'] as const) {
      const declared = ofType(env, 'aws:lambda/function:Function');
      expect(declared.map((f) => f.inputs.name)).to.have.members(
        functions(platform.catalogue).map(([n]) => naming.functionName(n, env)),
      );
      for (const [name, entry] of functions(platform.catalogue)) {
        const f = inputs(env, 'aws:lambda/function:Function', `${name}-function`);
        expect(f, `${env} ${name}`).to.deep.include({
          runtime: entry.runtime,
          handler: entry.handler,
          memorySize: entry.memory[env],
          timeout: entry.timeoutSeconds[env],
          s3Bucket: 'tdr-backend-code-mgmt',
          publish: true,
        });
        expect(f.s3Key).to.match(new RegExp(`^${name}/v1/[^/]+\\.(jar|zip)$`));
        expect(f.loggingConfig.logGroup).to.equal(naming.functionLogGroup(name, env));
        expect(Boolean(f.vpcConfig), `${name} in the VPC`).to.equal(entry.network.vpc);
        if (entry.reservedConcurrency !== null)
          expect(f.reservedConcurrentExecutions).to.equal(entry.reservedConcurrency);
        const alias = ofType(env, 'aws:lambda/alias:Alias').find((a) => a.name === `${name}-live`)!;
        expect(alias.inputs.name).to.equal('live');
        expect(alias.ignoreChanges).to.include('functionVersion');
      }
    }
  });

  it('gives a dead-letter queue to exactly the functions with an SQS trigger or asynchronous invocations', () => {
    const queues = ofType('intg', 'aws:sqs/queue:Queue').map((q) => q.inputs.name as string);
    for (const [name, entry] of functions(platform.catalogue))
      expect(queues.includes(naming.functionDeadLetterQueue(name, 'intg')), name).to.equal(
        needsDeadLetterQueue(entry),
      );
    const notifications = inputs(
      'intg',
      'aws:sqs/queue:Queue',
      'notifications-triggers-tdr-notifications-intg',
    );
    expect(JSON.parse(notifications.redrivePolicy)).to.deep.equal({
      deadLetterTargetArn: 'arn:aws:sqs:eu-west-2:222222222222:tdr-notifications-dlq-intg',
      maxReceiveCount: 3,
    });
    expect(notifications.visibilityTimeoutSeconds).to.equal(6 * 30);
    const mapping = ofType('intg', 'aws:lambda/eventSourceMapping:EventSourceMapping')[0]!.inputs;
    expect(mapping.functionName).to.equal(
      'arn:aws:lambda:eu-west-2:222222222222:function:tdr-notifications-intg:live',
    );
  });

  it('triggers the live alias from S3 (after the invoke permission) and EventBridge', () => {
    const notification = inputs(
      'intg',
      'aws:s3/bucketNotification:BucketNotification',
      'upload-files-quarantine-events-notification',
    );
    expect(notification.lambdaFunctions).to.deep.equal([
      {
        lambdaFunctionArn: 'arn:aws:lambda:eu-west-2:222222222222:function:tdr-notifications-intg:live',
        events: ['s3:ObjectCreated:*'],
      },
    ]);
    const rule = inputs(
      'intg',
      'aws:cloudwatch/eventRule:EventRule',
      'reporting-triggers-tdr-reporting-schedule-intg',
    );
    expect(rule.scheduleExpression).to.equal('cron(0 7 ? * MON *)');
    const config = inputs(
      'intg',
      'aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig',
      'reporting-async',
    );
    expect(config.destinationConfig.onFailure.destination).to.equal(
      'arn:aws:sqs:eu-west-2:222222222222:tdr-reporting-dlq-intg',
    );
  });

  it('gives each function a role with only its own log group, buckets and parameters', () => {
    const policy = inputs('intg', 'aws:iam/rolePolicy:RolePolicy', 'antivirus-role-policy');
    const byId = Object.fromEntries(statementsOf(policy.policy).map((s) => [s.Sid, s]));
    expect(byId.ReadBuckets?.Resource).to.deep.equal([
      'arn:aws:s3:::tdr-upload-files-cloudfront-dirty-intg/*',
    ]);
    expect(byId.WriteBuckets?.Resource).to.deep.equal([
      'arn:aws:s3:::tdr-upload-files-intg/*',
      'arn:aws:s3:::tdr-upload-files-quarantine-intg/*',
    ]);
    expect(byId.ReadParameters).to.equal(undefined);
    expect(byId.AttachToVpc).to.equal(undefined);
  });

  it('lets the database admit the functions that connect to it', () => {
    const ingress = ofType('intg', 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule').filter((r) =>
      r.name.startsWith('consignmentapi-db'),
    );
    expect(ingress.map((r) => r.inputs.referencedSecurityGroupId)).to.include(
      'lambda-outbound-with-db-sg-id',
    );
    expect(ingress.map((r) => r.inputs.referencedSecurityGroupId)).to.not.include('lambda-outbound-sg-id');
  });

  it('declares each state machine with its generated definition, logging ALL and tracing on', () => {
    for (const [, entry] of stateMachines(platform.catalogue)) {
      const machine = ofType('prod', 'aws:sfn/stateMachine:StateMachine').find(
        (m) => m.inputs.name === naming.stateMachine(entry.pascalName, 'prod'),
      )!.inputs as Inputs;
      expect(machine.loggingConfiguration.level).to.equal('ALL');
      expect(machine.tracingConfiguration).to.deep.equal({ enabled: true });
      const def = JSON.parse(machine.definition);
      expect(def.TimeoutSeconds).to.equal(entry.timeoutSeconds);
    }
    const role = inputs('prod', 'aws:iam/rolePolicy:RolePolicy', 'backend-checks-role-policy');
    const invoke = statementsOf(role.policy).find((s) => s.Sid === 'InvokeFunctions');
    expect(invoke?.Resource).to.have.members(
      ['download-files', 'antivirus', 'checksum', 'file-format', 'api-update'].map(
        (f) => `arn:aws:lambda:eu-west-2:444444444444:function:tdr-${f}-prod:live`,
      ),
    );
  });

  it('alarms on every function’s errors, every dead-letter queue and every state machine’s failed executions', () => {
    const alarms = ofType('intg', 'aws:cloudwatch/metricAlarm:MetricAlarm').map((a) => a.inputs as Inputs);
    const byName = new Map(alarms.map((a) => [a.name as string, a]));
    for (const [name, entry] of functions(platform.catalogue)) {
      expect(byName.get(naming.alarm(name, 'intg', 'errors'))?.dimensions).to.deep.equal({
        FunctionName: naming.functionName(name, 'intg'),
      });
      expect(byName.has(naming.alarm(name, 'intg', 'dlq-messages')), name).to.equal(
        needsDeadLetterQueue(entry),
      );
    }
    const failed = byName.get(naming.alarm('backend-checks', 'intg', 'executions-failed'))!;
    expect(failed).to.deep.include({
      namespace: 'AWS/States',
      metricName: 'ExecutionsFailed',
      statistic: 'Sum',
    });
    expect(failed.dimensions).to.deep.equal({
      StateMachineArn: 'arn:aws:states:eu-west-2:222222222222:stateMachine:TDRBackendChecksIntg',
    });
    expect(failed.alarmActions).to.deep.equal([
      `arn:aws:sns:eu-west-2:222222222222:${naming.notificationsTopic('intg')}`,
    ]);
  });

  it('mgmt: the code bucket, versioned, where each workload account reads only its functions’ prefixes', () => {
    const bucket = inputs('mgmt', 'aws:s3/bucket:Bucket', 'backend-code-bucket');
    expect(bucket.bucket).to.equal('tdr-backend-code-mgmt');
    expect(
      inputs('mgmt', 'aws:s3/bucketVersioning:BucketVersioning', 'backend-code-versioning')
        .versioningConfiguration,
    ).to.deep.equal({ status: 'Enabled' });
    const policy = statementsOf(
      inputs('mgmt', 'aws:s3/bucketPolicy:BucketPolicy', 'backend-code-policy').policy,
    );
    const prod = policy.find((s) => s.Sid === 'ProdReadsItsFunctions')!;
    // prod's account, narrowed to its two roles: the roles do not exist when mgmt is stood up.
    expect(prod.Principal).to.deep.equal({ AWS: 'arn:aws:iam::444444444444:root' });
    expect(prod.Condition).to.deep.equal({
      ArnEquals: {
        'aws:PrincipalArn': [
          'arn:aws:iam::444444444444:role/TDRJenkinsECSUpdateRoleProd',
          'arn:aws:iam::444444444444:role/TDRPulumiDeployRoleProd',
        ],
      },
    });
    expect(prod.Resource).to.have.length(functions(platform.catalogue).length);
    expect(prod.Resource).to.include('arn:aws:s3:::tdr-backend-code-mgmt/checksum/*');
    expect(prod.Action).to.deep.equal(['s3:GetObject', 's3:GetObjectVersion']);
  });

  it('lets the release role update code, publish and move the alias of this environment’s functions only', () => {
    const policy = statementsOf(
      inputs('prod', 'aws:iam/rolePolicy:RolePolicy', 'jenkins-ecs-update-role-policy').policy,
    );
    const release = policy.find((s) => s.Sid === 'ReleaseFunctions')!;
    expect(release.Action).to.include.members([
      'lambda:UpdateFunctionCode',
      'lambda:PublishVersion',
      'lambda:UpdateAlias',
    ]);
    for (const r of release.Resource as string[])
      expect(r).to.match(/^arn:aws:lambda:eu-west-2:444444444444:function:tdr-[a-z-]+-prod(:\*)?$/);
  });
});
