/**
 * A Step Functions state machine of the catalogue: its definition generated from the entry
 * (services/asl.ts) and validated before anything is declared, its role (infra/definitions/lambda.ts),
 * every execution logged (level ALL) to a log group with retention, and X-Ray tracing on.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { Catalogue, StateMachineEntry } from '../../services/catalogue';
import { stateMachineDefinition, validateDefinition, type AslTarget } from '../../services/asl';
import { issuesMessage } from '../../services/errors';
import { createRole, type RoleSpec } from './iam';

export interface StateMachineArgs {
  readonly stateMachineName: string;
  readonly entry: StateMachineEntry;
  readonly catalogue: Catalogue;
  readonly target: Omit<AslTarget, 'ecsNetwork'>;
  readonly ecsNetwork: {
    readonly subnetIds: ReadonlyArray<pulumi.Input<string>>;
    readonly securityGroupIds: ReadonlyArray<pulumi.Input<string>>;
  };
  readonly role: RoleSpec;
  readonly logGroup: string;
  readonly logRetentionDays: number;
  /** Functions it calls: their aliases exist before the state machine does. */
  readonly dependsOn?: readonly pulumi.Resource[];
}

export class StateMachine extends pulumi.ComponentResource {
  readonly stateMachineName: string;
  readonly arn: pulumi.Output<string>;

  constructor(name: string, args: StateMachineArgs, opts?: pulumi.ComponentResourceOptions) {
    super('tdr:serverless:StateMachine', name, {}, opts);
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { name: args.logGroup, retentionInDays: args.logRetentionDays },
      { parent: this },
    );
    const role = createRole(`${name}-role`, args.role, this);
    const definition = pulumi
      .all([pulumi.all([...args.ecsNetwork.subnetIds]), pulumi.all([...args.ecsNetwork.securityGroupIds])])
      .apply(([subnetIds, securityGroupIds]) => {
        const def = stateMachineDefinition(args.entry, {
          ...args.target,
          ecsNetwork: { subnetIds, securityGroupIds },
        });
        const issues = validateDefinition(def, args.catalogue, args.target.env);
        if (issues.length > 0)
          throw new Error(issuesMessage(`state machine ${args.stateMachineName} is invalid`, issues));
        return JSON.stringify(def);
      });
    const machine = new aws.sfn.StateMachine(
      `${name}-state-machine`,
      {
        name: args.stateMachineName,
        type: 'STANDARD',
        roleArn: role.arn,
        definition,
        loggingConfiguration: {
          level: 'ALL',
          // Execution data carries file and consignment ids, not file contents.
          includeExecutionData: true,
          logDestination: pulumi.interpolate`${logGroup.arn}:*`,
        },
        tracingConfiguration: { enabled: true },
      },
      { parent: this, dependsOn: [...(args.dependsOn ?? [])] },
    );
    this.stateMachineName = args.stateMachineName;
    this.arn = machine.arn;
    this.registerOutputs({ stateMachineName: this.stateMachineName, arn: this.arn });
  }
}
