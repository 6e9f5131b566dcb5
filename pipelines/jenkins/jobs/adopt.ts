/**
 * ledger-adopt: day one in the ledger, one job per environment on the promotion path. A stand-up
 * starts every service from its image tagged `initial` and every function from its `v1` package,
 * and no release recorded them; `tdr ledger adopt --env E` records what runs as the environment's
 * baseline (pipelines/release/admin/adopt.ts). It runs on the environment's own agent because only
 * that agent's node role may assume the environment's update role (infra/definitions/jenkins.ts);
 * an administrator cannot run it from a laptop. The stand-up plan's "Day one" step says to build
 * it once per environment after the seed; a second build adopts nothing (every row `recorded`).
 */
import type { EnvironmentName } from '../../../services/environments';
import { runInstalledTdr, tdrLedgerAdopt } from '../tdr-commands';
import { runnableBy, type Contribution, type JobContext } from './context';
import { agentStage, definePipeline } from './skeleton';

/** The job's path, which the stand-up plan names. */
export const ledgerAdoptJobPath = (target: EnvironmentName): string => `${target}/ledger-adopt`;

export function ledgerAdoptJob(ctx: JobContext, target: EnvironmentName): Contribution {
  const id = `ledger-adopt-${target}`;
  return {
    pipelines: [
      definePipeline(ctx, {
        id,
        title: `Adopt the stand-up's baseline in ${target}`,
        environment: target,
        timeoutHours: 1,
        disableConcurrentBuilds: true,
        stages: [agentStage('Adopt', target, [runInstalledTdr(tdrLedgerAdopt({ env: target }))])],
      }),
    ],
    jobs: [
      {
        path: ledgerAdoptJobPath(target),
        kind: 'ledger-adopt',
        description:
          `Once, after the first stand-up: records what the stand-up started in ${target} (images tagged initial, v1 packages) ` +
          'as its baseline in the release ledger, where no release is recorded yet; run again, it adopts nothing',
        environment: target,
        parameters: [],
        triggers: [],
        pipeline: id,
        // Whoever may release there: it only records what already runs, where nothing is recorded.
        runnableBy: runnableBy(ctx, target),
      },
    ],
  };
}
