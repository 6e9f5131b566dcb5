/**
 * The serverless backend of the catalogue: TDR's Lambda functions (names, runtimes, handlers, sizes
 * per environment, triggers, what each may read and write) and the two Step Functions state
 * machines that chain them, as TDR runs them (tdr-terraform-environments).
 */
import {
  same,
  type Catalogue,
  type FunctionAccess,
  type FunctionNetwork,
  type FunctionSource,
  type FunctionTrigger,
  type PerEnvironment,
  type StepRetry,
} from './catalogue-types';

/** TDR's Scala functions: sbt projects on `master`, one assembled jar each. */
const scalaFunction = (repository: string, jar: string): FunctionSource => ({
  repository,
  mainBranch: 'master',
  test: 'sbt test',
  package: 'sbt assembly',
  artifact: `target/scala-2.13/${jar}`,
  buildFile: 'build.sbt',
});
/** TDR's Python functions: the handler and its dependencies zipped by the repository's script. */
const pythonFunction = (repository: string, zip: string): FunctionSource => ({
  repository,
  mainBranch: 'master',
  test: 'python3 -m pytest',
  package: './package.sh',
  artifact: zip,
  buildFile: 'requirements.txt',
});
const NO_ACCESS: FunctionAccess = { readBuckets: [], writeBuckets: [], parameters: [], topics: [] };
/** The client secret the backend checks use to call the consignment API as themselves. */
const BACKEND_CHECKS_SECRET = '/{env}/keycloak/backend_checks_client/secret';
const OUTSIDE_VPC: FunctionNetwork = { vpc: false };
const IN_VPC: FunctionNetwork = { vpc: true };
const BACKEND_CHECKS: FunctionTrigger = { kind: 'stepFunction', stateMachine: 'backend-checks' };
const EXPORT: FunctionTrigger = { kind: 'stepFunction', stateMachine: 'export' };
/** The file checks read whole files (up to TDR's upload limit) and need the memory and time. */
const FILE_CHECK_MEMORY: PerEnvironment<number> = { intg: 1536, staging: 2560, prod: 2560 };

export const DEFAULT_FUNCTIONS: Catalogue = {
  'download-files': {
    kind: 'lambda',
    pascalName: 'DownloadFiles',
    description:
      'Copies an uploaded file from the dirty bucket for the backend checks and records its metadata',
    source: scalaFunction('tdr-download-files', 'download-files.jar'),
    runtime: 'java21',
    handler: 'uk.gov.nationalarchives.downloadfiles.Lambda::process',
    memory: same(1024),
    timeoutSeconds: same(180),
    reservedConcurrency: null,
    network: IN_VPC,
    triggers: [BACKEND_CHECKS],
    access: {
      ...NO_ACCESS,
      readBuckets: ['upload-files-cloudfront-dirty'],
      parameters: [BACKEND_CHECKS_SECRET],
    },
  },
  antivirus: {
    kind: 'lambda',
    pascalName: 'YaraAv',
    description: 'Scans a file with yara; clean files go to upload-files, infected ones to quarantine',
    source: pythonFunction('tdr-antivirus', 'function.zip'),
    runtime: 'python3.12',
    handler: 'matcher.matcher_lambda_handler',
    memory: FILE_CHECK_MEMORY,
    timeoutSeconds: same(300),
    reservedConcurrency: null,
    network: OUTSIDE_VPC,
    triggers: [BACKEND_CHECKS],
    access: {
      ...NO_ACCESS,
      readBuckets: ['upload-files-cloudfront-dirty'],
      writeBuckets: ['upload-files', 'upload-files-quarantine'],
    },
  },
  checksum: {
    kind: 'lambda',
    pascalName: 'Checksum',
    description: 'SHA-256 of an uploaded file, in 50 MB chunks',
    source: scalaFunction('tdr-checksum', 'checksum.jar'),
    runtime: 'java21',
    handler: 'uk.gov.nationalarchives.checksum.Lambda::process',
    memory: FILE_CHECK_MEMORY,
    timeoutSeconds: same(300),
    reservedConcurrency: null,
    network: OUTSIDE_VPC,
    triggers: [BACKEND_CHECKS],
    access: { ...NO_ACCESS, readBuckets: ['upload-files-cloudfront-dirty'] },
  },
  'file-format': {
    kind: 'lambda',
    pascalName: 'FileFormat',
    description: 'Identifies the format of an uploaded file with DROID (PRONOM ids)',
    source: scalaFunction('tdr-file-format', 'file-format.jar'),
    runtime: 'java21',
    handler: 'uk.gov.nationalarchives.fileformat.Lambda::process',
    memory: FILE_CHECK_MEMORY,
    timeoutSeconds: same(300),
    reservedConcurrency: null,
    network: OUTSIDE_VPC,
    triggers: [BACKEND_CHECKS],
    access: { ...NO_ACCESS, readBuckets: ['upload-files-cloudfront-dirty'] },
  },
  'api-update': {
    kind: 'lambda',
    pascalName: 'ApiUpdate',
    description: 'Writes the results of the backend checks (or their failure) to the consignment API',
    source: scalaFunction('tdr-api-update', 'api-update.jar'),
    runtime: 'java21',
    handler: 'uk.gov.nationalarchives.api.update.Lambda::update',
    memory: same(1024),
    timeoutSeconds: same(600),
    reservedConcurrency: null,
    network: IN_VPC,
    triggers: [BACKEND_CHECKS],
    access: { ...NO_ACCESS, parameters: [BACKEND_CHECKS_SECRET] },
  },
  'export-api-authoriser': {
    kind: 'lambda',
    pascalName: 'ExportAuthoriser',
    description: 'API Gateway authoriser of the export API: the caller must own the consignment',
    source: scalaFunction('tdr-consignment-export-authoriser', 'consignment-export-authoriser.jar'),
    runtime: 'java21',
    handler: 'uk.gov.nationalarchives.consignmentexport.authoriser.Lambda::process',
    memory: same(512),
    timeoutSeconds: same(30),
    reservedConcurrency: null,
    network: IN_VPC,
    triggers: [{ kind: 'apiGateway', api: 'consignment-export' }],
    access: NO_ACCESS,
  },
  'export-status-update': {
    kind: 'lambda',
    pascalName: 'ExportStatusUpdate',
    description: 'Records an export\u2019s status (completed or failed) in the consignment API',
    source: scalaFunction('tdr-export-status-update', 'export-status-update.jar'),
    runtime: 'java21',
    handler: 'uk.gov.nationalarchives.exportstatusupdate.Lambda::update',
    memory: same(512),
    timeoutSeconds: same(60),
    reservedConcurrency: null,
    network: IN_VPC,
    triggers: [EXPORT],
    access: { ...NO_ACCESS, parameters: [BACKEND_CHECKS_SECRET] },
  },
  notifications: {
    kind: 'lambda',
    pascalName: 'Notifications',
    description: 'Slack, e-mail and the preservation system\u2019s export message, from platform events',
    source: scalaFunction('tdr-notifications', 'notifications.jar'),
    runtime: 'java21',
    handler: 'uk.gov.nationalarchives.notifications.Lambda::process',
    memory: same(1024),
    timeoutSeconds: same(30),
    reservedConcurrency: null,
    network: OUTSIDE_VPC,
    triggers: [
      { kind: 'sqs', queue: 'notifications', batchSize: 10, deadLetterQueue: { maxReceiveCount: 3 } },
      { kind: 's3', bucket: 'upload-files-quarantine', events: ['s3:ObjectCreated:*'] },
      EXPORT,
    ],
    access: {
      ...NO_ACCESS,
      parameters: ['/{env}/slack/notifications/webhook', '/{env}/gov_uk_notify/api_key'],
      topics: ['consignment-export'],
    },
  },
  'create-db-users': {
    kind: 'lambda',
    pascalName: 'CreateDbUsers',
    description:
      'Creates the database users the API and the migrations connect as (run after a database is created)',
    source: scalaFunction('tdr-create-db-users', 'create-db-users.jar'),
    runtime: 'java21',
    handler: 'uk.gov.nationalarchives.db.users.Lambda::process',
    memory: same(512),
    timeoutSeconds: same(60),
    // Users are created once, by one run at a time.
    reservedConcurrency: 1,
    network: { vpc: true, database: 'consignmentapi' },
    triggers: [],
    access: { ...NO_ACCESS, parameters: ['/{env}/consignmentapi/database/password'] },
  },
  'database-migrations': {
    kind: 'lambda',
    pascalName: 'DbMigration',
    description: 'Flyway: the consignment database schema and reference data (series, departments)',
    source: {
      repository: 'tdr-consignment-api-data',
      mainBranch: 'master',
      test: 'sbt test',
      package: 'sbt assembly',
      artifact: 'lambda/target/scala-2.13/database-migrations.jar',
      buildFile: 'build.sbt',
    },
    runtime: 'java17',
    handler: 'migration.Main::runMigration',
    memory: same(512),
    timeoutSeconds: same(60),
    // Two migrations at once would race on Flyway's schema history.
    reservedConcurrency: 1,
    network: { vpc: true, database: 'consignmentapi' },
    triggers: [],
    access: { ...NO_ACCESS, parameters: ['/{env}/consignmentapi/database/password'] },
  },
  'service-unavailable': {
    kind: 'lambda',
    pascalName: 'ServiceUnavailable',
    description: 'The maintenance page, served in place of the frontend while TDR is down on purpose',
    source: pythonFunction('tdr-service-unavailable', 'function.zip'),
    runtime: 'python3.12',
    handler: 'lambda_function.handler',
    memory: same(128),
    timeoutSeconds: same(3),
    reservedConcurrency: null,
    network: OUTSIDE_VPC,
    triggers: [],
    access: NO_ACCESS,
  },
  'signed-cookies': {
    kind: 'lambda',
    pascalName: 'SignedCookies',
    description: 'CloudFront signed cookies that let a signed-in user upload to the dirty bucket',
    source: scalaFunction('tdr-signed-cookies', 'signed-cookies.jar'),
    runtime: 'java21',
    handler: 'uk.gov.nationalarchives.signcookies.Lambda::handleRequest',
    memory: same(1024),
    timeoutSeconds: same(30),
    reservedConcurrency: null,
    network: OUTSIDE_VPC,
    triggers: [{ kind: 'apiGateway', api: 'sign-cookies' }],
    access: { ...NO_ACCESS, parameters: ['/{env}/cloudfront/key/private', '/{env}/cloudfront/key/id'] },
  },
  reporting: {
    kind: 'lambda',
    pascalName: 'Reporting',
    description: 'The weekly consignment report for the TDR team, posted to Slack',
    source: pythonFunction('tdr-reporting', 'function.zip'),
    runtime: 'python3.12',
    handler: 'report.handler',
    memory: same(512),
    timeoutSeconds: same(300),
    reservedConcurrency: null,
    network: IN_VPC,
    triggers: [{ kind: 'schedule', expression: 'cron(0 7 ? * MON *)' }],
    access: { ...NO_ACCESS, parameters: [BACKEND_CHECKS_SECRET, '/{env}/slack/reporting/webhook'] },
  },
};

/** Checks retry twice more, backing off, before the failure is recorded. */
const CHECK_RETRY: StepRetry = { maxAttempts: 2, intervalSeconds: 5, backoffRate: 2 };

export const DEFAULT_STATE_MACHINES: Catalogue = {
  'backend-checks': {
    kind: 'stepFunction',
    pascalName: 'BackendChecks',
    description:
      'Each uploaded file: download, then antivirus, checksum and file format side by side, then the API',
    steps: [
      { function: 'download-files' },
      { parallel: [{ function: 'antivirus' }, { function: 'checksum' }, { function: 'file-format' }] },
      { function: 'api-update' },
    ],
    retry: CHECK_RETRY,
    onFailure: 'api-update',
    timeoutSeconds: 3600,
  },
  export: {
    kind: 'stepFunction',
    pascalName: 'ConsignmentExport',
    description:
      'A transfer\u2019s export: the BagIt task on ECS, its status in the API, the preservation system told',
    steps: [
      { ecsTask: 'consignment-export' },
      { function: 'export-status-update' },
      { function: 'notifications' },
    ],
    retry: CHECK_RETRY,
    onFailure: 'export-status-update',
    timeoutSeconds: 4 * 3600,
  },
};
