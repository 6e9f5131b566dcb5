/**
 * The five stacks run under Pulumi's mock engine (no CLI, no cloud); these tests read what each
 * program declared. Every stack is synthesized once, up front, and shared (./synth.test-helper.ts);
 * the metrics and ARNs, and the bootstrap and entry points, are in ./synth-metrics.test.ts and
 * ./synth-bootstrap.test.ts.
 */
import { join } from 'node:path';
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { expect } from 'chai';
import { buildPlatform, type Platform } from '../services/config';
import { DEFAULT_CATALOGUE } from '../services/catalogue';
import { ecsEntries, ecsServices } from '../services/queries';
import { DEFAULT_ENVIRONMENTS, ENVIRONMENT_NAMES } from '../services/environments';
import { naming } from '../services/naming';
import { SERVICE_ALARM_LIST } from '../services/thresholds';
import { expectGolden } from '../test/support/golden';
import { redact, renderManifest, synthStack, ALL_STACKS } from './synth';
import {
  ofType,
  one,
  resourcesOf,
  sharedPlatform,
  stack,
  statements,
  synthesizeAll,
  type Inputs,
} from './synth.test-helper';

/** The host rules on the public HTTPS listener (not the test listener's). */
const productionRules = (env: 'intg' | 'staging' | 'prod') =>
  ofType(env, 'aws:lb/listenerRule:ListenerRule').filter((r) => !r.name.endsWith('-test-rule'));

describe('infrastructure (offline synth under Pulumi mocks)', function () {
  this.timeout(60_000);

  let platform: Platform;
  before(async () => {
    await synthesizeAll();
    platform = sharedPlatform();
  });

  describe('golden manifests (refresh with UPDATE_GOLDEN=1)', () => {
    for (const name of ALL_STACKS) {
      it(`${name} matches testdata/infra/${name}.json`, () => {
        expectGolden(
          join(__dirname, '..', 'testdata', 'infra', `${name}.json`),
          renderManifest(stack(name).manifest),
        );
      });
    }
  });

  it('all six stacks (the bootstrap and the five accounts) pass every policy', () => {
    for (const name of ALL_STACKS) {
      expect(stack(name).manifest.policies.violations, name).to.deep.equal([]);
      expect(stack(name).manifest.resources.length, name).to.be.greaterThan(20);
    }
  });

  it('prod database is Multi-AZ with deletion protection', () => {
    const dbs = ofType('prod', 'aws:rds/instance:Instance');
    expect(dbs.map((d) => d.inputs.identifier)).to.deep.equal([
      naming.databaseIdentifier('consignmentapi', 'prod'),
      naming.databaseIdentifier('keycloak', 'prod'),
    ]);
    for (const db of dbs) {
      expect(db.inputs).to.include({ multiAz: true, deletionProtection: true, backupRetentionPeriod: 30 });
      expect(db.inputs).to.include({
        storageEncrypted: true,
        publiclyAccessible: false,
        manageMasterUserPassword: true,
      });
      expect(db.inputs).not.to.have.property('password');
      expect(db.protect).to.equal(true);
    }
  });

  it('intg and staging databases keep 7 days of backups, single-AZ', () => {
    for (const env of ['intg', 'staging'] as const) {
      for (const db of ofType(env, 'aws:rds/instance:Instance')) {
        expect(db.inputs).to.include({ multiAz: false, backupRetentionPeriod: 7, deletionProtection: false });
      }
    }
  });

  it('the intg update role cannot touch staging services', () => {
    const policy = one('intg', 'aws:iam/rolePolicy:RolePolicy', 'jenkins-ecs-update-role-policy').policy;
    const arns = resourcesOf(policy).filter((a) => a !== '*');
    expect(arns.length).to.be.greaterThan(10);
    for (const arn of arns) {
      // Its own account's services, tasks, roles, functions and load balancer; the function packages in mgmt.
      expect(arn, arn).to.match(
        /^arn:aws:((ecs|iam|lambda|elasticloadbalancing):(eu-west-2)?:222222222222:|s3:::tdr-backend-code-mgmt\/)/,
      );
      expect(arn, arn).not.to.match(/staging|prod|Staging|Prod/);
    }
    const deploy = statements(policy).find((s) => s.Sid === 'DeployServices');
    expect(deploy?.Resource).to.include(
      'arn:aws:ecs:eu-west-2:222222222222:service/frontend_intg/frontend_service_intg',
    );
  });

  it('the update role trusts only the node role of its own environment in mgmt', () => {
    for (const env of ['intg', 'staging', 'prod'] as const) {
      const role = one(env, 'aws:iam/role:Role', 'jenkins-ecs-update-role');
      expect(role.name).to.equal(naming.jenkinsEcsUpdateRole(env));
      expect(statements(role.assumeRolePolicy).map((s) => s.Principal)).to.deep.equal([
        { AWS: [`arn:aws:iam::123456789012:role/${naming.jenkinsNodeRole(env)}`] },
      ]);
    }
  });

  it('the update role passes only task and execution roles, and only to ECS tasks', () => {
    const policy = one('staging', 'aws:iam/rolePolicy:RolePolicy', 'jenkins-ecs-update-role-policy').policy;
    const pass = statements(policy).find((s) => s.Sid === 'PassOnlyTaskRoles');
    expect(pass?.Condition).to.deep.equal({
      StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' },
    });
    expect(pass?.Resource).to.have.length(2 * ecsEntries(DEFAULT_CATALOGUE).length);
    for (const arn of pass?.Resource as string[])
      expect(arn).to.match(/^arn:aws:iam::333333333333:role\/TDR\w+Ecs(Task|Execution)RoleStaging$/);
  });

  it('each Jenkins node role may assume only its own environment update role', () => {
    for (const env of ['intg', 'staging', 'prod'] as const) {
      const policy = one('mgmt', 'aws:iam/rolePolicy:RolePolicy', `jenkins-node-${env}-policy`).policy;
      const assume = statements(policy).filter((s) =>
        ([] as unknown[]).concat(s.Action).includes('sts:AssumeRole'),
      );
      const account = { intg: '222222222222', staging: '333333333333', prod: '444444444444' }[env];
      expect(assume.map((s) => s.Resource)).to.deep.equal([
        `arn:aws:iam::${account}:role/${naming.jenkinsEcsUpdateRole(env)}`,
      ]);
    }
  });

  it('declares no Jenkins agent task definition: the controller’s ECS cloud registers one per template', () => {
    // The amazon-ecs plugin registers `{cloud}-{template}` itself (ECSService#registerTemplate);
    // a stack-declared one would be a second, unused definition (issue 23). Kaniko's task is no
    // agent: the build agent starts it (infra/accounts/mgmt-kaniko.ts).
    const families = ofType('mgmt', 'aws:ecs/taskDefinition:TaskDefinition').map(
      (t) => (t.inputs as Inputs).family as string,
    );
    expect(families).to.have.members([naming.taskFamily('jenkins', 'mgmt'), naming.jenkinsKanikoFamily()]);
  });

  it('no task has a public IP, and every service runs in the private subnets', () => {
    for (const env of ['mgmt', 'intg', 'staging', 'prod'] as const) {
      const services = ofType(env, 'aws:ecs/service:Service');
      expect(services.length, env).to.be.greaterThan(0);
      for (const s of services) {
        const net = (s.inputs as Inputs).networkConfiguration;
        expect(net.assignPublicIp, `${env} ${s.name}`).to.equal(false);
        for (const subnet of net.subnets) expect(subnet).to.match(/^network-private-\d-id$/);
      }
    }
  });

  it('each service admits only the load balancer, on the catalogue ports', () => {
    const lbGroup = 'public-sg-id';
    for (const [name, entry] of Object.entries(DEFAULT_CATALOGUE)) {
      if (entry.kind !== 'service') continue;
      const rules = ofType('intg', 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule').filter(
        (r) => r.inputs.securityGroupId === `${name}-sg-id`,
      );
      expect(rules.map((r) => r.inputs.fromPort).sort()).to.deep.equal(
        [...new Set([entry.containerPort, entry.healthCheck.port])].sort(),
      );
      for (const r of rules) {
        expect(r.inputs.referencedSecurityGroupId).to.equal(lbGroup);
        expect(r.inputs).not.to.have.property('cidrIpv4');
      }
    }
  });

  it('target groups check the catalogue health path, matcher and port', () => {
    const keycloak = one('staging', 'aws:lb/targetGroup:TargetGroup', 'keycloak-tg');
    expect(keycloak.name).to.equal(naming.targetGroup('keycloak', 'staging'));
    expect(keycloak.port).to.equal(8080);
    expect(keycloak.healthCheck).to.include({ path: '/health', matcher: '200,303', port: '9000' });
    const frontend = one('staging', 'aws:lb/targetGroup:TargetGroup', 'frontend-tg');
    expect(frontend.healthCheck).to.include({ path: '/', matcher: '308', port: '9000' });
  });

  it('task sizes come from the catalogue per environment, sidecars inside the task size', () => {
    const intg = one('intg', 'aws:ecs/taskDefinition:TaskDefinition', 'keycloak-task');
    const prod = one('prod', 'aws:ecs/taskDefinition:TaskDefinition', 'keycloak-task');
    expect([intg.cpu, intg.memory, prod.cpu, prod.memory]).to.deep.equal(['2048', '4096', '1024', '3072']);
    const frontend = one('prod', 'aws:ecs/taskDefinition:TaskDefinition', 'frontend-task');
    const containers = JSON.parse(frontend.containerDefinitions) as Array<{
      name: string;
      cpu: number;
      image: string;
    }>;
    expect(containers.map((c) => [c.name, c.cpu])).to.deep.equal([
      ['frontend', 768],
      ['aws-otel-collector', 256],
    ]);
    expect(containers[0]?.image).to.equal(
      '123456789012.dkr.ecr.eu-west-2.amazonaws.com/transfer-frontend:initial',
    );
    expect(frontend.family).to.equal(naming.taskFamily('frontend', 'prod'));
  });

  it('prod spans three zones with a NAT gateway each; intg two zones and one NAT', () => {
    expect(ofType('prod', 'aws:ec2/subnet:Subnet').map((s) => s.inputs.availabilityZone)).to.have.members([
      'eu-west-2a',
      'eu-west-2b',
      'eu-west-2c',
      'eu-west-2a',
      'eu-west-2b',
      'eu-west-2c',
    ]);
    expect(ofType('prod', 'aws:ec2/natGateway:NatGateway')).to.have.length(3);
    expect(ofType('intg', 'aws:ec2/subnet:Subnet')).to.have.length(4);
    expect(ofType('intg', 'aws:ec2/natGateway:NatGateway')).to.have.length(1);
    expect(one('intg', 'aws:ec2/flowLog:FlowLog', 'network-flow-log')).to.include({
      trafficType: 'ALL',
      vpcId: 'network-vpc-id',
    });
  });

  it('prod scales on CPU between the desired count and three times it', () => {
    const targets = ofType('prod', 'aws:appautoscaling/target:Target');
    expect(
      targets.map((t) => [t.inputs.resourceId, t.inputs.minCapacity, t.inputs.maxCapacity]),
    ).to.deep.include(['service/frontend_prod/frontend_service_prod', 2, 6]);
    expect(ofType('intg', 'aws:appautoscaling/target:Target')).to.deep.equal([]);
  });

  it('every service has the four alarms, to the environment topic', () => {
    const alarms = ofType('staging', 'aws:cloudwatch/metricAlarm:MetricAlarm').filter(
      (a) => a.parent?.includes('tdr:monitoring:ServiceAlarms') ?? false,
    );
    expect(alarms).to.have.length(ecsServices(platform.catalogue).length * SERVICE_ALARM_LIST.length);
    const cpu = one('staging', 'aws:cloudwatch/metricAlarm:MetricAlarm', 'consignmentapi-alarms-cpu-high');
    expect(cpu).to.include({
      name: naming.alarm('consignmentapi', 'staging', 'cpu-high'),
      threshold: 80,
      comparisonOperator: 'GreaterThanThreshold',
    });
    expect(cpu.alarmActions).to.deep.equal([
      `arn:aws:sns:eu-west-2:333333333333:${naming.notificationsTopic('staging')}`,
    ]);
    expect(
      one('staging', 'aws:cloudwatch/metricAlarm:MetricAlarm', 'consignmentapi-alarms-target-5xx').threshold,
    ).to.equal(50);
    // Running minus desired, so the alarm follows autoscaling instead of a fixed count.
    const running = one(
      'staging',
      'aws:cloudwatch/metricAlarm:MetricAlarm',
      'consignmentapi-alarms-running-below-desired',
    );
    expect(running).to.include({ threshold: 0, comparisonOperator: 'LessThanThreshold' });
    expect(
      (running.metricQueries as Array<{ expression?: string }>).map((q) => q.expression).filter(Boolean),
    ).to.deep.equal(['FILL(m, 0) - FILL(minus, REPEAT)']);
    // The names the dashboards' Alarms panels look for.
    expect(alarms.map((a) => (a.inputs as Inputs).name)).to.include.members(
      SERVICE_ALARM_LIST.map((a) => naming.alarm('consignmentapi', 'staging', a.key)),
    );
  });

  it('the load balancer serves modern TLS, redirects HTTP, drops invalid headers and logs access', () => {
    const listeners = ofType('prod', 'aws:lb/listener:Listener').map((l) => l.inputs as Inputs);
    expect(listeners.find((l) => l.protocol === 'HTTPS')?.sslPolicy).to.equal(
      'ELBSecurityPolicy-TLS13-1-2-2021-06',
    );
    expect(listeners.find((l) => l.protocol === 'HTTP')?.defaultActions[0].redirect).to.include({
      protocol: 'HTTPS',
      statusCode: 'HTTP_301',
    });
    expect(one('prod', 'aws:lb/loadBalancer:LoadBalancer', 'public-alb')).to.deep.include({
      name: naming.loadBalancer('prod'),
      dropInvalidHeaderFields: true,
      accessLogs: { bucket: naming.bucket('alb-logs', 'prod'), enabled: true },
    });
    expect(
      productionRules('prod').map((r) => (r.inputs as Inputs).conditions[0].hostHeader.values[0]),
    ).to.deep.equal(
      ecsServices(platform.catalogue).map(([, e]) =>
        naming.hostname(e.hostnamePrefix, DEFAULT_ENVIRONMENTS.prod.domain ?? ''),
      ),
    );
    expect(productionRules('prod')[0]?.inputs).to.nested.include({
      'conditions[0].hostHeader.values[0]': 'app.tdr.nationalarchives.gov.uk',
    });
  });

  it('the four buckets of DESIGN.md exist in each workload account; the export bucket grants the preservation role and notifies it', () => {
    const names = ofType('intg', 'aws:s3/bucket:Bucket').map((b) => b.inputs.bucket);
    expect(names).to.include.members([
      'tdr-upload-files-cloudfront-dirty-intg',
      'tdr-upload-files-intg',
      'tdr-upload-files-quarantine-intg',
      'tdr-consignment-export-intg',
    ]);
    const policy = one('intg', 'aws:s3/bucketPolicy:BucketPolicy', 'consignment-export-policy').policy;
    const read = statements(policy).find((s) => s.Sid === 'PreservationReadsExports');
    expect(read?.Principal).to.deep.equal({
      AWS: 'arn:aws:iam::555555555555:role/PreservationExportReaderIntg',
    });
    const notification = one(
      'intg',
      'aws:s3/bucketNotification:BucketNotification',
      'consignment-export-notification',
    );
    expect(notification.topics[0]).to.deep.include({ events: ['s3:ObjectCreated:*'] });
  });

  it('ECR in mgmt: one repository per catalogue image, immutable, last 100 kept, pull by workload execution roles', () => {
    const repos = ofType('mgmt', 'aws:ecr/repository:Repository');
    expect(repos.map((r) => r.inputs.name)).to.have.members(
      ecsEntries(DEFAULT_CATALOGUE).map(([, e]) => e.imageRepository),
    );
    for (const r of repos)
      expect(r.inputs).to.deep.include({
        imageTagMutability: 'IMMUTABLE',
        imageScanningConfiguration: { scanOnPush: true },
      });
    const lifecycle = JSON.parse(
      one('mgmt', 'aws:ecr/lifecyclePolicy:LifecyclePolicy', 'ecr-consignment-api-lifecycle').policy,
    );
    expect(lifecycle.rules[0].selection).to.include({ countType: 'imageCountMoreThan', countNumber: 100 });
    const pull = statements(
      one('mgmt', 'aws:ecr/repositoryPolicy:RepositoryPolicy', 'ecr-consignment-api-policy').policy,
    )[0];
    expect(pull?.Condition?.ArnEquals?.['aws:PrincipalArn']).to.deep.equal([
      'arn:aws:iam::222222222222:role/TDRConsignmentApiEcsExecutionRoleIntg',
      'arn:aws:iam::333333333333:role/TDRConsignmentApiEcsExecutionRoleStaging',
      'arn:aws:iam::444444444444:role/TDRConsignmentApiEcsExecutionRoleProd',
    ]);
  });

  it('the release ledger is versioned, object-locked in governance mode, and TLS-only', () => {
    expect(one('mgmt', 'aws:s3/bucket:Bucket', 'release-ledger-bucket')).to.include({
      bucket: naming.ledgerBucket(),
      objectLockEnabled: true,
    });
    expect(
      one(
        'mgmt',
        'aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration',
        'release-ledger-object-lock',
      ).rule.defaultRetention.mode,
    ).to.equal('GOVERNANCE');
    expect(
      one('mgmt', 'aws:s3/bucketVersioning:BucketVersioning', 'release-ledger-versioning')
        .versioningConfiguration.status,
    ).to.equal('Enabled');
  });

  it('Jenkins keeps its home on encrypted EFS and is reachable only from the allowlist and its own agents', () => {
    const open = ofType('mgmt', 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule').filter(
      (r) => r.inputs.cidrIpv4 !== undefined,
    );
    expect(open.map((r) => r.inputs.cidrIpv4)).to.have.members([
      '192.0.2.0/24',
      '198.51.100.10/32',
      '192.0.2.0/24',
      '198.51.100.10/32',
      // The agents, through mgmt's one NAT gateway, on 443 only (infra/accounts/mgmt-jenkins.test.ts).
      'mock-network-nat-0-eip-publicIp/32',
    ]);
    expect(one('mgmt', 'aws:efs/fileSystem:FileSystem', 'jenkins-home')).to.include({ encrypted: true });
    const task = one('mgmt', 'aws:ecs/taskDefinition:TaskDefinition', 'jenkins-task');
    expect(task.volumes[0].efsVolumeConfiguration).to.include({ transitEncryption: 'ENABLED' });
    expect(one('mgmt', 'aws:ecs/service:Service', 'jenkins-service')).to.include({
      deploymentMaximumPercent: 100,
      deploymentMinimumHealthyPercent: 0,
    });
  });

  it('Grafana may assume only the three monitoring roles, which read CloudWatch and Logs only', () => {
    const policy = one('mgmt', 'aws:iam/rolePolicy:RolePolicy', 'grafana-workspace-role-policy').policy;
    expect(statements(policy)[0]?.Resource).to.deep.equal([
      'arn:aws:iam::222222222222:role/TDRGrafanaMonitoringRoleIntg',
      'arn:aws:iam::333333333333:role/TDRGrafanaMonitoringRoleStaging',
      'arn:aws:iam::444444444444:role/TDRGrafanaMonitoringRoleProd',
    ]);
    // Customer-managed permissions: mgmt's own datasource reads CloudWatch with the workspace role.
    expect(statements(policy).map((s) => s.Sid)).to.include.members(['ReadMgmtMetrics', 'ReadMgmtAlarms']);
    const monitoring = one('prod', 'aws:iam/rolePolicy:RolePolicy', 'grafana-monitoring-role-policy').policy;
    const actions = statements(monitoring).flatMap((s) => ([] as unknown[]).concat(s.Action).map(String));
    for (const a of actions)
      expect(a).to.match(/^(cloudwatch|logs):(Get|List|Describe|StartQuery|StopQuery|FilterLogEvents)/);
  });

  it('every sbox resource is tagged with an expiry date, and sbox has a scratch repository and no services', () => {
    const provider = stack('sbox').records.find((r) => r.type === 'pulumi:providers:aws');
    expect(JSON.parse(String(provider?.inputs.defaultTags)).tags).to.include({
      Environment: 'sbox',
      Expiry: '2027-03-31',
    });
    const checked = stack('sbox').manifest.policies.results.find(
      (p) => p.policy === 'sandbox-resources-expire',
    );
    expect(checked?.checked).to.equal(
      stack('sbox').records.filter((r) => r.custom && r.type.startsWith('aws:')).length,
    );
    expect(ofType('sbox', 'aws:ecr/repository:Repository').map((r) => r.inputs.name)).to.deep.equal([
      'tdr-scratch',
    ]);
    expect(ofType('sbox', 'aws:ecs/service:Service')).to.deep.equal([]);
  });

  it('every resource hangs under a component with the account provider; components follow tdr:<area>:<Name>', () => {
    for (const name of ENVIRONMENT_NAMES) {
      const { records } = stack(name);
      const providers = records.filter((r) => r.type === 'pulumi:providers:aws');
      expect(providers.map((p) => p.name)).to.deep.equal([`${name}-account`]);
      for (const r of records.filter((x) => x.custom && x.type.startsWith('aws:'))) {
        expect(r.provider, r.name).to.match(new RegExp(`::${name}-account::`));
        expect(r.parent, r.name).to.match(/tdr:/);
      }
      for (const c of records.filter((x) => !x.custom && x.type !== 'pulumi:pulumi:Stack'))
        expect(c.type).to.match(/^tdr:[a-z]+:[A-Z][A-Za-z]+$/);
    }
  });

  it('the policies catch a deliberately broken stack', async () => {
    const broken = await synthStack('prod', {
      platform,
      extend: () => {
        new aws.s3.Bucket('broken-bucket', { bucket: 'tdr-broken-prod' });
        const sg = new aws.ec2.SecurityGroup('broken-sg', { vpcId: 'vpc-x' });
        new aws.vpc.SecurityGroupIngressRule('broken-ssh', {
          securityGroupId: sg.id,
          cidrIpv4: '0.0.0.0/0',
          ipProtocol: 'tcp',
          fromPort: 22,
          toPort: 22,
        });
        new aws.ecs.Service('broken-service', {
          name: 'broken',
          networkConfiguration: { subnets: ['s'], assignPublicIp: true },
        });
        new aws.iam.RolePolicy('broken-policy', {
          role: 'r',
          policy: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
          }),
        });
        new aws.rds.Instance('broken-db', {
          instanceClass: 'db.t4g.small',
          engine: 'postgres',
          tags: { Environment: 'prod' },
          backupRetentionPeriod: 1,
        });
        new aws.cloudwatch.LogGroup('broken-logs', { name: 'forever' });
      },
    });
    const found = broken.manifest.policies.violations.map((v) => `${v.policy} ${v.resource?.name ?? ''}`);
    expect(found).to.include.members([
      's3-bucket-encrypted broken-bucket',
      's3-bucket-public-access-blocked broken-bucket',
      's3-bucket-tls-only broken-bucket',
      's3-bucket-versioned broken-bucket',
      's3-bucket-lifecycle broken-bucket',
      'no-public-ingress-except-load-balancer broken-ssh',
      'ecs-no-public-ip broken-service',
      'ecs-circuit-breaker-rollback broken-service',
      'ecs-ignores-release-owned-properties broken-service',
      'iam-no-wildcard-actions broken-policy',
      'iam-no-wildcard-resources broken-policy',
      'rds-encrypted-private broken-db',
      'rds-prod-resilience broken-db',
      'log-retention-set broken-logs',
    ]);
    // Nothing of the real stack is among them.
    expect(broken.manifest.policies.violations.every((v) => v.resource?.name.startsWith('broken-'))).to.equal(
      true,
    );
  });

  it('secrets are redacted from the manifest', async () => {
    const webhook = 'https://hooks.slack.com/services/T0000/B0000/not-a-real-token';
    const r = await synthStack('sbox', {
      platform,
      extend: () => {
        new aws.ssm.Parameter('slack-webhook', {
          name: '/sbox/slack/webhook',
          type: 'SecureString',
          value: pulumi.secret(webhook),
        });
      },
    });
    const param = r.manifest.resources.find((x) => x.name === 'slack-webhook');
    expect(param?.inputs.value).to.equal('[secret]');
    expect(renderManifest(r.manifest)).not.to.contain('hooks.slack.com');
    expect(
      redact({ a: [{ [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value: 'x' }] }),
    ).to.deep.equal({ a: ['[secret]'] });
  });

  it('stacks run one after another in one process without leaking state: concurrent calls queue and a second run is identical', async () => {
    // Started together on purpose: synth queues them, as Pulumi's runtime is one per process.
    const [sbox, again] = await Promise.all([
      synthStack('sbox', { platform }),
      synthStack('intg', { platform }),
    ]);
    expect(renderManifest(again.manifest)).to.equal(renderManifest(stack('intg').manifest));
    expect(renderManifest(sbox.manifest)).to.equal(renderManifest(stack('sbox').manifest));
  });

  it('a new catalogue entry brings its service, alarms and deploy permission with it', async () => {
    const transfer = DEFAULT_CATALOGUE.transferservice;
    if (transfer?.kind !== 'service') throw new Error('catalogue changed');
    const bigger = buildPlatform({
      environments: DEFAULT_ENVIRONMENTS,
      catalogue: {
        ...DEFAULT_CATALOGUE,
        reports: {
          ...transfer,
          pascalName: 'Reports',
          hostnamePrefix: 'reports',
          imageRepository: 'reports',
        },
      },
    });
    const r = await synthStack('intg', { platform: bigger });
    const names = r.records.map((x) => `${x.type}::${x.name}`);
    expect(names).to.include.members([
      'tdr:ecs:Service::reports',
      'aws:ecs/service:Service::reports-service',
      'tdr:monitoring:ServiceAlarms::reports-alarms',
    ]);
    const policy = r.records.find((x) => x.name === 'jenkins-ecs-update-role-policy')?.inputs.policy;
    expect(resourcesOf(policy)).to.include(
      'arn:aws:ecs:eu-west-2:222222222222:service/reports_intg/reports_service_intg',
    );
    expect(r.manifest.policies.violations).to.deep.equal([]);
  });
});
