/**
 * CrossGuard rules for the serverless backend: an asynchronously invoked function never drops a
 * failed event, every state machine logs its executions, function roles name every action they
 * allow, and `pulumi up` never rolls a function release back.
 */
import * as aws from '@pulumi/aws';
import {
  validateResourceOfType,
  type PolicyResource,
  type ResourceValidationPolicy,
  type StackValidationPolicy,
} from '@pulumi/policy';
import { list, statementsOf } from './documents';
import type { TdrPolicy } from './evaluate';

/** Services that invoke a function asynchronously (Lambda queues the event and retries it). */
const ASYNC_INVOKERS = new Set(['s3.amazonaws.com', 'events.amazonaws.com', 'sns.amazonaws.com']);

/** `tdr-x-intg`, `arn:…:function:tdr-x-intg` or `arn:…:function:tdr-x-intg:live` → `tdr-x-intg`. */
export function functionNameOf(ref: unknown): string {
  const text = String(ref ?? '');
  return text.startsWith('arn:') ? (text.split(':')[6] ?? '') : text;
}

const ofType = (resources: readonly PolicyResource[], type: string) =>
  resources.filter((r) => r.type === type);

export const lambdaAsyncFailureDestination: StackValidationPolicy = {
  name: 'lambda-async-failure-destination',
  description:
    'A function invoked asynchronously (S3, EventBridge, SNS) sends failed events to a dead-letter queue or an on-failure destination.',
  enforcementLevel: 'mandatory',
  validateStack: (args, report) => {
    const configs = ofType(args.resources, 'aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig');
    const fns = ofType(args.resources, 'aws:lambda/function:Function');
    const covered = (name: string) =>
      configs.some(
        (c) =>
          functionNameOf(c.props.functionName) === name &&
          Boolean(
            (c.props.destinationConfig as { onFailure?: { destination?: string } } | undefined)?.onFailure
              ?.destination,
          ),
      ) ||
      fns.some(
        (f) =>
          f.props.name === name &&
          Boolean((f.props.deadLetterConfig as { targetArn?: string } | undefined)?.targetArn),
      );
    for (const p of ofType(args.resources, 'aws:lambda/permission:Permission')) {
      if (!ASYNC_INVOKERS.has(String(p.props.principal))) continue;
      const name = functionNameOf(p.props.function);
      if (!covered(name))
        report(
          `${name} is invoked asynchronously by ${String(p.props.principal)} but has no dead-letter queue or on-failure destination: failed events would be dropped`,
          p.urn,
        );
    }
  },
};

export const stateMachineLogs: ResourceValidationPolicy = {
  name: 'sfn-logs-executions',
  description: 'Every Step Functions state machine logs its executions to CloudWatch Logs.',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(aws.sfn.StateMachine, (props, _args, report) => {
    const logging = props.loggingConfiguration;
    if (!logging?.level || logging.level === 'OFF') report('does not log its executions (logging level OFF)');
    else if (!logging.logDestination) report('has no log group to log to');
  }),
};

export const lambdaRoleNamedActions: StackValidationPolicy = {
  name: 'lambda-role-named-actions',
  description:
    'Function roles allow named actions only: no `*` anywhere in an action (not even `s3:Get*`), so a function can do exactly what its triggers and targets need.',
  enforcementLevel: 'mandatory',
  validateStack: (args, report) => {
    const lambdaRoles = new Set(
      ofType(args.resources, 'aws:iam/role:Role')
        .filter((r) =>
          statementsOf(r.props.assumeRolePolicy).some((s) =>
            list((s.Principal as { Service?: unknown } | undefined)?.Service).includes(
              'lambda.amazonaws.com',
            ),
          ),
        )
        .map((r) => String(r.props.name ?? r.props.id)),
    );
    for (const p of ofType(args.resources, 'aws:iam/rolePolicy:RolePolicy')) {
      if (!lambdaRoles.has(String(p.props.role))) continue;
      for (const s of statementsOf(p.props.policy)) {
        const wild = list(s.Action).filter((a) => a.includes('*'));
        if (s.Effect === 'Allow' && wild.length > 0)
          report(
            `function role ${String(p.props.role)}: statement ${s.Sid ?? '(no Sid)'} allows ${wild.join(', ')}`,
            p.urn,
          );
      }
    }
  },
};

export const lambdaReleaseOwned: ResourceValidationPolicy = {
  name: 'lambda-ignores-release-owned-properties',
  description:
    'Functions ignore changes to their code and the live alias to its version: releases move them, and infra must not roll a release back.',
  enforcementLevel: 'mandatory',
  validateResource: (args, report) => {
    const owned =
      args.type === 'aws:lambda/function:Function'
        ? ['s3Key']
        : args.type === 'aws:lambda/alias:Alias'
          ? ['functionVersion']
          : args.notApplicable('functions and aliases only');
    const missing = owned.filter((p) => !args.opts.ignoreChanges.includes(p));
    if (missing.length > 0) report(`does not ignore changes to ${missing.join(', ')}`);
  },
};

export const SERVERLESS_POLICIES: readonly TdrPolicy[] = [
  lambdaAsyncFailureDestination,
  stateMachineLogs,
  lambdaRoleNamedActions,
  lambdaReleaseOwned,
];
