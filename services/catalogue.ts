/**
 * What runs in the workload accounts: the ECS services and one-off tasks, with TDR's real sizes,
 * and (./backend-catalogue.ts) the Lambda functions of the serverless backend and the Step
 * Functions state machines that chain them. Adding one is one entry; infra, Jenkins jobs and
 * dashboards follow from it. The types are in ./catalogue-types.ts.
 */
import { DEFAULT_FUNCTIONS, DEFAULT_STATE_MACHINES } from './backend-catalogue';
import { PLATFORM_FUNCTIONS } from './platform-functions';
import {
  same,
  UUID_PATTERN_SOURCE,
  type Catalogue,
  type PerEnvironment,
  type Source,
} from './catalogue-types';

export * from './catalogue-types';

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

const DEFAULT_ECS_ENTRIES: Catalogue = {
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
    dependsOn: ['consignmentapi'],
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
    // The schema first: the migrations task and the Flyway function (./backend-catalogue.ts).
    dependsOn: ['consignment-api-data', 'database-migrations'],
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
    runOnRelease: true,
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

export const DEFAULT_CATALOGUE: Catalogue = {
  ...DEFAULT_ECS_ENTRIES,
  ...DEFAULT_FUNCTIONS,
  ...PLATFORM_FUNCTIONS,
  ...DEFAULT_STATE_MACHINES,
};
