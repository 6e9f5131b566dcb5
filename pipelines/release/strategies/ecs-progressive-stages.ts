/**
 * A progressive run's stages as they happen (./ecs-progressive-run.ts): its Grafana stage marks, and
 * the stage records `tdr approve` / `tdr rollback` write for the held run they follow.
 */
import type { WorkloadEnvironmentName } from '../../../services/environments';
import { ledgerOf, type ReleaseDeps } from '../saga/context';
import type { DeploymentStage, LedgerRecord, NewRecord, ReleaseRecord } from '../ledger/ledger';
import { describeStage } from '../ledger/stage-line';
import { markStage, type NotificationReport } from '../notify';
import { stageKey } from './ecs-progressive';

/**
 * Grafana marks of a run's stages, sent while the follower goes on (a slow Grafana holds up no
 * stage), each bounded by the notifier's timeout, and awaited before the command ends. A mark that
 * fails is reported in the log and fails nothing.
 */
export class StageMarks {
  private readonly pending: Promise<NotificationReport>[] = [];
  constructor(
    private readonly deps: Pick<ReleaseDeps, 'notifier' | 'now'>,
    private readonly env: WorkloadEnvironmentName,
    private readonly version: string,
    private readonly log: (line: string) => void,
  ) {}

  mark(service: string, stage: DeploymentStage): void {
    const sent = markStage(
      {
        service,
        env: this.env,
        version: this.version,
        stage: stage.stage,
        text: describeStage(stage),
        time: new Date(Date.parse(stage.at)),
      },
      this.deps.notifier,
    ).then((r) => {
      if (r.status !== 'not configured')
        this.log(`stage mark ${stage.stage} in grafana: ${r.status} (${r.detail})`);
      return r;
    });
    this.pending.push(sent);
  }

  /** Every mark sent, once each answered or timed out. */
  async settled(): Promise<NotificationReport[]> {
    return Promise.all(this.pending);
  }
}

/** Stage records of the held run, as the follower that started it writes them. */
export function heldStageRecords(
  deps: ReleaseDeps,
  h: {
    run: ReleaseRecord;
    recorded: Partial<ReleaseRecord>;
    stages: readonly DeploymentStage[];
    known: { lastSeq: number; records: LedgerRecord[] };
    marks: StageMarks;
    log: (l: string) => void;
  },
) {
  const written: number[] = [];
  const { seq: _s, recordedAt: _r, schema: _c, stage: _stage, ...base } = h.run;
  const onStage = async (stage: DeploymentStage) => {
    const rec = await ledgerOf(deps).append(
      {
        ...base,
        ...h.recorded,
        outcome: 'started',
        detail: `stage ${describeStage(stage)}`,
        stage,
        stages: [...h.stages],
      } as NewRecord,
      h.known,
    );
    h.known.records.push(rec);
    h.known.lastSeq = rec.seq;
    written.push(rec.seq);
    h.log(`ledger #${rec.seq}: stage ${stageKey(stage)}`);
    h.marks.mark(h.run.service, stage);
  };
  return { onStage, written };
}
