/**
 * The types of the catalogue (./catalogue.ts holds the entries): ECS services and one-off tasks,
 * Lambda functions and Step Functions state machines.
 */
import type { DeliveryStrategy, FunctionDelivery } from './delivery';
import type { WorkloadEnvironmentName } from './environments';
import type { WorkloadBucketFunction } from './naming';

export type PerEnvironment<T> = Readonly<Record<WorkloadEnvironmentName, T>>;

/** The same value in every workload environment. */
export const same = <T>(value: T): PerEnvironment<T> => ({ intg: value, staging: value, prod: value });

export interface HealthCheck {
  readonly path: string;
  /** HTTP codes the load balancer accepts, in ALB matcher syntax (`200,303`). */
  readonly matcher: string;
  readonly port: number;
}

export interface Sidecar {
  readonly name: string;
  /** A full image reference: sidecars are third-party images, not released through our ECR. */
  readonly image: string;
  readonly cpu: number;
  readonly memory: number;
  readonly ports: readonly number[];
}

/**
 * Where an entry's image comes from: a GitHub repository (TDR's own name, in the organisation the
 * Jenkins settings name) and the Dockerfile in it. Entries built from one repository share its
 * build job, its `vN` tags and its commands, so those are the repository's, and must agree.
 */
export interface Source {
  readonly repository: string;
  /** Relative to the repository's root. */
  readonly dockerfile: string;
  /** The branch whose merges are released (TDR's repositories use `master`). */
  readonly mainBranch: string;
  /** Shell command line that runs the repository's tests (every branch and pull request). */
  readonly test: string;
  /** Shell command line that prepares the image's build context (jars, themes), run before the image build. */
  readonly package: string;
}

export interface EcsServiceEntry {
  readonly kind: 'service';
  /** PascalCase form of the key, for IAM role names (`TDRConsignmentApiEcsTaskRoleIntg`). */
  readonly pascalName: string;
  readonly description: string;
  /** ECR repository in mgmt holding the released images. */
  readonly imageRepository: string;
  readonly source: Source;
  readonly containerPort: number;
  readonly healthCheck: HealthCheck;
  readonly cpu: PerEnvironment<number>;
  readonly memory: PerEnvironment<number>;
  readonly desiredCount: PerEnvironment<number>;
  /** `{prefix}.{environment domain}` is the public hostname. */
  readonly hostnamePrefix: string;
  readonly sidecars: readonly Sidecar[];
  /** Whether the service owns a PostgreSQL database. */
  readonly database: boolean;
  /** The environment's delivery strategy replaced for this service, where given (./delivery.ts). */
  readonly delivery?: Partial<PerEnvironment<DeliveryStrategy>>;
  /** Release-train order (issue 26, ./train-order.ts): what goes out before this one. */
  readonly dependsOn?: readonly string[];
}

/**
 * A value a one-off task is run with (`tdr task run --input KEY=VALUE`), reaching its container as
 * an environment variable. Checked against its declaration before anything is called.
 */
export interface TaskInput {
  readonly description: string;
  /** `string` values must match `pattern`; `boolean` values are `true` or `false`. */
  readonly type: 'string' | 'boolean';
  /** For `string`: the regular expression (source, anchored) a value must match. */
  readonly pattern?: string;
  /** The container environment variable it is passed as (UPPER_SNAKE_CASE). */
  readonly variable: string;
  /** Whether a run must give it. */
  readonly required: boolean;
}

/** A UUID as TDR's ids are written (consignments, files). */
export const UUID_PATTERN_SOURCE =
  '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

export interface OneOffTaskEntry {
  readonly kind: 'task';
  readonly pascalName: string;
  readonly description: string;
  readonly imageRepository: string;
  readonly source: Source;
  readonly cpu: PerEnvironment<number>;
  readonly memory: PerEnvironment<number>;
  /** What a run may (or must) be given, by input name (camelCase); none when absent. */
  readonly inputs?: Readonly<Record<string, TaskInput>>;
  readonly dependsOn?: readonly string[];
  /** A release train runs it (e.g. the database migrations) when its image differs between environments. */
  readonly runOnRelease?: boolean;
}

/** Lambda runtimes TDR's functions may use (AWS's supported identifiers, no deprecated ones). */
// nodejs24.x: the platform's own functions run on the Node.js major the platform is built and tested
// with (package.json engines); https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
export const LAMBDA_RUNTIMES = [
  'java21',
  'java17',
  'python3.13',
  'python3.12',
  'nodejs22.x',
  'nodejs24.x',
] as const;
export type LambdaRuntime = (typeof LAMBDA_RUNTIMES)[number];

/**
 * Where a function's package comes from: a repository whose build uploads one file per version to
 * mgmt's code bucket. Entries built from one repository share its build job, as for images.
 */
export interface FunctionSource {
  readonly repository: string;
  readonly mainBranch: string;
  readonly test: string;
  /** Shell command line that builds the package file. */
  readonly package: string;
  /** The file `package` leaves, relative to the repository (a .jar or .zip Lambda can run). */
  readonly artifact: string;
  /** A file every branch of the repository has (the build job's marker): `build.sbt`. */
  readonly buildFile: string;
}

/**
 * What starts a function. S3 and EventBridge invoke asynchronously (a failed event goes to the
 * function's dead-letter queue); SQS through an event source mapping (a message that fails
 * `maxReceiveCount` times goes to the queue's dead-letter queue); Step Functions, API Gateway and
 * direct invocations wait for the answer.
 */
export type FunctionTrigger =
  | {
      readonly kind: 's3';
      readonly bucket: WorkloadBucketFunction;
      readonly events: readonly string[];
    }
  | {
      readonly kind: 'sqs';
      /** `naming.queue(queue, env)`. */
      readonly queue: string;
      readonly batchSize: number;
      /** Required: validation refuses an SQS trigger without one. */
      readonly deadLetterQueue?: { readonly maxReceiveCount: number };
    }
  | { readonly kind: 'schedule'; readonly expression: string }
  | { readonly kind: 'stepFunction'; readonly stateMachine: string }
  | { readonly kind: 'apiGateway'; readonly api: string };

export type FunctionTriggerKind = FunctionTrigger['kind'];

export interface FunctionNetwork {
  /** Runs in the VPC's private subnets (to reach the database or the API). */
  readonly vpc: boolean;
  /** The catalogue service whose PostgreSQL database it connects to (implies vpc). */
  readonly database?: string;
}

export interface FunctionAccess {
  readonly readBuckets: readonly WorkloadBucketFunction[];
  readonly writeBuckets: readonly WorkloadBucketFunction[];
  /**
   * SSM parameters (secrets are SecureString parameters) it reads; `{env}` stands for the
   * environment: `/{env}/keycloak/backend_checks_client/secret`.
   */
  readonly parameters: readonly string[];
  /** SNS topics it publishes to, by what they are. */
  readonly topics: readonly ('consignment-export' | 'notifications')[];
  /** Reads CloudWatch metrics (`GetMetricData`, which has no resource types): the canary judge. */
  readonly readMetrics?: boolean;
}

export interface LambdaEntry {
  readonly kind: 'lambda';
  readonly dependsOn?: readonly string[];
  /** PascalCase form for role names (`TDRChecksumLambdaRoleIntg`). */
  readonly pascalName: string;
  readonly description: string;
  readonly source: FunctionSource;
  readonly runtime: LambdaRuntime;
  readonly handler: string;
  readonly memory: PerEnvironment<number>;
  readonly timeoutSeconds: PerEnvironment<number>;
  /** Concurrent executions kept for this function (and its ceiling); null: the account's pool. */
  readonly reservedConcurrency: number | null;
  readonly network: FunctionNetwork;
  readonly triggers: readonly FunctionTrigger[];
  readonly access: FunctionAccess;
  /**
   * How a release moves `live` here, where it differs from what the environment's strategy gives
   * functions (./delivery.ts `functionDeliveryFrom`).
   */
  readonly delivery?: Partial<PerEnvironment<FunctionDelivery>>;
}

/** Retries of a task state (States.ALL errors); a catch then records the failure. */
export interface StepRetry {
  readonly maxAttempts: number;
  readonly intervalSeconds: number;
  readonly backoffRate: number;
}

/** One step of a state machine: a function, a one-off ECS task, or steps side by side. */
export type Step =
  { readonly function: string } | { readonly ecsTask: string } | { readonly parallel: readonly Step[] };

export interface StateMachineEntry {
  readonly kind: 'stepFunction';
  /** `TDR{pascalName}{Env}`: TDR's state machine names (`TDRBackendChecksIntg`). */
  readonly pascalName: string;
  readonly description: string;
  /** The steps, in order. */
  readonly steps: readonly Step[];
  readonly retry: StepRetry;
  /** The function a caught failure is handed to (it records the failure), before the run fails. */
  readonly onFailure: string;
  /** Runs longer than this time out. */
  readonly timeoutSeconds: number;
}

export type CatalogueEntry = EcsServiceEntry | OneOffTaskEntry | LambdaEntry | StateMachineEntry;
export type Catalogue = Readonly<Record<string, CatalogueEntry>>;
