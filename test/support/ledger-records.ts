/**
 * Hand-built ledgers for the report's tests and benchmark: release runs (a `started` record and
 * its outcome, as the release engine writes them) and check records, sequenced per service ×
 * environment like the real ledger.
 */
import { createHash } from 'node:crypto';
import type { CheckRecord, LedgerRecord, ReleaseRecord } from '../../pipelines/release/ledger/ledger';
import type { ServiceLedgers } from '../../pipelines/report/runs';

/** The digest a version's build gets unless a test says otherwise: the same in every environment. */
export function digestOfVersion(service: string, version: string): string {
  return `sha256:${createHash('sha256').update(`${service}@${version}`).digest('hex')}`;
}

export interface RunSpec {
  readonly service: string;
  readonly env: string;
  readonly version: string;
  /** When it started; a Date or ISO text. */
  readonly at: Date | string;
  /** null leaves the run open (a `started` record only). */
  readonly outcome: ReleaseRecord['outcome'] | null;
  readonly minutes?: number;
  readonly digest?: string;
  readonly action?: ReleaseRecord['action'];
  readonly actor?: string;
  readonly approver?: string | null;
  readonly reason?: string | null;
  readonly detail?: string | null;
  readonly gates?: ReleaseRecord['gates'];
  readonly buildUrl?: string | null;
  readonly breakGlass?: boolean;
  readonly sourceEnv?: string | null;
}

export class LedgerBuilder {
  private readonly cells: Record<string, Record<string, LedgerRecord[]>> = {};
  private runs = 0;

  get ledgers(): ServiceLedgers {
    return this.cells;
  }

  run(spec: RunSpec): this {
    const startedAt = new Date(spec.at);
    const finishedAt = new Date(startedAt.getTime() + (spec.minutes ?? 5) * 60_000);
    const digest = spec.digest ?? digestOfVersion(spec.service, spec.version);
    const base: Omit<ReleaseRecord, 'seq' | 'recordedAt' | 'outcome' | 'finishedAt'> = {
      schema: 1,
      kind: 'release',
      runId: `run-${++this.runs}`,
      action: spec.action ?? (spec.env === 'intg' ? 'deploy' : 'promote'),
      service: spec.service,
      env: spec.env,
      version: spec.version,
      digest,
      image: `123456789012.dkr.ecr.eu-west-2.amazonaws.com/${spec.service}@${digest}`,
      gitCommit: null,
      taskDefinitionBefore: null,
      taskDefinitionAfter: null,
      approver: spec.approver ?? null,
      buildUrl: spec.buildUrl ?? null,
      sourceEnv: spec.sourceEnv ?? null,
      reason: spec.reason ?? null,
      breakGlass: spec.breakGlass ?? false,
      gates: spec.gates ?? [],
      actor: spec.actor ?? 'alice',
      startedAt: startedAt.toISOString(),
      detail: null,
      settles: null,
    };
    this.push({ ...base, outcome: 'started', finishedAt: null }, startedAt);
    if (spec.outcome && spec.outcome !== 'started') {
      this.push(
        { ...base, outcome: spec.outcome, finishedAt: finishedAt.toISOString(), detail: spec.detail ?? null },
        finishedAt,
      );
    }
    return this;
  }

  check(spec: {
    service: string;
    env: string;
    version: string;
    name: string;
    result: CheckRecord['result'];
    at: Date | string;
    digest?: string;
  }): this {
    const at = new Date(spec.at);
    this.push(
      {
        schema: 1,
        kind: 'check',
        service: spec.service,
        env: spec.env,
        version: spec.version,
        digest: spec.digest ?? digestOfVersion(spec.service, spec.version),
        actor: 'jenkins',
        name: spec.name,
        result: spec.result,
        url: null,
      },
      at,
    );
    return this;
  }

  private push(
    record: Omit<ReleaseRecord, 'seq' | 'recordedAt'> | Omit<CheckRecord, 'seq' | 'recordedAt'>,
    at: Date,
  ): void {
    const cell = ((this.cells[record.service] ??= {})[record.env] ??= []);
    cell.push({ ...record, seq: cell.length + 1, recordedAt: at.toISOString() } as LedgerRecord);
  }
}
