/**
 * What a security reviewer of this estate checks, as CrossGuard policies. The same objects are
 * served by the policy pack (index.ts) to `pulumi preview --policy-pack infra/policies` and run
 * offline by `tdr synth` through ./evaluate.ts.
 */
import * as aws from '@pulumi/aws';
import {
  validateResourceOfType,
  type PolicyResource,
  type ResourceValidationArgs,
  type ResourceValidationPolicy,
  type StackValidationPolicy,
} from '@pulumi/policy';
import { PUBLIC_LOAD_BALANCER_ROLE_TAG } from '../components/load-balancer';
import { list, safeJson, statementsOf } from './documents';
import type { TdrPolicy } from './evaluate';
import { iamNoWildcardActions, iamNoWildcardResources, iamTrustNamedPrincipals } from './iam-rules';
import { SERVERLESS_POLICIES } from './serverless-rules';
import { DELIVERY_POLICIES } from './delivery-rules';
import { naming } from '../../services/naming';

export { statementsOf } from './documents';
export {
  iamNoWildcardActions,
  iamNoWildcardResources,
  iamTrustNamedPrincipals,
  PEOPLE_MAX_SESSION_SECONDS,
  UNSCOPABLE_ACTIONS,
} from './iam-rules';

export const MODERN_TLS_POLICIES: ReadonlySet<string> = new Set([
  'ELBSecurityPolicy-TLS13-1-2-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-Res-2021-06',
  'ELBSecurityPolicy-TLS13-1-3-2021-06',
]);

const PUBLIC_CIDRS = new Set(['0.0.0.0/0', '::/0']);
/** HTTP (redirected), HTTPS, and the test listener of progressive deployments (naming.testListenerPort). */
const PUBLIC_LB_PORTS = new Set([80, 443, naming.testListenerPort()]);

// ---------------------------------------------------------------------------------------------
// Helpers over policy documents and provider tags.

/** Tags a resource ends up with: the provider's default tags, overridden by its own. */
export function effectiveTags(
  args: Pick<ResourceValidationArgs, 'props' | 'provider'>,
): Record<string, string> {
  let defaults: unknown = args.provider?.props?.defaultTags;
  if (typeof defaults === 'string') defaults = safeJson(defaults);
  const providerTags = (defaults as { tags?: Record<string, string> } | undefined)?.tags ?? {};
  const own = (args.props as { tags?: Record<string, string> }).tags ?? {};
  return { ...providerTags, ...own };
}

function environmentOf(args: Pick<ResourceValidationArgs, 'props' | 'provider'>): string | undefined {
  return effectiveTags(args).Environment;
}

function bucketsOf(resources: readonly PolicyResource[]): PolicyResource[] {
  return resources.filter((r) => r.type === 'aws:s3/bucket:Bucket');
}

/** Bucket configuration resources refer to their bucket by id (the bucket name). */
function configFor(
  resources: readonly PolicyResource[],
  type: string,
  bucket: PolicyResource,
): PolicyResource[] {
  const id = bucket.props.id ?? bucket.props.bucket;
  return resources.filter((r) => r.type === type && r.props.bucket === id);
}

function bucketStackPolicy(
  name: string,
  description: string,
  check: (bucket: PolicyResource, resources: readonly PolicyResource[]) => string | undefined,
): StackValidationPolicy {
  return {
    name,
    description,
    enforcementLevel: 'mandatory',
    validateStack: (args, report) => {
      for (const bucket of bucketsOf(args.resources)) {
        const problem = check(bucket, args.resources);
        if (problem) report(`bucket ${String(bucket.props.bucket ?? bucket.name)}: ${problem}`, bucket.urn);
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// S3

export const s3BucketEncrypted = bucketStackPolicy(
  's3-bucket-encrypted',
  'Every S3 bucket has default encryption (SSE-S3 or SSE-KMS).',
  (bucket, resources) => {
    const configs = configFor(
      resources,
      'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration',
      bucket,
    );
    const ok = configs.some((c) =>
      (
        (c.props.rules as
          Array<{ applyServerSideEncryptionByDefault?: { sseAlgorithm?: string } }> | undefined) ?? []
      ).some((r) =>
        ['AES256', 'aws:kms', 'aws:kms:dsse'].includes(
          r.applyServerSideEncryptionByDefault?.sseAlgorithm ?? '',
        ),
      ),
    );
    return ok ? undefined : 'has no default encryption configuration';
  },
);

export const s3PublicAccessBlocked = bucketStackPolicy(
  's3-bucket-public-access-blocked',
  'Every S3 bucket blocks public ACLs and policies (all four settings).',
  (bucket, resources) => {
    const blocks = configFor(resources, 'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock', bucket);
    const keys = ['blockPublicAcls', 'blockPublicPolicy', 'ignorePublicAcls', 'restrictPublicBuckets'];
    if (blocks.length === 0) return 'has no public access block';
    const off = keys.filter((k) => !blocks.some((b) => b.props[k] === true));
    return off.length === 0 ? undefined : `public access block leaves ${off.join(', ')} off`;
  },
);

export const s3TlsOnly = bucketStackPolicy(
  's3-bucket-tls-only',
  'Every S3 bucket policy denies requests without TLS (aws:SecureTransport false) on the bucket and its objects.',
  (bucket, resources) => {
    const name = String(bucket.props.bucket ?? '');
    const wanted = [`arn:aws:s3:::${name}`, `arn:aws:s3:::${name}/*`];
    const ok = configFor(resources, 'aws:s3/bucketPolicy:BucketPolicy', bucket).some((p) =>
      statementsOf(p.props.policy).some(
        (s) =>
          s.Effect === 'Deny' &&
          String(s.Condition?.Bool?.['aws:SecureTransport']) === 'false' &&
          wanted.every((w) => list(s.Resource).includes(w)),
      ),
    );
    return ok ? undefined : 'has no bucket policy denying insecure transport';
  },
);

export const s3Versioned = bucketStackPolicy(
  's3-bucket-versioned',
  'Every S3 bucket has versioning enabled.',
  (bucket, resources) => {
    const ok = configFor(resources, 'aws:s3/bucketVersioning:BucketVersioning', bucket).some(
      (v) => (v.props.versioningConfiguration as { status?: string } | undefined)?.status === 'Enabled',
    );
    return ok ? undefined : 'is not versioned';
  },
);

export const s3Lifecycle = bucketStackPolicy(
  's3-bucket-lifecycle',
  'Every S3 bucket has an enabled lifecycle rule (old versions do not pile up forever).',
  (bucket, resources) => {
    const ok = configFor(
      resources,
      'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration',
      bucket,
    ).some((c) =>
      ((c.props.rules as Array<{ status?: string }> | undefined) ?? []).some((r) => r.status === 'Enabled'),
    );
    return ok ? undefined : 'has no enabled lifecycle rule';
  },
);

export const s3NoPublicGrants: ResourceValidationPolicy = {
  name: 's3-no-public-grants',
  description: 'No bucket policy allows anyone (`*`) to do anything.',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(aws.s3.BucketPolicy, (props, _args, report) => {
    for (const s of statementsOf(props.policy)) {
      if (s.Effect !== 'Allow') continue;
      const principal = s.Principal;
      const aws =
        typeof principal === 'object' && principal !== null
          ? (principal as { AWS?: unknown }).AWS
          : undefined;
      if (principal === '*' || list(aws).includes('*'))
        report(`statement ${s.Sid ?? '(no Sid)'} allows any principal`);
    }
  }),
};

// ---------------------------------------------------------------------------------------------
// Network

export const noPublicIngress: StackValidationPolicy = {
  name: 'no-public-ingress-except-load-balancer',
  description: `No security group admits 0.0.0.0/0 or ::/0, except the public load balancer on 443, 80 (redirected to HTTPS) and ${naming.testListenerPort()} (the test listener).`,
  enforcementLevel: 'mandatory',
  validateStack: (args, report) => {
    const groups = new Map(
      args.resources
        .filter((r) => r.type === 'aws:ec2/securityGroup:SecurityGroup')
        .map((g) => [String(g.props.id), g]),
    );
    for (const r of args.resources) {
      if (r.type === 'aws:ec2/securityGroup:SecurityGroup') {
        for (const rule of (r.props.ingress as
          Array<{ cidrBlocks?: string[]; ipv6CidrBlocks?: string[] }> | undefined) ?? []) {
          if ([...(rule.cidrBlocks ?? []), ...(rule.ipv6CidrBlocks ?? [])].some((c) => PUBLIC_CIDRS.has(c))) {
            report(`security group ${r.name} has an inline ingress rule open to the internet`, r.urn);
          }
        }
      }
      if (r.type !== 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule') continue;
      const cidr = String(r.props.cidrIpv4 ?? r.props.cidrIpv6 ?? '');
      if (!PUBLIC_CIDRS.has(cidr)) continue;
      const group = groups.get(String(r.props.securityGroupId));
      const tags = (group?.props.tags as Record<string, string> | undefined) ?? {};
      const isLoadBalancer = tags[PUBLIC_LOAD_BALANCER_ROLE_TAG.key] === PUBLIC_LOAD_BALANCER_ROLE_TAG.value;
      const from = Number(r.props.fromPort);
      const to = Number(r.props.toPort);
      const webPort = from === to && PUBLIC_LB_PORTS.has(from) && r.props.ipProtocol === 'tcp';
      if (!isLoadBalancer || !webPort) {
        report(
          `ingress rule ${r.name} admits ${cidr} on ${String(r.props.ipProtocol)} ${from}-${to}` +
            (isLoadBalancer
              ? `: the load balancer may face the internet on ${[...PUBLIC_LB_PORTS].join(', ')} only`
              : ' to a group that is not the public load balancer'),
          r.urn,
        );
      }
    }
  },
};

export const vpcFlowLogs: StackValidationPolicy = {
  name: 'vpc-flow-logs',
  description: 'Every VPC records flow logs of all traffic.',
  enforcementLevel: 'mandatory',
  validateStack: (args, report) => {
    const logs = args.resources.filter((r) => r.type === 'aws:ec2/flowLog:FlowLog');
    for (const vpc of args.resources.filter((r) => r.type === 'aws:ec2/vpc:Vpc')) {
      const ok = logs.some((l) => l.props.vpcId === vpc.props.id && l.props.trafficType === 'ALL');
      if (!ok) report(`VPC ${vpc.name} has no flow log of ALL traffic`, vpc.urn);
    }
  },
};

// ---------------------------------------------------------------------------------------------
// ECS and ECR

export const ecsCircuitBreaker: ResourceValidationPolicy = {
  name: 'ecs-circuit-breaker-rollback',
  description:
    'Every rolling ECS service has the deployment circuit breaker on, with rollback (ECS allows it for ROLLING only; the others roll back on alarms: delivery-rules.ts).',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(aws.ecs.Service, (props, _args, report) => {
    const strategy = props.deploymentConfiguration?.strategy ?? 'ROLLING';
    if (strategy !== 'ROLLING') return;
    const cb = props.deploymentCircuitBreaker;
    if (!cb?.enable || !cb.rollback) report('deployment circuit breaker with rollback is off');
  }),
};

export const ecsNoPublicIp: ResourceValidationPolicy = {
  name: 'ecs-no-public-ip',
  description: 'No ECS task gets a public IP: tasks run in private subnets behind the load balancer.',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(aws.ecs.Service, (props, _args, report) => {
    if (!props.networkConfiguration) report('has no network configuration (awsvpc with private subnets)');
    else if (props.networkConfiguration.assignPublicIp) report('assigns public IPs to its tasks');
  }),
};

export const ecsReleaseOwned: ResourceValidationPolicy = {
  name: 'ecs-ignores-release-owned-properties',
  description:
    'ECS services ignore changes to taskDefinition: the release engine pins digests, and infra must not roll a release back.',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(aws.ecs.Service, (_props, args, report) => {
    if (!args.opts.ignoreChanges.includes('taskDefinition'))
      report('does not ignore changes to taskDefinition');
  }),
};

export const ecsContainerInsights: ResourceValidationPolicy = {
  name: 'ecs-container-insights',
  description:
    'Every ECS cluster has Container Insights on (the running-tasks alarm and dashboards read it).',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(aws.ecs.Cluster, (props, _args, report) => {
    const setting = (props.settings ?? []).find((s) => s.name === 'containerInsights');
    if (!setting || !['enabled', 'enhanced'].includes(setting.value)) report('Container Insights is off');
  }),
};

export const ecrImmutable: ResourceValidationPolicy = {
  name: 'ecr-immutable-tags-scan-on-push',
  description:
    'ECR repositories have immutable tags (a release tag means one image forever) and scan on push.',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(aws.ecr.Repository, (props, _args, report) => {
    if (props.imageTagMutability !== 'IMMUTABLE')
      report(`tags are ${props.imageTagMutability ?? 'MUTABLE'}, not IMMUTABLE`);
    if (!props.imageScanningConfiguration?.scanOnPush) report('images are not scanned on push');
  }),
};

// ---------------------------------------------------------------------------------------------
// Databases

export const rdsEncryptedPrivate: ResourceValidationPolicy = {
  name: 'rds-encrypted-private',
  description:
    'Databases are encrypted, not publicly accessible, and their master password is managed in Secrets Manager.',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(aws.rds.Instance, (props, _args, report) => {
    if (!props.storageEncrypted) report('storage is not encrypted');
    if (props.publiclyAccessible) report('is publicly accessible');
    if (props.password !== undefined || !props.manageMasterUserPassword) {
      report('master password is not managed in Secrets Manager (manageMasterUserPassword)');
    }
  }),
};

export const rdsResilience: ResourceValidationPolicy = {
  name: 'rds-prod-resilience',
  description:
    'Production databases are Multi-AZ with deletion protection and 30 days of backups; every other database keeps 7 days.',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(aws.rds.Instance, (props, args, report) => {
    const prod = environmentOf(args) === 'prod';
    const minimum = prod ? 30 : 7;
    if ((props.backupRetentionPeriod ?? 0) < minimum) {
      report(`keeps ${props.backupRetentionPeriod ?? 0} days of backups; at least ${minimum} required`);
    }
    if (prod && !props.multiAz) report('production database is not Multi-AZ');
    if (prod && !props.deletionProtection) report('production database has no deletion protection');
  }),
};

// ---------------------------------------------------------------------------------------------
// Load balancers

export const lbModernTls: ResourceValidationPolicy = {
  name: 'lb-https-modern-tls',
  description: 'Listeners serve HTTPS with a TLS 1.2+/1.3 policy; plain HTTP only redirects to HTTPS.',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(aws.lb.Listener, (props, _args, report) => {
    if (props.protocol === 'HTTPS') {
      if (!MODERN_TLS_POLICIES.has(props.sslPolicy ?? ''))
        report(`TLS policy ${props.sslPolicy ?? '(default)'} is not a modern one`);
      if (!props.certificateArn) report('HTTPS listener has no certificate');
      return;
    }
    if (props.protocol === 'HTTP') {
      const redirects = (props.defaultActions ?? []).every(
        (a) => a.type === 'redirect' && a.redirect?.protocol === 'HTTPS',
      );
      if (!redirects) report('HTTP listener does something other than redirect to HTTPS');
      return;
    }
    report(`protocol ${props.protocol ?? '(none)'} is neither HTTPS nor a redirecting HTTP`);
  }),
};

export const lbHardened: ResourceValidationPolicy = {
  name: 'lb-drop-invalid-headers-and-log',
  description: 'Application load balancers drop invalid headers (request smuggling) and write access logs.',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(aws.lb.LoadBalancer, (props, _args, report) => {
    if ((props.loadBalancerType ?? 'application') !== 'application') return;
    if (!props.dropInvalidHeaderFields) report('does not drop invalid header fields');
    if (!props.accessLogs?.enabled || !props.accessLogs.bucket) report('has no access logs');
  }),
};

// ---------------------------------------------------------------------------------------------
// Logs, encryption at rest, tagging

export const logRetention: ResourceValidationPolicy = {
  name: 'log-retention-set',
  description: 'Every CloudWatch log group has a retention period (logs neither vanish nor pile up forever).',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(aws.cloudwatch.LogGroup, (props, _args, report) => {
    if (!props.retentionInDays || props.retentionInDays <= 0) report('has no retention period');
  }),
};

export const snsEncrypted: ResourceValidationPolicy = {
  name: 'sns-topic-encrypted',
  description: 'SNS topics are encrypted with a KMS key.',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(aws.sns.Topic, (props, _args, report) => {
    if (!props.kmsMasterKeyId) report('is not encrypted');
  }),
};

export const kmsRotation: ResourceValidationPolicy = {
  name: 'kms-key-rotation',
  description: 'Customer-managed KMS keys rotate yearly.',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(aws.kms.Key, (props, _args, report) => {
    if (!props.enableKeyRotation) report('key rotation is off');
  }),
};

export const efsEncrypted: ResourceValidationPolicy = {
  name: 'efs-encrypted',
  description: 'EFS file systems (Jenkins home) are encrypted at rest.',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(aws.efs.FileSystem, (props, _args, report) => {
    if (!props.encrypted) report('is not encrypted');
  }),
};

export const sandboxExpiry: ResourceValidationPolicy = {
  name: 'sandbox-resources-expire',
  description:
    'Every resource in the sandbox carries an Expiry tag (YYYY-MM-DD) so forgotten experiments are found.',
  enforcementLevel: 'mandatory',
  validateResource: (args, report) => {
    if (!args.type.startsWith('aws:') || environmentOf(args) !== 'sbox')
      args.notApplicable('sandbox AWS resources only');
    const expiry = effectiveTags(args).Expiry;
    if (!expiry || !/^\d{4}-\d{2}-\d{2}$/.test(expiry)) report('has no Expiry tag (YYYY-MM-DD)');
  },
};

export const ALL_POLICIES: readonly TdrPolicy[] = [
  s3BucketEncrypted,
  s3PublicAccessBlocked,
  s3TlsOnly,
  s3Versioned,
  s3Lifecycle,
  s3NoPublicGrants,
  noPublicIngress,
  vpcFlowLogs,
  iamNoWildcardActions,
  iamNoWildcardResources,
  iamTrustNamedPrincipals,
  ecsCircuitBreaker,
  ecsNoPublicIp,
  ecsReleaseOwned,
  ecsContainerInsights,
  ecrImmutable,
  rdsEncryptedPrivate,
  rdsResilience,
  lbModernTls,
  lbHardened,
  logRetention,
  snsEncrypted,
  kmsRotation,
  efsEncrypted,
  sandboxExpiry,
  ...SERVERLESS_POLICIES,
  ...DELIVERY_POLICIES,
];
