/**
 * What the release ledger holds: one JSON record per event, their schemas (schema 1, readable
 * forever: fields added since are optional), their keys, and the pure queries over one
 * service × environment's records that the gates, the saga and `status` ask.
 */
import { z } from 'zod';
import { PlatformError } from '../../../services/errors';
import { naming } from '../../../services/naming';

/**
 * The reason every baseline record carries (`tdr ledger adopt`, ../admin/adopt.ts): what the
 * stand-up started, written down after the fact. Not a deployment: the delivery metrics must not
 * count one (issue 22), and only records tell one apart, so the constant lives with them.
 */
export const BASELINE_REASON = 'baseline: what the stand-up started, adopted by tdr ledger adopt';

/** A release record `tdr ledger adopt` wrote (by its reason; older baselines carry the same one). */
export function isBaseline(record: { readonly kind: string; readonly reason?: unknown }): boolean {
  return record.kind === 'release' && record.reason === BASELINE_REASON;
}

export const RELEASE_ACTIONS = ['deploy', 'promote', 'rollback'] as const;
export type ReleaseAction = (typeof RELEASE_ACTIONS)[number];
export const RELEASE_OUTCOMES = ['started', 'succeeded', 'failed', 'rolled_back'] as const;
export type ReleaseOutcome = (typeof RELEASE_OUTCOMES)[number];

const gateSummary = z.object({ gate: z.string(), ok: z.boolean(), detail: z.string() });

const common = {
  schema: z.literal(1),
  seq: z.number().int().positive(),
  service: z.string(),
  env: z.string(),
  version: z.string(),
  digest: z.string(),
  actor: z.string(),
  recordedAt: z.string(),
  /**
   * One per append (records written before it existed have none): a write whose reply was lost is
   * recognised as the writer's own when read back, so it is never written twice.
   */
  writeId: z.string().optional(),
};

/** Who really acted and under which configuration (absent on records written before). */
const accountability = {
  /** The caller's AWS identity (`sts:GetCallerIdentity`); `actor` is only a display name. */
  identity: z.string().nullable().optional(),
  /** Every `TDR_CONFIG` override in force, `path=value`. */
  overrides: z.array(z.string()).optional(),
};

/**
 * One stage of an ECS service deployment as the engine saw it (DescribeServiceDeployments:
 * lifecycleStage, status, the target revision's requested traffic weights), with the judge's
 * verdict and evidence when it judged the step (pipelines/release/judge). Added for issue 25;
 * records before it have no `stages`.
 */
export const deploymentStageSchema = z.object({
  at: z.string(),
  stage: z.string(),
  status: z.string(),
  /** Percent of production (test) traffic on the new revision; null when ECS gave none. */
  production: z.number().nullable(),
  test: z.number().nullable(),
  /** Seconds of the step's bake left, estimated from the configuration and the stage's start. */
  bakeLeftSeconds: z.number().nullable(),
  awaitingApproval: z.boolean(),
  judgement: z
    .object({
      verdict: z.enum(['pass', 'fail', 'inconclusive']),
      reason: z.string(),
      /** The judge's plan and answers: queries, values, thresholds, window. */
      evidence: z.record(z.string(), z.unknown()).nullable(),
    })
    .optional(),
});
export type DeploymentStage = z.infer<typeof deploymentStageSchema>;

/** At most this many stages are kept on a record (a linear deployment at 3 % makes ~70). */
export const MAX_STAGES = 200;

/**
 * A function canary's course (strategies/lambda-canary.ts), on the run's records: the weight and
 * bake, each step with its time, every judgement's verdict, and the deciding judgement's whole
 * evidence (queries, values, thresholds, window) as the judge gave it.
 */
const judgementSummary = z.object({
  at: z.string(),
  verdict: z.enum(['pass', 'fail', 'inconclusive']),
  window: z.object({ start: z.string(), end: z.string(), seconds: z.number() }),
});
export const canaryCourseSchema = z.object({
  weightPercent: z.number(),
  bakeMinutes: z.number().int(),
  canaryVersion: z.string().nullable(),
  baselineVersion: z.string().nullable(),
  steps: z.array(z.object({ at: z.string(), step: z.string() })),
  judgements: z.array(judgementSummary),
  /** The judgement that decided (promote or roll back), whole; null until one did. */
  evidence: z.looseObject({ verdict: z.enum(['pass', 'fail', 'inconclusive']) }).nullable(),
});
export type CanaryCourse = z.infer<typeof canaryCourseSchema>;

export const releaseRecordSchema = z.object({
  ...common,
  kind: z.literal('release'),
  /** Links a run's `started` record with its outcome. */
  runId: z.string(),
  action: z.enum(RELEASE_ACTIONS),
  outcome: z.enum(RELEASE_OUTCOMES),
  image: z.string(),
  gitCommit: z.string().nullable(),
  taskDefinitionBefore: z.string().nullable(),
  taskDefinitionAfter: z.string().nullable(),
  approver: z.string().nullable(),
  buildUrl: z.string().nullable(),
  sourceEnv: z.string().nullable(),
  reason: z.string().nullable(),
  breakGlass: z.boolean(),
  gates: z.array(gateSummary),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  /** Why it failed, or how a crashed run was settled. */
  detail: z.string().nullable(),
  /** For a record that settles a crashed run: the sequence number of its `started` record. */
  settles: z.number().int().positive().nullable(),
  ...accountability,
  /** How the approval was verified (records before approvals were records have none). */
  approval: z
    .object({
      seq: z.number().int().positive(),
      via: z.enum(['sts', 'jenkins-input']),
      approver: z.string(),
      identity: z.string(),
      buildUrl: z.string().nullable(),
    })
    .nullable()
    .optional(),
  /** The gate settings checked (the target's promotion rules, after configuration). */
  gateSettings: z.record(z.string(), z.unknown()).optional(),
  /** Progressive delivery (issue 25): the ECS service deployment this run followed. */
  serviceDeployment: z.string().optional(),
  /** Progressive delivery: each stage the engine observed, oldest first. */
  stages: z.array(deploymentStageSchema).max(MAX_STAGES).optional(),
  /**
   * Progressive delivery: on a stage record (outcome `started`, one per distinct stage a run
   * reached: ../strategies/ecs-progressive.ts `stageKey`), the stage it was written for; `stages`
   * holds every stage so far. Readers before it see one more `started` record of an open run,
   * which they already take as one run (`unsettledRuns` keeps the newest).
   */
  stage: deploymentStageSchema.optional(),
  /** Progressive delivery: the CloudWatch alarms that rolled the deployment back. */
  rolledBackBy: z.array(z.string()).optional(),
  /**
   * Progressive delivery: what each alarm that rolled the deployment back said, as CloudWatch
   * DescribeAlarms gives it (StateReason, StateUpdatedTimestamp), beside ECS's own rollback reason
   * and start (ServiceDeployment.rollback); `error` when CloudWatch could not be asked.
   */
  alarmEvidence: z
    .object({
      ecsReason: z.string().nullable(),
      rollbackStartedAt: z.string().nullable(),
      alarms: z.array(
        z.object({
          name: z.string(),
          state: z.string().nullable(),
          stateReason: z.string().nullable(),
          stateUpdatedAt: z.string().nullable(),
        }),
      ),
      error: z.string().nullable(),
    })
    .optional(),
  /** A function canary's steps and judgements (records before canaries, and other releases, have none). */
  canary: canaryCourseSchema.optional(),
});
export type ReleaseRecord = z.infer<typeof releaseRecordSchema>;

export const checkRecordSchema = z.object({
  ...common,
  kind: z.literal('check'),
  name: z.string(),
  result: z.enum(['passed', 'failed']),
  url: z.string().nullable(),
  ...accountability,
});
export type CheckRecord = z.infer<typeof checkRecordSchema>;

/**
 * A run of a one-off task (`tdr task run`), under `records/{task}/{env}/`: `started` before
 * anything changes, `running` once ECS accepted the task (with its ARN), then the outcome with the
 * essential container's exit code and ECS's stop reason.
 */
export const TASK_RUN_OUTCOMES = ['started', 'running', 'succeeded', 'failed'] as const;
export type TaskRunOutcome = (typeof TASK_RUN_OUTCOMES)[number];

export const taskRunRecordSchema = z.object({
  ...common,
  kind: z.literal('task'),
  runId: z.string(),
  action: z.literal('task-run'),
  outcome: z.enum(TASK_RUN_OUTCOMES),
  image: z.string(),
  taskDefinitionBefore: z.string().nullable(),
  taskDefinition: z.string().nullable(),
  taskArn: z.string().nullable(),
  exitCode: z.number().int().nullable(),
  stopCode: z.string().nullable(),
  stopReason: z.string().nullable(),
  buildUrl: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  detail: z.string().nullable(),
  /** For a record that settles an open run (--no-wait, a crash): the sequence number it settles. */
  settles: z.number().int().positive().nullable(),
  ...accountability,
  /** The run's `--input` values by input name (runs recorded before inputs existed have none). */
  inputs: z.record(z.string(), z.union([z.string(), z.boolean()])).optional(),
});
export type TaskRunRecord = z.infer<typeof taskRunRecordSchema>;

/**
 * A lease broken by hand (`tdr lease break`): who broke whose, and why. `version` and `digest`
 * are empty: a lease is not of a version.
 */
export const leaseBreakRecordSchema = z.object({
  ...common,
  kind: z.literal('lease'),
  action: z.literal('break'),
  holder: z.string(),
  holderRunId: z.string(),
  expiresAt: z.string(),
  reason: z.string(),
  ...accountability,
});
export type LeaseBreakRecord = z.infer<typeof leaseBreakRecordSchema>;

/**
 * An approval to release `version` (its digest) into this environment, written by the approver
 * themself (`via: sts`, their AWS identity) or by Jenkins from its input step (`via:
 * jenkins-input`, the submitter's name and the build). The gate checks who it is, not this record.
 */
export const approvalRecordSchema = z.object({
  ...common,
  kind: z.literal('approval'),
  via: z.enum(['sts', 'jenkins-input']),
  /** The approver's name, NFKC-normalised: the STS session name, or Jenkins' input submitter. */
  approver: z.string(),
  identity: z.string(),
  /**
   * The IAM path of the approver's role (`iam:GetRole`), read where an approver entry has one
   * (SSO's `/aws-reserved/sso.amazonaws.com/`): STS names a session's role without its path.
   */
  rolePath: z.string().optional(),
  buildUrl: z.string().nullable(),
  overrides: z.array(z.string()).optional(),
});
export type ApprovalRecord = z.infer<typeof approvalRecordSchema>;

/** A listener rule as ELBv2's DescribeRules gives it; conditions and actions are kept whole. */
const listenerRuleSchema = z.object({
  RuleArn: z.string(),
  Priority: z.string(),
  Conditions: z.array(z.looseObject({})),
  Actions: z.array(z.looseObject({ Type: z.string() })),
  IsDefault: z.boolean().optional(),
});

export const MAINTENANCE_ACTIONS = ['maintenance-on', 'maintenance-off'] as const;
export type MaintenanceAction = (typeof MAINTENANCE_ACTIONS)[number];
export const MAINTENANCE_OUTCOMES = ['started', 'succeeded', 'failed'] as const;

/**
 * The maintenance switch of one environment (`tdr maintenance on|off`), under
 * `records/maintenance/{env}/`: `started` before the listener changes, then the outcome. "On" keeps
 * the listener's rules as they were (`savedRules`), and "off" puts back exactly those, from the
 * record (`restores` is its number), never recomputed. `version` and `digest` are empty.
 */
export const maintenanceRecordSchema = z.object({
  ...common,
  kind: z.literal('maintenance'),
  runId: z.string(),
  action: z.enum(MAINTENANCE_ACTIONS),
  outcome: z.enum(MAINTENANCE_OUTCOMES),
  /** Why (recorded on both; shown on the service-unavailable page for "on"). */
  reason: z.string(),
  listenerArn: z.string(),
  /** On: the listener's rules before it changed anything: what "off" restores. */
  savedRules: z.array(listenerRuleSchema).nullable(),
  /** On: the rule that answers 503; off: the rule it deleted. */
  maintenanceRule: z.string().nullable(),
  /** Off: the ledger number of the "on" record whose saved rules it restored. */
  restores: z.number().int().positive().nullable(),
  /** Off: rules that appeared while maintenance was on, left in place for a person to look at. */
  unexpectedRules: z.array(z.string()),
  buildUrl: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  detail: z.string().nullable(),
  settles: z.number().int().positive().nullable(),
  ...accountability,
  /** In an environment whose releases need approval: who approved it in Jenkins' input step. */
  approval: z
    .object({ via: z.literal('jenkins-input'), approver: z.string(), buildUrl: z.string().nullable() })
    .nullable(),
});
export type MaintenanceRecord = z.infer<typeof maintenanceRecordSchema>;

/**
 * The stream under one subject that holds its rejections (`records/{subject}/rejections/`): one
 * per subject, not per environment, since a rejected version is refused in every environment.
 * Readers written before rejections existed never list it, so they read on unchanged.
 */
export { REJECTIONS_STREAM } from '../../../services/naming';

/**
 * `tdr reject` / `tdr unreject` of one version of a service, function or task (issue 26): the
 * newest of these for a version says whether every gate refuses it. `env` is REJECTIONS_STREAM;
 * `digest` is empty (a version is rejected whatever it resolves to).
 */
export const rejectionRecordSchema = z.object({
  ...common,
  kind: z.literal('rejection'),
  action: z.enum(['reject', 'unreject']),
  reason: z.string(),
  /** The approver's name (as `tdr approve` records it) and their AWS identity. */
  approver: z.string(),
  identity: z.string(),
  rolePath: z.string().optional(),
  overrides: z.array(z.string()).optional(),
});
export type RejectionRecord = z.infer<typeof rejectionRecordSchema>;

/** The ledger subject release trains are recorded under (`records/train/{env}/`), per target environment. */
export { TRAIN_SUBJECT } from '../../../services/naming';

const trainMemberSchema = z.object({
  name: z.string(),
  kind: z.enum(['service', 'lambda', 'task']),
  version: z.string(),
  /** The image digest, or a function package's SHA-256, that ran in the source environment. */
  digest: z.string(),
  /** What the target ran before (null: nothing yet); what a joint rollback goes back to. */
  before: z.object({ version: z.string(), digest: z.string() }).nullable(),
  gates: z.array(gateSummary),
});

/**
 * A release train (issue 26): a content-addressed set of versions tested together in `sourceEnv`
 * (`version` holds the train id), planned, approved once, promoted in dependency order and rolled
 * back jointly. Each member's own records stay in its own stream; `progress` names them.
 */
export const trainRecordSchema = z.object({
  ...common,
  kind: z.literal('train'),
  action: z.enum(['plan', 'approve', 'promote', 'rollback']),
  outcome: z.enum(['recorded', 'started', 'progress', 'succeeded', 'failed', 'rolled_back']),
  runId: z.string().nullable(),
  sourceEnv: z.string(),
  members: z.array(trainMemberSchema),
  /** Left out of the plan, and why (a rejected version). */
  leftOut: z.array(z.object({ name: z.string(), version: z.string(), why: z.string() })),
  /** Per member acted on so far: what happened and its own ledger records. */
  progress: z.array(
    z.object({
      name: z.string(),
      action: z.string(),
      outcome: z.string(),
      ledger: z.array(z.number().int().positive()),
      detail: z.string().nullable(),
      /**
       * A member ECS held at its approval pause that the train continued under its own approval
       * (../train/held.ts): who approved, when, and the approval record. Optional: schema 1.
       */
      continued: z
        .object({ approver: z.string(), approvedAt: z.string(), approval: z.number().int().positive() })
        .optional(),
    }),
  ),
  detail: z.string().nullable(),
  ...accountability,
});
export type TrainRecord = z.infer<typeof trainRecordSchema>;
export type TrainMember = z.infer<typeof trainMemberSchema>;

export const ledgerRecordSchema = z.discriminatedUnion('kind', [
  releaseRecordSchema,
  checkRecordSchema,
  taskRunRecordSchema,
  leaseBreakRecordSchema,
  approvalRecordSchema,
  maintenanceRecordSchema,
  rejectionRecordSchema,
  trainRecordSchema,
]);
export type LedgerRecord =
  | ReleaseRecord
  | CheckRecord
  | TaskRunRecord
  | LeaseBreakRecord
  | ApprovalRecord
  | MaintenanceRecord
  | RejectionRecord
  | TrainRecord;

type Unrecorded<T> = Omit<T, 'seq' | 'recordedAt' | 'schema'>;
/** What a writer supplies; the ledger adds `seq` and `recordedAt`. */
export type NewRecord =
  | Unrecorded<ReleaseRecord>
  | Unrecorded<CheckRecord>
  | Unrecorded<TaskRunRecord>
  | Unrecorded<LeaseBreakRecord>
  | Unrecorded<ApprovalRecord>
  | Unrecorded<MaintenanceRecord>
  | Unrecorded<RejectionRecord>
  | Unrecorded<TrainRecord>;

const SEQ_DIGITS = 10;

export function recordKey(service: string, env: string, seq: number): string {
  return `${recordPrefix(service, env)}${String(seq).padStart(SEQ_DIGITS, '0')}.json`;
}

export function recordPrefix(service: string, env: string): string {
  return naming.ledgerRecordPrefix(service, env);
}
/** A record that does not parse: it degrades what reads it, never the whole ledger. */
export class MalformedRecordError extends PlatformError {
  readonly kind = 'failed';
  constructor(message: string) {
    super(message);
    this.name = 'MalformedRecordError';
  }
}

/** Too many writers raced for the next sequence number. */
export class LedgerContentionError extends PlatformError {
  readonly kind = 'conflict';
  constructor(message: string) {
    super(message);
    this.name = 'LedgerContentionError';
  }
}

export function seqOfKey(key: string): number {
  const m = /(\d+)\.json$/.exec(key);
  return m ? Number(m[1]) : 0;
}

export function lastSeq(records: readonly LedgerRecord[]): number {
  return records.reduce((max, r) => Math.max(max, r.seq), 0);
}

// ---- Queries over one service × environment's records (pure) ----

export function releaseRecords(records: readonly LedgerRecord[]): ReleaseRecord[] {
  return records.filter((r): r is ReleaseRecord => r.kind === 'release');
}

/** The record that says what is live: the newest successful release. */
export function currentRelease(records: readonly LedgerRecord[]): ReleaseRecord | undefined {
  return releaseRecords(records)
    .filter((r) => r.outcome === 'succeeded')
    .at(-1);
}

/**
 * `started` records with no outcome: runs that crashed (or are still running, or are held by ECS
 * for an approval). A run that wrote `started` more than once (progressive delivery records its
 * stages so far when ECS pauses it) is one run: its newest `started` record stands for it.
 */
export function unsettledRuns(records: readonly LedgerRecord[]): ReleaseRecord[] {
  const releases = releaseRecords(records);
  const finished = new Set(releases.filter((r) => r.outcome !== 'started').map((r) => r.runId));
  const newest = new Map<string, ReleaseRecord>();
  // In the order of each run's newest record: what a compacted ledger (the newest record of each
  // run) gives too, so the whole history and a head answer alike (`.at(-1)` is the same run).
  for (const r of releases)
    if (r.outcome === 'started' && !finished.has(r.runId)) {
      newest.delete(r.runId);
      newest.set(r.runId, r);
    }
  return [...newest.values()];
}

/** The newest successful release of `version`, if any. */
export function succeededRelease(
  records: readonly LedgerRecord[],
  version: string,
): ReleaseRecord | undefined {
  return releaseRecords(records)
    .filter((r) => r.outcome === 'succeeded' && r.version === version)
    .at(-1);
}

/** The newest result of check `name` for `digest`. */
export function latestCheck(
  records: readonly LedgerRecord[],
  name: string,
  digest: string,
): CheckRecord | undefined {
  return records
    .filter((r): r is CheckRecord => r.kind === 'check' && r.name === name && r.digest === digest)
    .at(-1);
}

/**
 * What is live (the newest success) and since when without a break: the first success of the
 * same digest after any other's. Soak time and the checks that count run from `since`.
 */
export function liveStint(
  records: readonly LedgerRecord[],
): { readonly current: ReleaseRecord; readonly since: ReleaseRecord } | undefined {
  const succeeded = releaseRecords(records).filter((r) => r.outcome === 'succeeded');
  const current = succeeded.at(-1);
  if (!current) return undefined;
  let since = current;
  for (let i = succeeded.length - 2; i >= 0; i--) {
    const r = succeeded[i] as ReleaseRecord;
    if (r.digest !== current.digest) break;
    since = r;
  }
  return { current, since };
}

/**
 * Why `version` may no longer be gone back to here, or null: after its newest success it was
 * rolled back (the next success was a rollback to another version), or a later attempt of it
 * failed or was rolled back.
 */
export function lostStanding(records: readonly LedgerRecord[], version: string): string | null {
  const finals = releaseRecords(records).filter((r) => r.outcome !== 'started');
  const last = finals.filter((r) => r.version === version && r.outcome === 'succeeded').at(-1);
  if (!last) return `${version} never succeeded here`;
  const after = finals.filter((r) => r.seq > last.seq);
  const next = after.find((r) => r.outcome === 'succeeded');
  if (next && next.action === 'rollback' && next.version !== version)
    return `${version} was rolled back (ledger #${next.seq})`;
  const failed = after.find((r) => r.version === version);
  if (failed && failed.outcome !== 'succeeded')
    return `${version} ${failed.outcome.replace('_', ' ')} here afterwards (ledger #${failed.seq})`;
  return null;
}

/** Approvals of `digest` here not yet used by a run (none started for it since). */
export function openApprovals(records: readonly LedgerRecord[], digest: string): ApprovalRecord[] {
  const lastRun = releaseRecords(records)
    .filter((r) => r.digest === digest && r.action !== 'rollback')
    .at(-1);
  return records
    .filter((r): r is ApprovalRecord => r.kind === 'approval' && r.digest === digest)
    .filter((a) => !lastRun || a.seq > lastRun.seq)
    .reverse();
}

/**
 * Whether maintenance is on, from the maintenance ledger of one environment: the newest switch
 * that succeeded, if it was "on" (its record holds the rules "off" restores). `compact` keeps that
 * record whatever came after it, so this holds on a head's compacted view.
 */
export function maintenanceOn(records: readonly LedgerRecord[]): MaintenanceRecord | undefined {
  const last = records
    .filter((r): r is MaintenanceRecord => r.kind === 'maintenance' && r.outcome === 'succeeded')
    .at(-1);
  return last?.action === 'maintenance-on' ? last : undefined;
}

/** The rejection in force for `version` (its newest reject, not undone by an unreject since), if any. */
export function rejectionOf(records: readonly LedgerRecord[], version: string): RejectionRecord | undefined {
  const last = records
    .filter((r): r is RejectionRecord => r.kind === 'rejection' && r.version === version)
    .at(-1);
  return last?.action === 'reject' ? last : undefined;
}

/** Every version rejected now, newest first. */
export function rejectedVersions(records: readonly LedgerRecord[]): RejectionRecord[] {
  const newest = new Map<string, RejectionRecord>();
  for (const r of records) if (r.kind === 'rejection') newest.set(r.version, r);
  return [...newest.values()].filter((r) => r.action === 'reject').sort((a, b) => b.seq - a.seq);
}

/** `v42` → 42; NaN for anything else. */
export function versionNumber(version: string): number {
  return /^v\d+$/.test(version) ? Number(version.slice(1)) : NaN;
}
