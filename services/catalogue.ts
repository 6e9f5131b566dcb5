/**
 * What runs in the workload accounts: the ECS services and one-off tasks, with TDR's real sizes.
 * Adding a service is one entry here; infra, Jenkins jobs and dashboards follow from it.
 */
import type { WorkloadEnvironmentName } from './environments';

export type PerEnvironment<T> = Readonly<Record<WorkloadEnvironmentName, T>>;

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
}

export type CatalogueEntry = EcsServiceEntry | OneOffTaskEntry;
export type Catalogue = Readonly<Record<string, CatalogueEntry>>;

const same = <T>(value: T): PerEnvironment<T> => ({ intg: value, staging: value, prod: value });
const ONE_BUT_TWO_IN_PROD: PerEnvironment<number> = { intg: 1, staging: 1, prod: 2 };

/** TDR's repositories: sbt projects on `master`, their jars assembled before the image is built. */
const sbtRepository = (repository: string, pkg = 'sbt assembly', dockerfile = 'Dockerfile'): Source => ({
  repository,
  dockerfile,
  mainBranch: 'master',
  test: 'sbt test',
  package: pkg,
});
/** The auth server's theme is built with npm before its SPIs are assembled. */
const AUTH_SERVER_PACKAGE = 'npm ci && npm run build-theme && sbt assembly';

export const DEFAULT_CATALOGUE: Catalogue = {
  frontend: {
    kind: 'service',
    pascalName: 'Frontend',
    description: 'The web application users transfer records through',
    imageRepository: 'transfer-frontend',
    source: sbtRepository('tdr-transfer-frontend', 'sbt dist'),
    containerPort: 9000,
    healthCheck: { path: '/', matcher: '308', port: 9000 },
    cpu: { intg: 512, staging: 1024, prod: 1024 },
    memory: { intg: 1024, staging: 4096, prod: 4096 },
    desiredCount: ONE_BUT_TWO_IN_PROD,
    hostnamePrefix: 'app',
    sidecars: [
      {
        name: 'aws-otel-collector',
        image: 'public.ecr.aws/aws-observability/aws-otel-collector:v0.43.1',
        cpu: 256,
        memory: 512,
        ports: [4317],
      },
    ],
    database: false,
  },
  consignmentapi: {
    kind: 'service',
    pascalName: 'ConsignmentApi',
    description: 'GraphQL API over consignments, files and metadata',
    imageRepository: 'consignment-api',
    source: sbtRepository('tdr-consignment-api'),
    containerPort: 8080,
    healthCheck: { path: '/healthcheck', matcher: '200,303', port: 8080 },
    cpu: { intg: 1024, staging: 2048, prod: 2048 },
    memory: { intg: 2048, staging: 6144, prod: 6144 },
    desiredCount: ONE_BUT_TWO_IN_PROD,
    hostnamePrefix: 'api',
    sidecars: [],
    database: true,
  },
  keycloak: {
    kind: 'service',
    pascalName: 'Keycloak',
    description: 'Authentication server (Keycloak)',
    imageRepository: 'auth-server',
    source: sbtRepository('tdr-auth-server', AUTH_SERVER_PACKAGE),
    containerPort: 8080,
    healthCheck: { path: '/health', matcher: '200,303', port: 9000 },
    cpu: { intg: 2048, staging: 1024, prod: 1024 },
    memory: { intg: 4096, staging: 3072, prod: 3072 },
    desiredCount: ONE_BUT_TWO_IN_PROD,
    hostnamePrefix: 'auth',
    sidecars: [],
    database: true,
  },
  transferservice: {
    kind: 'service',
    pascalName: 'TransferService',
    description: 'Back-end service for transfers',
    imageRepository: 'transfer-service',
    source: sbtRepository('tdr-transfer-service'),
    containerPort: 8080,
    healthCheck: { path: '/healthcheck', matcher: '200', port: 8080 },
    cpu: same(512),
    memory: same(1024),
    desiredCount: ONE_BUT_TWO_IN_PROD,
    hostnamePrefix: 'transfer-service',
    sidecars: [],
    database: false,
  },
  'consignment-export': {
    kind: 'task',
    pascalName: 'ConsignmentExport',
    description: 'Builds BagIt bags of a consignment into the export bucket',
    imageRepository: 'consignment-export',
    source: sbtRepository('tdr-consignment-export'),
    cpu: same(1024),
    memory: same(2048),
    inputs: {
      consignmentId: {
        description: 'The consignment to export (again), e.g. after a failed export',
        type: 'string',
        pattern: UUID_PATTERN_SOURCE,
        variable: 'CONSIGNMENT_ID',
        required: true,
      },
    },
  },
  'consignment-api-data': {
    kind: 'task',
    pascalName: 'ConsignmentApiData',
    description: 'Database migrations and reference data (series, departments)',
    imageRepository: 'consignment-api-data',
    source: sbtRepository('tdr-consignment-api-data'),
    cpu: same(512),
    memory: same(1024),
  },
  'keycloak-update': {
    kind: 'task',
    pascalName: 'KeycloakUpdate',
    description: 'Applies realm configuration to Keycloak',
    imageRepository: 'keycloak-update',
    source: sbtRepository('tdr-auth-server', AUTH_SERVER_PACKAGE, 'Dockerfile-update'),
    cpu: same(256),
    memory: same(512),
    inputs: {
      updatePolicy: {
        description: 'Whether the update applies the realm’s policies too (the task reads UPDATE_POLICY)',
        type: 'boolean',
        variable: 'UPDATE_POLICY',
        required: false,
      },
    },
  },
};
