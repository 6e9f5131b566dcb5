/**
 * `tdr train plan` (issue 26): what runs in the source environment and differs from the target,
 * per the ledger (service digests, function SHA-256s, and the tasks a release must run), each
 * member with its gate verdicts, in the catalogue's dependency order. Rejected versions are left
 * out, saying why. The train's id is a hash of its members: the same set is the same train, and
 * its plan is recorded once in the ledger, so "what was tested together" is a fact.
 */
import { createHash } from 'node:crypto';
import { WORKLOAD_ENVIRONMENTS, type WorkloadEnvironmentName } from '../../../services/environments';
import { trainOrder } from '../../../services/train-order';
import { TRAIN_ID_HINT, TRAIN_ID_PATTERN } from '../../../services/train-id';
import { ledgerOf, workloadEnv, type ReleaseDeps } from '../saga/context';
import { ReleaseInputError } from '../errors';
import { evaluateGates, rejectionVerdict, versionVerdict } from '../saga/gates';
import {
  REJECTIONS_STREAM,
  TRAIN_SUBJECT,
  currentRelease,
  type LedgerRecord,
  type TaskRunRecord,
  type TrainMember,
  type TrainRecord,
} from '../ledger/ledger';
import type { GateVerdict } from '../verdict';

export interface TrainRequest {
  readonly from: string;
  readonly to: string;
}

export interface TrainPlan {
  readonly trainId: string;
  readonly from: WorkloadEnvironmentName;
  readonly to: WorkloadEnvironmentName;
  readonly members: readonly TrainMember[];
  readonly leftOut: TrainRecord['leftOut'];
  /** The plan's ledger record (train stream of `to`): new, or the one this same set already has. */
  readonly seq: number;
}

/** A train goes one promotion step: `to` is promoted from `from` (exit 2 otherwise). */
export function validateTrain(deps: Pick<ReleaseDeps, 'platform'>, req: TrainRequest): void {
  const from = workloadEnv(req.from);
  const to = workloadEnv(req.to);
  const source = deps.platform.environments[to].promotion?.source;
  if (source !== from)
    throw new ReleaseInputError(
      `from: ${to} is promoted from ${source ?? 'nowhere'}, not ${from}; valid: --from ${source} --to ${to} (${WORKLOAD_ENVIRONMENTS.join(', ')})`,
    );
}

/** What a task's stream says ran last with success (a task has no "live", only its last run). */
function lastTaskRun(records: readonly LedgerRecord[]): TaskRunRecord | undefined {
  return records.filter((r): r is TaskRunRecord => r.kind === 'task' && r.outcome === 'succeeded').at(-1);
}

/** The members' content: what the id hashes (order, names, versions, digests). */
export function trainIdOf(from: string, to: string, members: readonly TrainMember[]): string {
  const content = JSON.stringify([from, to, members.map((m) => [m.name, m.kind, m.version, m.digest])]);
  return `train-${createHash('sha256').update(content).digest('hex').slice(0, 16)}`;
}

/** Reads the ledger, decides the members, records the plan (once per id). */
export async function planTrain(
  deps: Pick<ReleaseDeps, 'clients' | 'platform' | 'now'>,
  req: TrainRequest & { readonly actor: string },
): Promise<TrainPlan> {
  validateTrain(deps, req);
  const from = workloadEnv(req.from);
  const to = workloadEnv(req.to);
  const { catalogue } = deps.platform;
  const candidates = Object.entries(catalogue).flatMap(([name, e]) =>
    e.kind === 'service' || e.kind === 'lambda' || (e.kind === 'task' && e.runOnRelease === true)
      ? [{ name, kind: e.kind }]
      : [],
  );
  const ledger = ledgerOf(deps);
  const [identity, views] = await Promise.all([
    deps.clients.callerIdentity(),
    Promise.all(
      candidates.map(async (c) => {
        const [upstream, here, rejections] = await Promise.all(
          [from, to, REJECTIONS_STREAM].map((s) => ledger.view(c.name, s).then((v) => v.records)),
        );
        return { ...c, upstream: upstream ?? [], here: here ?? [], rejections: rejections ?? [] };
      }),
    ),
  ]);
  const members: TrainMember[] = [];
  const leftOut: TrainRecord['leftOut'] = [];
  for (const c of views) {
    const decided = memberOf(deps, { ...c, to, identity, actor: req.actor });
    if (decided && 'why' in decided) leftOut.push(decided);
    else if (decided) members.push(decided);
  }
  const order = trainOrder(
    catalogue,
    members.map((m) => m.name),
  );
  members.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
  const trainId = trainIdOf(from, to, members);
  const stream = await ledger.view(TRAIN_SUBJECT, to);
  const known = stream.records.find(
    (r): r is TrainRecord => r.kind === 'train' && r.action === 'plan' && r.version === trainId,
  );
  if (known || members.length === 0) return { trainId, from, to, members, leftOut, seq: known?.seq ?? 0 };
  const rec = await ledger.append(
    {
      kind: 'train',
      service: TRAIN_SUBJECT,
      env: to,
      version: trainId,
      digest: '',
      actor: req.actor,
      action: 'plan',
      outcome: 'recorded',
      runId: null,
      sourceEnv: from,
      members,
      leftOut,
      progress: [],
      detail: null,
      identity,
      overrides: [...deps.platform.overrides],
    },
    stream,
  );
  return { trainId, from, to, members, leftOut, seq: rec.seq };
}

/** The recorded plan of `trainId` in `to`'s train stream, and the stream's records. */
export async function recordedTrain(
  deps: Pick<ReleaseDeps, 'clients' | 'now'>,
  to: string,
  trainId: string,
): Promise<{ plan: TrainRecord; records: readonly LedgerRecord[]; lastSeq: number }> {
  if (!TRAIN_ID_PATTERN.test(trainId))
    throw new ReleaseInputError(
      `train: ${JSON.stringify(trainId.slice(0, 40))} is not a train id (${TRAIN_ID_HINT})`,
    );
  const view = await ledgerOf(deps).view(TRAIN_SUBJECT, to);
  const plan = view.records.find(
    (r): r is TrainRecord => r.kind === 'train' && r.action === 'plan' && r.version === trainId,
  );
  if (!plan)
    throw new ReleaseInputError(
      `train: no plan of ${trainId} recorded for ${to}: tdr train plan --to ${to} first`,
    );
  return { plan, records: view.records, lastSeq: view.lastSeq };
}

interface Candidate {
  readonly name: string;
  readonly kind: TrainMember['kind'];
  readonly upstream: readonly LedgerRecord[];
  readonly here: readonly LedgerRecord[];
  readonly rejections: readonly LedgerRecord[];
  readonly to: WorkloadEnvironmentName;
  readonly identity: string;
  readonly actor: string;
}

/**
 * A candidate as a member (what ran upstream differs from the target), as left out (rejected), or
 * null (nothing ran upstream, or the same digest runs in both).
 */
function memberOf(
  deps: Pick<ReleaseDeps, 'clients' | 'platform' | 'now'>,
  c: Candidate,
): TrainMember | TrainRecord['leftOut'][number] | null {
  const to = c.to;
  const isTask = c.kind === 'task';
  const src = isTask ? lastTaskRun(c.upstream) : currentRelease(c.upstream);
  if (!src) return null;
  const dst = isTask ? lastTaskRun(c.here) : currentRelease(c.here);
  if (dst?.digest === src.digest) return null;
  const rejected = rejectionVerdict(c.rejections, c.name, src.version);
  if (!rejected.ok) return { name: c.name, version: src.version, why: rejected.detail };
  const gates: GateVerdict[] = isTask
    ? [versionVerdict(deps.platform.environments[to], src.version), rejected]
    : evaluateGates({
        action: 'promote',
        service: c.name,
        target: deps.platform.environments[to],
        version: src.version,
        digest: src.digest,
        actor: c.actor,
        identity: c.identity,
        buildUrl: null,
        mgmtAccount: deps.clients.accountIds.mgmt,
        breakGlass: false,
        reason: null,
        now: deps.now(),
        upstream: c.upstream,
        here: c.here,
        rejections: c.rejections,
        // The train's one approval stands for every member's (`tdr train approve`).
      }).filter((g) => g.gate !== 'approval');
  return {
    name: c.name,
    kind: c.kind,
    version: src.version,
    digest: src.digest,
    before: dst ? { version: dst.version, digest: dst.digest } : null,
    gates: gates.map(({ gate, ok, detail }) => ({ gate, ok, detail })),
  };
}
