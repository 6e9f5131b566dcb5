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

export interface EcsServiceEntry {
  readonly kind: 'service';
  /** PascalCase form of the key, for IAM role names (`TDRConsignmentApiEcsTaskRoleIntg`). */
  readonly pascalName: string;
  readonly description: string;
  /** ECR repository in mgmt holding the released images. */
  readonly imageRepository: string;
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

export interface OneOffTaskEntry {
  readonly kind: 'task';
  readonly pascalName: string;
  readonly description: string;
  readonly imageRepository: string;
  readonly cpu: PerEnvironment<number>;
  readonly memory: PerEnvironment<number>;
}

export type CatalogueEntry = EcsServiceEntry | OneOffTaskEntry;
export type Catalogue = Readonly<Record<string, CatalogueEntry>>;

const same = <T>(value: T): PerEnvironment<T> => ({ intg: value, staging: value, prod: value });
const ONE_BUT_TWO_IN_PROD: PerEnvironment<number> = { intg: 1, staging: 1, prod: 2 };

export const DEFAULT_CATALOGUE: Catalogue = {
  frontend: {
    kind: 'service',
    pascalName: 'Frontend',
    description: 'The web application users transfer records through',
    imageRepository: 'transfer-frontend',
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
    cpu: same(1024),
    memory: same(2048),
  },
  'consignment-api-data': {
    kind: 'task',
    pascalName: 'ConsignmentApiData',
    description: 'Database migrations and reference data (series, departments)',
    imageRepository: 'consignment-api-data',
    cpu: same(512),
    memory: same(1024),
  },
  'keycloak-update': {
    kind: 'task',
    pascalName: 'KeycloakUpdate',
    description: 'Applies realm configuration to Keycloak',
    imageRepository: 'keycloak-update',
    cpu: same(256),
    memory: same(512),
  },
};
