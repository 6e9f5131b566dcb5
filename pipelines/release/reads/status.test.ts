/** statusRow is pure: the ledger records and what ECS runs in, one row out. */
import { expect } from 'chai';
import type { LedgerRecord, ReleaseRecord } from '../ledger/ledger';
import { age, rolloutOf, statusRow } from './status';

const D = (n: number) => `sha256:${String(n).repeat(64)}`;
let seq = 0;
function rel(
  version: string,
  outcome: ReleaseRecord['outcome'],
  digest: string,
  td: string | null,
  runId = `r${seq + 1}`,
): ReleaseRecord {
  seq++;
  return {
    schema: 1,
    seq,
    kind: 'release',
    runId,
    action: 'deploy',
    outcome,
    service: 'frontend',
    env: 'staging',
    version,
    digest,
    image: `repo@${digest}`,
    gitCommit: null,
    taskDefinitionBefore: null,
    taskDefinitionAfter: td,
    approver: null,
    buildUrl: null,
    sourceEnv: null,
    reason: null,
    breakGlass: false,
    gates: [],
    actor: 'bob',
    startedAt: '2026-11-25T08:00:00Z',
    finishedAt: outcome === 'started' ? null : '2026-11-25T08:00:00Z',
    detail: null,
    settles: null,
    recordedAt: '2026-11-25T08:00:00Z',
  };
}
const ecs = (digest: string | null, td: string | null) => ({
  taskDefinition: td,
  image: digest ? `repo@${digest}` : null,
  digest,
  running: 1,
  desired: 1,
  rolloutState: 'COMPLETED',
  rollout: 'COMPLETED',
});
const NOW = new Date('2026-11-25T10:30:00Z');

describe('status row', () => {
  it('agrees when ECS runs what the ledger says, with age and who', () => {
    const here = [rel('v2', 'started', D(2), null, 'a'), rel('v2', 'succeeded', D(2), 'td:2', 'a')];
    const row = statusRow('frontend', 'staging', here, [], 'intg', ecs(D(2), 'td:2'), NOW);
    expect(row).to.deep.include({
      version: 'v2',
      digest: D(2),
      deployedBy: 'bob',
      ageMinutes: 150,
      drift: [],
      unsettled: [],
    });
    expect(age(row.ageMinutes)).to.equal('2h');
  });

  it('reports drift in the image and in the task definition', () => {
    const here = [rel('v2', 'succeeded', D(2), 'td:2')];
    expect(statusRow('frontend', 'staging', here, null, null, ecs(D(3), 'td:2'), NOW).drift).to.have.length(
      1,
    );
    expect(statusRow('frontend', 'staging', here, null, null, ecs(D(2), 'td:9'), NOW).drift[0]).to.contain(
      'ECS uses td:9',
    );
    expect(statusRow('frontend', 'staging', [], null, null, ecs(D(2), 'td:1'), NOW).drift[0]).to.contain(
      'no record of',
    );
    expect(statusRow('frontend', 'staging', here, null, null, ecs(null, null), NOW).drift).to.deep.equal([
      'the ECS service does not exist',
    ]);
  });

  it('counts versions that succeeded upstream and are newer than what runs here', () => {
    const here = [rel('v2', 'succeeded', D(2), 'td:2')];
    const upstream: LedgerRecord[] = [
      rel('v2', 'succeeded', D(2), 'x'),
      rel('v3', 'failed', D(3), 'x'),
      rel('v4', 'succeeded', D(4), 'x'),
      rel('v5', 'succeeded', D(5), 'x'),
      rel('v5', 'succeeded', D(5), 'x'),
    ];
    expect(statusRow('frontend', 'staging', here, upstream, 'intg', ecs(D(2), 'td:2'), NOW)).to.deep.include({
      behind: 2,
      behindOf: 'intg',
    });
    expect(statusRow('frontend', 'staging', [], upstream, 'intg', ecs(D(1), 'td:1'), NOW).behind).to.equal(3);
    expect(statusRow('frontend', 'intg', here, null, 'build', ecs(D(2), 'td:2'), NOW).behind).to.equal(null);
  });

  it('lists runs with no outcome', () => {
    const here = [rel('v2', 'succeeded', D(2), 'td:2', 'a'), rel('v3', 'started', D(3), null, 'b')];
    const row = statusRow('frontend', 'staging', here, null, null, ecs(D(2), 'td:2'), NOW);
    expect(row.unsettled).to.deep.equal([
      { seq: here[1]?.seq, runId: 'b', version: 'v3', actor: 'bob', startedAt: '2026-11-25T08:00:00Z' },
    ]);
  });
});

describe('the rollout a status row shows', () => {
  // ECS's Deployment.rolloutState: IN_PROGRESS until the service is steady, then COMPLETED; FAILED
  // when the circuit breaker stops it (API reference, Deployment).
  const primary = (rolloutState?: string) => ({ status: 'PRIMARY', rolloutState });
  it('a settled service (one deployment, running = desired) is COMPLETED, whatever a stand-in left', () => {
    expect(rolloutOf({ deployments: [primary('IN_PROGRESS')], runningCount: 2, desiredCount: 2 })).to.equal(
      'COMPLETED',
    );
    expect(rolloutOf({ deployments: [primary()], runningCount: 0, desiredCount: 0 })).to.equal('COMPLETED');
  });
  it('a service still moving shows what ECS says, or how many deployments when ECS says nothing', () => {
    expect(rolloutOf({ deployments: [primary('IN_PROGRESS')], runningCount: 1, desiredCount: 2 })).to.equal(
      'IN_PROGRESS',
    );
    const two = [primary(), { status: 'ACTIVE' }];
    expect(rolloutOf({ deployments: two, runningCount: 2, desiredCount: 2 })).to.equal('2 deployments');
  });
  it('FAILED always shows, and no PRIMARY deployment shows nothing', () => {
    expect(rolloutOf({ deployments: [primary('FAILED')], runningCount: 1, desiredCount: 1 })).to.equal(
      'FAILED',
    );
    expect(rolloutOf({ deployments: [], runningCount: 0, desiredCount: 0 })).to.equal(null);
  });
});
