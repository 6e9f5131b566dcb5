/**
 * A release board scenario whose facts are known by construction (the board's unit tests and the
 * browser test both check against them). Now is 2026-06-30 12:00 UTC; every release takes 4 minutes.
 *
 * - frontend: prod runs v10 and lags staging by two versions (v11 since 5 days, v12); a failed
 *   intg release carries `<script>` in its version, actor and reason.
 * - consignmentapi: v5 everywhere, but prod's runtime still runs v4 (drift).
 * - keycloak: bob is releasing v3 to staging (open run, held lease); v2 rolled back in prod a day ago.
 * - transferservice: never deployed anywhere, and the runtime has no such service.
 * - maintenance: staging is in maintenance since 10:00 (ops, ledger #4, a reason carrying
 *   `<script>`); prod's listener answers 503 first though its ledger says off (drift); intg is not.
 */
import type { BoardInput, BoardModel, HeldLease, LiveState, TrainState } from '../../pipelines/report/board';
import type { RejectionRecord } from '../../pipelines/release/ledger/ledger';
import type { MaintenanceState } from '../../pipelines/report/maintenance';
import { currentRun, DAY_MS, recordsOf, releaseRuns } from '../../pipelines/report/runs';
import { LedgerBuilder, digestOfVersion } from './ledger-records';

export const SCENARIO_NOW = new Date('2026-06-30T12:00:00Z');
const ago = (days: number) => new Date(SCENARIO_NOW.getTime() - days * DAY_MS);

export const XSS = '<script>window.__xss=1</script>';

export const SCENARIO_MODEL: BoardModel = {
  services: ['frontend', 'consignmentapi', 'keycloak', 'transferservice'].map((name) => ({
    name,
    kind: 'service' as const,
  })),
  environments: [
    { name: 'intg', source: null },
    { name: 'staging', source: 'intg' },
    { name: 'prod', source: 'staging' },
  ],
};

/** Facts the tests assert, derived by hand from the ledger below. */
export const SCENARIO_FACTS = {
  lagging: { service: 'frontend', env: 'prod', behindBy: 2, of: 'staging', days: '5 days', waits: 'v12' },
  drifted: { service: 'consignmentapi', env: 'prod', runs: 'v4', ledger: 'v5' },
  lease: { service: 'keycloak', env: 'staging', holder: 'bob' },
  failedProd: { service: 'keycloak', version: 'v2' },
  maintenance: {
    env: 'staging',
    since: '2026-06-30T10:00:00.000Z',
    by: 'ops',
    seq: 4,
    reason: `database upgrade ${XSS}`,
    command: 'tdr maintenance off --env staging',
  },
  maintenanceDrift: {
    env: 'prod',
    drift: 'a rule answers 503 first on the listener, but the ledger says maintenance is off',
  },
  /** Over 30 days: frontend v10 (-18 d) and consignmentapi v5 (-10 d) reached prod; keycloak v2 rolled back. */
  metrics30: { deployments: 2, changes: 3, failures: 1, failureRate: '33%', leadTimeMedian: '48 h' },
} as const;

const FOUR_MINUTES = 4;

export function scenarioLedger(): LedgerBuilder {
  const b = new LedgerBuilder();
  const ship = (service: string, env: string, version: string, days: number, extra: object = {}) =>
    b.run({
      service,
      env,
      version,
      at: ago(days),
      outcome: 'succeeded',
      minutes: FOUR_MINUTES,
      actor: env === 'intg' ? 'jenkins' : 'alice',
      approver: env === 'prod' ? 'carol' : null,
      sourceEnv: env === 'staging' ? 'intg' : env === 'prod' ? 'staging' : null,
      buildUrl: env === 'intg' ? `https://jenkins.example/job/${service}/${version.slice(1)}/` : null,
      gates:
        env === 'prod'
          ? [
              { gate: 'order', ok: true, detail: 'succeeded in staging' },
              { gate: 'e2e', ok: true, detail: 'e2e passed on staging' },
            ]
          : [],
      ...extra,
    });

  ship('frontend', 'intg', 'v10', 20);
  ship('frontend', 'staging', 'v10', 19);
  ship('frontend', 'prod', 'v10', 18);
  ship('frontend', 'intg', 'v11', 6);
  ship('frontend', 'staging', 'v11', 5);
  ship('frontend', 'intg', 'v12', 2);
  ship('frontend', 'staging', 'v12', 1);
  b.check({
    service: 'frontend',
    env: 'staging',
    version: 'v12',
    name: 'e2e',
    result: 'passed',
    at: ago(0.9),
  });
  b.run({
    service: 'frontend',
    env: 'intg',
    version: `v13${XSS}`,
    at: ago(0.5),
    outcome: 'failed',
    minutes: FOUR_MINUTES,
    actor: `mallory${XSS}`,
    reason: `because ${XSS}`,
    detail: `<img src=x onerror="window.__xss=2">`,
  });

  for (const [version, days] of [
    ['v4', 33],
    ['v5', 12],
  ] as const) {
    ship('consignmentapi', 'intg', version, days);
    ship('consignmentapi', 'staging', version, days - 1);
    ship('consignmentapi', 'prod', version, days - 2);
  }

  ship('keycloak', 'intg', 'v1', 40);
  ship('keycloak', 'staging', 'v1', 39);
  ship('keycloak', 'prod', 'v1', 38);
  ship('keycloak', 'intg', 'v2', 3);
  ship('keycloak', 'staging', 'v2', 2.5);
  ship('keycloak', 'prod', 'v2', 1, {
    outcome: 'rolled_back',
    detail: 'circuit breaker: tasks failed to start',
  });
  ship('keycloak', 'intg', 'v3', 0.1);
  b.run({
    service: 'keycloak',
    env: 'staging',
    version: 'v3',
    at: new Date(SCENARIO_NOW.getTime() - 3 * 60_000),
    outcome: null,
    actor: 'bob',
  });
  return b;
}

export const SCENARIO_LEASES: readonly HeldLease[] = [
  {
    service: 'keycloak',
    env: 'staging',
    holder: 'bob',
    runId: 'run-keycloak-v3',
    acquiredAt: new Date(SCENARIO_NOW.getTime() - 3 * 60_000).toISOString(),
    expiresAt: new Date(SCENARIO_NOW.getTime() + 2 * 60_000).toISOString(),
  },
];

export const MAINTENANCE_OFF: MaintenanceState = {
  on: false,
  since: null,
  by: null,
  reason: null,
  seq: null,
  listener: false,
  drift: [],
  unsettled: [],
  problems: [],
};

export const SCENARIO_MAINTENANCE: Readonly<Record<string, MaintenanceState>> = {
  intg: MAINTENANCE_OFF,
  staging: {
    ...MAINTENANCE_OFF,
    on: true,
    since: SCENARIO_FACTS.maintenance.since,
    by: SCENARIO_FACTS.maintenance.by,
    reason: SCENARIO_FACTS.maintenance.reason,
    seq: SCENARIO_FACTS.maintenance.seq,
    listener: true,
  },
  prod: { ...MAINTENANCE_OFF, listener: true, drift: [SCENARIO_FACTS.maintenanceDrift.drift] },
};

export function scenarioInput(): BoardInput {
  const ledgers = scenarioLedger().ledgers;
  const live = (service: string, env: string): LiveState => {
    if (service === 'transferservice') return { state: 'absent' };
    if (service === 'consignmentapi' && env === 'prod') {
      return { state: 'running', digest: digestOfVersion(service, 'v4') };
    }
    return {
      state: 'running',
      digest: currentRun(releaseRuns(recordsOf(ledgers, service, env)))?.digest ?? null,
    };
  };
  return {
    model: SCENARIO_MODEL,
    ledgers,
    live,
    leases: SCENARIO_LEASES,
    maintenance: (env) => SCENARIO_MAINTENANCE[env] ?? MAINTENANCE_OFF,
    now: SCENARIO_NOW,
    links: {
      grafana: (env) => `https://grafana.example/dashboards/f/tdr-${env}/`,
      jenkinsPromote: (service, env) => `https://jenkins.example/job/promote-${service}-${env}/`,
      jenkinsJobs: 'https://jenkins.example/',
    },
  };
}

/**
 * The scenario with release trains and rejected versions (issue 26), known by construction:
 *
 * - rejected: frontend v12 (staging runs it, prod waits for it; its reason carries `<script>`),
 *   consignmentapi v5 (prod has run it since 10 days ago), and the task consignment-api-data v8
 *   (no row of its own: the list names it).
 * - staging: a train from intg that succeeded (keycloak v2, consignmentapi v5) at -2 days.
 * - prod: a train from staging in flight: the migrations task ran, consignmentapi is going out,
 *   keycloak waits; frontend v12 was left out, rejected.
 */
export const TRAIN_FACTS = {
  rejected: [
    { subject: 'frontend', version: 'v12', by: 'carol', reason: `blank page on upload ${XSS}`, days: 0.2 },
    { subject: 'consignmentapi', version: 'v5', by: 'carol', reason: 'loses metadata on export', days: 0.1 },
    {
      subject: 'consignment-api-data',
      version: 'v8',
      by: 'dave',
      reason: 'migration locks the table',
      days: 3,
    },
  ],
  inFlight: {
    env: 'prod',
    trainId: 'train-0123456789abcdef',
    members: [
      { name: 'consignment-api-data', kind: 'task', version: 'v7', outcome: 'task-run succeeded' },
      { name: 'consignmentapi', kind: 'service', version: 'v6', outcome: null },
      { name: 'keycloak', kind: 'service', version: 'v3', outcome: null },
    ],
    leftOut: { name: 'frontend', version: 'v12' },
  },
  finished: {
    env: 'staging',
    trainId: 'train-fedcba9876543210',
    members: [
      { name: 'keycloak', kind: 'service', version: 'v2', outcome: 'promote succeeded' },
      { name: 'consignmentapi', kind: 'service', version: 'v5', outcome: 'promote succeeded' },
    ],
  },
} as const;

function rejectionRecord(r: (typeof TRAIN_FACTS.rejected)[number], seq: number): RejectionRecord {
  const at = new Date(SCENARIO_NOW.getTime() - r.days * DAY_MS).toISOString();
  return {
    schema: 1,
    seq,
    kind: 'rejection',
    service: r.subject,
    env: 'rejections',
    version: r.version,
    digest: '',
    actor: r.by,
    recordedAt: at,
    action: 'reject',
    reason: r.reason,
    approver: r.by,
    identity: `arn:aws:sts::111111111111:assumed-role/tdr-approver/${r.by}`,
  };
}

export function trainScenarioInput(): BoardInput {
  const base = scenarioInput();
  const rejected: Record<string, RejectionRecord[]> = {};
  for (const r of TRAIN_FACTS.rejected) (rejected[r.subject] ??= []).push(rejectionRecord(r, 1));
  const { inFlight, finished } = TRAIN_FACTS;
  const left = TRAIN_FACTS.rejected.find((r) => r.subject === inFlight.leftOut.name)!;
  const trains: TrainState[] = [
    {
      env: inFlight.env,
      trainId: inFlight.trainId,
      action: 'promote',
      outcome: 'progress',
      at: new Date(SCENARIO_NOW.getTime() - 10 * 60_000).toISOString(),
      seq: 7,
      by: 'bob',
      inFlight: true,
      members: inFlight.members,
      leftOut: [
        {
          name: left.subject,
          version: left.version,
          why: `${left.subject} ${left.version} is rejected (by ${left.by}): ${left.reason}`,
        },
      ],
      sourceEnv: 'staging',
      detail: null,
    },
    {
      env: finished.env,
      trainId: finished.trainId,
      action: 'promote',
      outcome: 'succeeded',
      at: new Date(SCENARIO_NOW.getTime() - 2 * DAY_MS).toISOString(),
      seq: 3,
      by: 'alice',
      inFlight: false,
      members: finished.members,
      leftOut: [],
      sourceEnv: 'intg',
      detail: null,
    },
  ];
  return { ...base, trains, rejected };
}
