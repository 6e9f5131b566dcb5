/**
 * Provisioning choices that the platform model (services/) does not carry yet: how many zones,
 * database instance sizes, log retention. Per environment, in one place.
 * TODO(lead): move the database sizing into the catalogue entry (today `database: boolean`).
 */
import type { WorkloadEnvironmentName } from '../../services/environments';

export interface WorkloadSettings {
  readonly availabilityZones: 2 | 3;
  readonly natGatewayPerZone: boolean;
  readonly logRetentionDays: number;
  readonly database: {
    readonly instanceClass: string;
    readonly allocatedStorageGb: number;
    readonly backupRetentionDays: number;
    readonly multiAz: boolean;
    readonly deletionProtection: boolean;
  };
  /** CPU target tracking between desiredCount and desiredCount × maxFactor; null: fixed count. */
  readonly autoscaling: { readonly maxFactor: number; readonly targetCpuPercent: number } | null;
  readonly loadBalancerDeletionProtection: boolean;
}

const NON_PROD: WorkloadSettings = {
  availabilityZones: 2,
  natGatewayPerZone: false,
  logRetentionDays: 30,
  database: {
    instanceClass: 'db.t4g.small',
    allocatedStorageGb: 20,
    backupRetentionDays: 7,
    multiAz: false,
    deletionProtection: false,
  },
  autoscaling: null,
  loadBalancerDeletionProtection: false,
};

export const WORKLOAD_SETTINGS: Readonly<Record<WorkloadEnvironmentName, WorkloadSettings>> = {
  intg: NON_PROD,
  staging: NON_PROD,
  prod: {
    availabilityZones: 3,
    natGatewayPerZone: true,
    logRetentionDays: 365,
    database: {
      instanceClass: 'db.t4g.medium',
      allocatedStorageGb: 50,
      backupRetentionDays: 30,
      multiAz: true,
      deletionProtection: true,
    },
    autoscaling: { maxFactor: 3, targetCpuPercent: 60 },
    loadBalancerDeletionProtection: true,
  },
};

export const MGMT_SETTINGS = {
  availabilityZones: 2,
  logRetentionDays: 90,
  /** The release ledger is the audit trail: governance-mode lock for seven years. */
  ledgerObjectLockDays: 2557,
  jenkins: {
    // The image is ours: pipelines/jenkins/controller/Dockerfile (its core pinned there), pushed to
    // mgmt's ECR and run by digest (stack config tdr:jenkinsControllerImageDigest).
    cpu: 1024,
    memory: 4096,
    port: 8080,
    healthCheck: { path: '/login', matcher: '200', port: 8080 },
    homePath: '/var/jenkins_home',
    /** The uid/gid of the jenkins user in the official image. */
    posixId: 1000,
  },
} as const;

export const SBOX_SETTINGS = {
  availabilityZones: 2,
  logRetentionDays: 14,
  scratchRepository: 'tdr-scratch',
} as const;

/** The image a service starts from before its first release; the release engine replaces it by digest. */
export const INITIAL_IMAGE_TAG = 'initial';
