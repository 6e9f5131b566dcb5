import { describePolicyCases, doc, res, type PolicyCase } from './fixtures.test-helper';
import * as rules from './serverless-rules';

const FN = 'tdr-notifications-intg';
const ALIAS = `arn:aws:lambda:eu-west-2:222222222222:function:${FN}:live`;
const DLQ = 'arn:aws:sqs:eu-west-2:222222222222:tdr-notifications-dlq-intg';

const fn = (
  inputs: Record<string, unknown> = {},
  ignoreChanges = ['s3Key', 's3ObjectVersion', 'sourceCodeHash'],
) =>
  res('aws:lambda/function:Function', 'notifications-function', { name: FN, ...inputs }, { ignoreChanges });
const s3Permission = res('aws:lambda/permission:Permission', 'quarantine-invoke', {
  function: ALIAS,
  principal: 's3.amazonaws.com',
});
const onFailure = res(
  'aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig',
  'notifications-async',
  {
    functionName: FN,
    qualifier: 'live',
    destinationConfig: { onFailure: { destination: DLQ } },
  },
);

const lambdaRole = res('aws:iam/role:Role', 'checksum-role', {
  name: 'TDRChecksumLambdaRoleIntg',
  assumeRolePolicy: doc({
    Effect: 'Allow',
    Principal: { Service: 'lambda.amazonaws.com' },
    Action: 'sts:AssumeRole',
    Condition: { StringEquals: { 'aws:SourceAccount': '222222222222' } },
  }),
});
const rolePolicy = (role: string, ...Action: string[]) =>
  res('aws:iam/rolePolicy:RolePolicy', `${role}-policy`, {
    role,
    policy: doc({
      Sid: 'ReadBuckets',
      Effect: 'Allow',
      Action,
      Resource: 'arn:aws:s3:::tdr-upload-files-intg/*',
    }),
  });

const machine = (loggingConfiguration: Record<string, unknown>) =>
  res('aws:sfn/stateMachine:StateMachine', 'backend-checks', {
    name: 'TDRBackendChecksIntg',
    loggingConfiguration,
  });

export const SERVERLESS_CASES: PolicyCase[] = [
  {
    policy: rules.lambdaAsyncFailureDestination,
    compliant: 'an S3-invoked function whose live alias sends failures to its dead-letter queue',
    compliantResources: [fn(), s3Permission, onFailure],
    violating: 'an S3-invoked function with nowhere to send a failed event',
    violatingResources: [fn(), s3Permission],
    message:
      /tdr-notifications-intg is invoked asynchronously by s3.amazonaws.com but has no dead-letter queue/,
  },
  {
    policy: rules.stateMachineLogs,
    compliant: 'a state machine logging ALL to its log group',
    compliantResources: [
      machine({
        level: 'ALL',
        logDestination: 'arn:aws:logs:eu-west-2:222222222222:log-group:/aws/vendedlogs/states/x:*',
      }),
    ],
    violating: 'a state machine with logging OFF',
    violatingResources: [machine({ level: 'OFF' })],
    message: /does not log its executions/,
  },
  {
    policy: rules.lambdaRoleNamedActions,
    compliant: 'a function role naming s3:GetObject (and a non-function role is not its business)',
    compliantResources: [
      lambdaRole,
      rolePolicy('TDRChecksumLambdaRoleIntg', 's3:GetObject'),
      rolePolicy('OtherRole', 's3:Get*'),
    ],
    violating: 'a function role allowing s3:Get*',
    violatingResources: [lambdaRole, rolePolicy('TDRChecksumLambdaRoleIntg', 's3:GetObject', 's3:Get*')],
    message: /function role TDRChecksumLambdaRoleIntg: statement ReadBuckets allows s3:Get\*/,
  },
  {
    policy: rules.lambdaReleaseOwned,
    compliant: 'a function ignoring its code and an alias ignoring its version',
    compliantResources: [
      fn(),
      res(
        'aws:lambda/alias:Alias',
        'live',
        { name: 'live', functionName: FN },
        { ignoreChanges: ['functionVersion'] },
      ),
    ],
    violating: 'an alias infra would move back',
    violatingResources: [res('aws:lambda/alias:Alias', 'live', { name: 'live', functionName: FN })],
    message: /does not ignore changes to functionVersion/,
  },
];

describe('serverless policies', () => {
  describePolicyCases(SERVERLESS_CASES);
});
