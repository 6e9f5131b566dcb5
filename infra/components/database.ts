/**
 * RDS PostgreSQL for one service: encrypted, private (own subnet group, reachable only from the
 * service's tasks), master password generated and kept in Secrets Manager by RDS itself (it never
 * passes through Pulumi state or this repository), backups, and in prod Multi-AZ with deletion
 * protection.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { EnvironmentName } from '../../services/environments';
import { naming } from '../../services/naming';

export interface DatabaseArgs {
  readonly env: EnvironmentName;
  readonly serviceName: string;
  readonly vpcId: pulumi.Input<string>;
  readonly subnetIds: ReadonlyArray<pulumi.Input<string>>;
  /** Security groups of the tasks allowed to connect (the owning service's). */
  readonly clientSecurityGroupIds: ReadonlyArray<pulumi.Input<string>>;
  readonly instanceClass: string;
  readonly allocatedStorageGb: number;
  readonly backupRetentionDays: number;
  readonly multiAz: boolean;
  readonly deletionProtection: boolean;
}

export const POSTGRES_ENGINE_VERSION = '16.4';
const POSTGRES_PORT = 5432;

export function createDatabase(
  name: string,
  args: DatabaseArgs,
  parent: pulumi.Resource,
): { endpoint: pulumi.Output<string> } {
  const opts = { parent };
  const identifier = naming.databaseIdentifier(args.serviceName, args.env);
  const subnetGroup = new aws.rds.SubnetGroup(
    `${name}-subnets`,
    { name: identifier, subnetIds: [...args.subnetIds] },
    opts,
  );
  const sg = new aws.ec2.SecurityGroup(
    `${name}-sg`,
    {
      name: `${identifier}-postgres`,
      description: `PostgreSQL of ${args.serviceName} in ${args.env}: its tasks only`,
      vpcId: args.vpcId,
    },
    opts,
  );
  args.clientSecurityGroupIds.forEach((client, i) => {
    new aws.vpc.SecurityGroupIngressRule(
      `${name}-in-${i}`,
      {
        securityGroupId: sg.id,
        referencedSecurityGroupId: client,
        ipProtocol: 'tcp',
        fromPort: POSTGRES_PORT,
        toPort: POSTGRES_PORT,
        description: `from ${args.serviceName} tasks`,
      },
      opts,
    );
  });
  const instance = new aws.rds.Instance(
    `${name}-instance`,
    {
      identifier,
      engine: 'postgres',
      engineVersion: POSTGRES_ENGINE_VERSION,
      instanceClass: args.instanceClass,
      allocatedStorage: args.allocatedStorageGb,
      storageType: 'gp3',
      storageEncrypted: true,
      dbName: args.serviceName.replace(/[^a-z0-9]/g, ''),
      username: 'tdr_admin',
      manageMasterUserPassword: true,
      iamDatabaseAuthenticationEnabled: true,
      dbSubnetGroupName: subnetGroup.name,
      vpcSecurityGroupIds: [sg.id],
      publiclyAccessible: false,
      port: POSTGRES_PORT,
      multiAz: args.multiAz,
      deletionProtection: args.deletionProtection,
      backupRetentionPeriod: args.backupRetentionDays,
      copyTagsToSnapshot: true,
      autoMinorVersionUpgrade: true,
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: `${identifier}-final`,
      enabledCloudwatchLogsExports: ['postgresql'],
    },
    { parent, protect: args.deletionProtection },
  );
  return { endpoint: instance.endpoint };
}

export class Database extends pulumi.ComponentResource {
  readonly endpoint: pulumi.Output<string>;

  constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super('tdr:rds:Database', name, {}, opts);
    if (args.backupRetentionDays < 1 || args.backupRetentionDays > 35) {
      throw new Error(`Database ${name}: backupRetentionDays must be 1-35, got ${args.backupRetentionDays}`);
    }
    this.endpoint = createDatabase(name, args, this).endpoint;
    this.registerOutputs({ endpoint: this.endpoint });
  }
}
