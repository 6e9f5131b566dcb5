import type { DeploymentStage } from './ledger-records';

/**
 * One line for people about a recorded ECS deployment stage:
 * `PRODUCTION_TRAFFIC_SHIFT (IN_PROGRESS): production 10%, test 100%, bake ~840 s left (estimate)`.
 * The engine says it as it follows the deployment; a reader later (the board) says when the bake
 * left was estimated (`asRecorded`), since the stage has moved on since.
 */
export function describeStage(s: DeploymentStage, opts: { asRecorded?: boolean } = {}): string {
  const split = [
    s.production !== null ? `production ${s.production}%` : null,
    s.test !== null ? `test ${s.test}%` : null,
  ].filter(Boolean);
  const bake = opts.asRecorded ? `left at ${s.at}` : 'left (estimate)';
  return (
    `${s.stage} (${s.status})${split.length ? `: ${split.join(', ')}` : ''}` +
    (s.bakeLeftSeconds !== null ? `, bake ~${s.bakeLeftSeconds} s ${bake}` : '') +
    (s.awaitingApproval ? ', awaiting approval' : '') +
    (s.judgement ? `; judged ${s.judgement.verdict}: ${s.judgement.reason}` : '')
  );
}
