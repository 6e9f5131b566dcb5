/**
 * The canary judge on moto's CloudWatch: metrics put with PutMetricData in the prod account are
 * read back by GetMetricData (../pipelines/release/aws/cloudwatch.ts) and judged, through the
 * library and through `tdr canary judge`.
 *
 * moto (5.2.1) computes Sum, Average, Minimum, Maximum and SampleCount but no percentile (its
 * cloudwatch/models.py `get_statistics_for_type` returns None for p95, and GetMetricData then fails
 * with an HTML 500 once there is data), so these tests ask moto every query but the p95 ones and
 * judge without them: the p95 check is inconclusive, which is what the judge must say of a check
 * without data. moto also failed PutMetricData calls of 80 datums (HTML 500): they go 20 at a time.
 * The pass is proved by the unit tests (judge.test.ts).
 * NOT DONE: `tdr canary judge` over published data on moto (it asks p95, which moto cannot answer).
 */
import { CloudWatchClient, PutMetricDataCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import { expect } from 'chai';
import { naming } from '../services/naming';
import { SERVICE_ALARMS } from '../services/thresholds';
import { getMetricData } from '../pipelines/release/aws/cloudwatch';
import {
  DEFAULT_JUDGE_SETTINGS,
  judge,
  metricDataQueries,
  plan,
  type JudgeSubject,
} from '../pipelines/release/judge/judge';
import { TEST_ACCOUNT_IDS, assumeRole } from './support/accounts';
import { runTdr } from './support/cli';

const LB = 'app/tdr-prod/0123456789abcdef';
const CANARY_TG = 'targetgroup/frontend-prod-green/1111111111111111';
const BASELINE_TG = 'targetgroup/frontend-prod-blue/2222222222222222';
const SUBJECT: JudgeSubject = {
  kind: 'target-groups',
  loadBalancer: LB,
  canary: CANARY_TG,
  baseline: BASELINE_TG,
};
const MINUTES = 10;

/** The last MINUTES whole minutes before now, as `--minutes` takes them. */
function window() {
  const end = new Date(Math.floor(Date.now() / 60_000) * 60_000);
  return { start: new Date(end.getTime() - MINUTES * 60_000), end };
}

async function prodCloudWatch(): Promise<CloudWatchClient> {
  // The endpoint explicitly, as the adapter passes it (pipelines/release/aws/cloudwatch.ts).
  return new CloudWatchClient({
    ...(process.env.AWS_ENDPOINT_URL ? { endpoint: process.env.AWS_ENDPOINT_URL } : {}),
    credentials: await assumeRole(TEST_ACCOUNT_IDS.prod, naming.jenkinsEcsUpdateRole('prod')),
  });
}

/** Per minute of the window: requests, 5xx and health of one target group, as the ALB publishes them. */
function albMinutes(
  tg: string,
  w: { start: Date },
  perMinute: { requests: number; errors: number },
): MetricDatum[] {
  const dims = [
    { Name: 'LoadBalancer', Value: LB },
    { Name: 'TargetGroup', Value: tg },
  ];
  return Array.from({ length: MINUTES }, (_, m) => new Date(w.start.getTime() + m * 60_000 + 1_000)).flatMap(
    (Timestamp) => [
      {
        MetricName: 'RequestCount',
        Dimensions: dims,
        Timestamp,
        Value: perMinute.requests,
        Unit: 'Count' as const,
      },
      ...(perMinute.errors > 0
        ? [
            {
              MetricName: 'HTTPCode_Target_5XX_Count',
              Dimensions: dims,
              Timestamp,
              Value: perMinute.errors,
              Unit: 'Count' as const,
            },
          ]
        : []),
      { MetricName: 'UnHealthyHostCount', Dimensions: dims, Timestamp, Value: 0, Unit: 'Count' as const },
      { MetricName: 'TargetResponseTime', Dimensions: dims, Timestamp, Value: 0.2, Unit: 'Seconds' as const },
    ],
  );
}

/** moto answers no percentile (see above): every query but those. */
const withoutPercentiles = (p: ReturnType<typeof plan>) =>
  metricDataQueries(p).filter((q) => !q.MetricStat?.Stat?.startsWith('p'));

async function put(cw: CloudWatchClient, data: MetricDatum[]) {
  for (let i = 0; i < data.length; i += 20)
    await cw.send(
      new PutMetricDataCommand({ Namespace: 'AWS/ApplicationELB', MetricData: data.slice(i, i + 20) }),
    );
}

const judgeArgs = [
  'canary',
  'judge',
  '--service',
  'frontend',
  '--env',
  'prod',
  '--minutes',
  String(MINUTES),
  '--load-balancer',
  `arn:aws:elasticloadbalancing:eu-west-2:${TEST_ACCOUNT_IDS.prod}:loadbalancer/${LB}`,
  '--canary-target-group',
  CANARY_TG,
  '--baseline-target-group',
  BASELINE_TG,
  '-o',
  'json',
];
const cliEnv = () => ({
  ...process.env,
  TDR_ACCOUNT_IDS: JSON.stringify(TEST_ACCOUNT_IDS),
  TDR_CONFIG: undefined,
});

describe('the canary judge on moto CloudWatch', () => {
  it('reads back what was put, and fails a canary with a 5xx burst', async () => {
    const cw = await prodCloudWatch();
    const w = window();
    // A burst: the canary's errors, at its rate over all the traffic, breach the 5xx alarm many times over.
    const canaryErrors = SERVICE_ALARMS.target5xx.threshold;
    await put(cw, [
      ...albMinutes(CANARY_TG, w, { requests: 100, errors: canaryErrors }),
      ...albMinutes(BASELINE_TG, w, { requests: 900, errors: 0 }),
    ]);
    const p = plan(SUBJECT, w, new Date());
    const { series, requests } = await getMetricData(cw, withoutPercentiles(p), w);
    expect(requests).to.equal(1);
    expect(series.get('canary_requests')?.values).to.deep.equal([100 * MINUTES]);
    expect(series.get('canary_5xx')?.values).to.deep.equal([canaryErrors * MINUTES]);
    expect(series.get('baseline_5xx')?.values).to.deep.equal([]);
    expect(series.get('canary_unhealthy')?.values).to.deep.equal(Array(MINUTES).fill(0));
    const j = judge(p, series);
    expect(j.verdict).to.equal('fail');
    expect(j.checks.find((c) => c.check.startsWith('5xx'))).to.include({ verdict: 'fail', baseline: 0 });
  });

  it('never passes without data: nothing published is inconclusive, exit 1', async () => {
    const r = await runTdr(judgeArgs, cliEnv());
    expect(r.code, r.stderr).to.equal(1);
    const out = JSON.parse(r.stdout) as { verdict: string; checks: Array<{ verdict: string }> };
    expect(out.verdict).to.equal('inconclusive');
    expect(out.checks.every((c) => c.verdict === 'inconclusive')).to.equal(true);
  });

  it('says a healthy canary is inconclusive on moto, whose CloudWatch computes no p95', async () => {
    const cw = await prodCloudWatch();
    const w = window();
    await put(cw, [
      ...albMinutes(CANARY_TG, w, { requests: 100, errors: 0 }),
      ...albMinutes(BASELINE_TG, w, { requests: 900, errors: 0 }),
    ]);
    const p = plan(SUBJECT, w, new Date(), DEFAULT_JUDGE_SETTINGS);
    const j = judge(p, (await getMetricData(cw, withoutPercentiles(p), w)).series);
    expect(Object.fromEntries(j.checks.map((c) => [c.check, c.verdict]))).to.deep.equal({
      '5xx rate (%)': 'pass',
      'p95 latency (s)': 'inconclusive',
      'unhealthy hosts': 'pass',
    });
    expect(j.verdict).to.equal('inconclusive');
  });

  it('refuses bad input with exit 2 naming the flag, before any AWS call', async () => {
    const env = { ...cliEnv(), AWS_ENDPOINT_URL: 'http://127.0.0.1:9' };
    const cases: Array<[string[], RegExp]> = [
      [
        ['canary', 'judge', '--service', 'frontend', '--env', 'prod', '--minutes', '10'],
        /needs --load-balancer, --canary-target-group, --baseline-target-group/,
      ],
      [
        [...judgeArgs.slice(0, 8), '--canary-version', '3', '--baseline-version', '2'],
        /--canary-version, --baseline-version are not for a service/,
      ],
      [
        [
          'canary',
          'judge',
          '--service',
          'checksum',
          '--env',
          'prod',
          '--canary-version',
          '3',
          '--baseline-version',
          '3',
          '--minutes',
          '5',
        ],
        /canary and baseline are the same/,
      ],
      [
        [
          'canary',
          'judge',
          '--service',
          'checksum',
          '--env',
          'prod',
          '--canary-version',
          '3',
          '--baseline-version',
          '2',
          '--minutes',
          '5000',
        ],
        /--minutes.*1-1440/,
      ],
      [
        [
          'canary',
          'judge',
          '--service',
          'checksum',
          '--env',
          'prod',
          '--canary-version',
          '3',
          '--baseline-version',
          '2',
        ],
        /--minutes N, or as --from and --to/,
      ],
      [
        [
          ...judgeArgs.slice(0, 6),
          '--from',
          '2026-01-05T10:00:00Z',
          '--to',
          '2026-01-05T10:00:30Z',
          ...judgeArgs.slice(8),
        ],
        /whole minutes/,
      ],
    ];
    for (const [argv, message] of cases) {
      const r = await runTdr(argv, env);
      expect(r.code, `${argv.join(' ')}\n${r.stderr}`).to.equal(2);
      expect(r.stderr).to.match(message);
    }
  });
});
