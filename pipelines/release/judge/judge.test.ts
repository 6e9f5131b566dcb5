import { expect } from 'chai';
import { metricUseProblems } from '../../../services/aws-metrics';
import { BACKEND_ALARMS, PANEL_THRESHOLDS, SERVICE_ALARMS } from '../../../services/thresholds';
import { judge, metricDataQueries, plan, type JudgePlan, type JudgeSubject, type Series } from './judge';

const NOW = new Date('2026-01-05T10:30:00Z');
const WINDOW = { start: new Date('2026-01-05T10:10:00Z'), end: new Date('2026-01-05T10:20:00Z') };
const WINDOW_SECONDS = 600;
const TG: JudgeSubject = {
  kind: 'target-groups',
  loadBalancer: 'app/tdr-prod/0123456789abcdef',
  canary: 'targetgroup/frontend-prod-green/1111111111111111',
  baseline: 'targetgroup/frontend-prod-blue/2222222222222222',
};
const FN: JudgeSubject = {
  kind: 'lambda-versions',
  functionName: 'tdr-checksum-prod',
  alias: 'live',
  canary: '8',
  baseline: '7',
  timeoutSeconds: 60,
};

/** Answers by query id: a number is one whole-window datapoint, an array per-minute ones, null none. */
function answers(
  p: JudgePlan,
  values: Record<string, number | number[] | null>,
  status: Record<string, string> = {},
) {
  const map = new Map<string, Series>();
  for (const q of p.queries) {
    const v = values[q.id];
    if (v === undefined) continue;
    map.set(q.id, {
      values: v === null ? [] : Array.isArray(v) ? v : [v],
      statusCode: status[q.id] ?? 'Complete',
    });
  }
  return map;
}

/** Canary 10 % of 10,000 requests; the projection of its errors onto all of them over the alarm's period. */
const CANARY_REQ = 1000;
const BASE_REQ = 9000;
const scale =
  (SERVICE_ALARMS.target5xx.periodSeconds / WINDOW_SECONDS) * ((CANARY_REQ + BASE_REQ) / CANARY_REQ);
const MOST_5XX_THAT_PASS = Math.floor(SERVICE_ALARMS.target5xx.threshold / scale);

const healthy = {
  canary_requests: CANARY_REQ,
  baseline_requests: BASE_REQ,
  canary_5xx: null,
  baseline_5xx: 3,
  canary_p95: PANEL_THRESHOLDS.p95ResponseSeconds.warning / 2,
  baseline_p95: PANEL_THRESHOLDS.p95ResponseSeconds.warning / 2,
  canary_unhealthy: Array(WINDOW_SECONDS / 60).fill(0),
  baseline_unhealthy: Array(WINDOW_SECONDS / 60).fill(0),
};

const verdicts = (j: ReturnType<typeof judge>) =>
  Object.fromEntries(j.checks.map((c) => [c.check, c.verdict]));

describe('pipelines/release/judge: the canary judge', () => {
  describe('plan', () => {
    it('asks each metric of each side once, in shapes AWS publishes (services/aws-metrics.ts)', () => {
      const p = plan(TG, WINDOW, NOW);
      expect(p.queries.map((q) => q.id)).to.have.members(
        ['requests', '5xx', 'p95', 'unhealthy'].flatMap((m) => [`canary_${m}`, `baseline_${m}`]),
      );
      for (const q of p.queries)
        expect(
          metricUseProblems({ ...q, dimensions: Object.keys(q.dimensions), statistic: q.stat }),
        ).to.deep.equal([]);
      const unhealthy = p.queries.find((q) => q.id === 'canary_unhealthy')!;
      expect(unhealthy).to.include({
        stat: SERVICE_ALARMS.unhealthyHosts.metric.statistic,
        periodSeconds: SERVICE_ALARMS.unhealthyHosts.periodSeconds,
      });
      expect(p.queries.find((q) => q.id === 'canary_5xx')).to.deep.include({
        periodSeconds: WINDOW_SECONDS,
        dimensions: { LoadBalancer: TG.loadBalancer, TargetGroup: TG.canary },
      });
      const lambda = plan(FN, WINDOW, NOW);
      expect(lambda.queries.find((q) => q.id === 'baseline_errors')?.dimensions).to.deep.equal({
        FunctionName: 'tdr-checksum-prod',
        Resource: 'tdr-checksum-prod:live',
        ExecutedVersion: '7',
      });
      expect(metricDataQueries(p)).to.have.length(p.queries.length);
      expect(metricDataQueries(p)[0]).to.have.nested.property('MetricStat.Metric.Dimensions').with.length(2);
    });

    it('refuses a bad window or subject, naming every problem, before anything is asked', () => {
      const bad = () =>
        plan(
          { ...TG, canary: 'tg-green', baseline: 'tg-green' },
          { start: new Date('2026-01-05T10:10:30Z'), end: new Date('2026-01-06T11:00:00Z') },
          NOW,
          { minRequests: 0 },
        );
      expect(bad)
        .to.throw(/whole minutes/)
        .with.property('kind', 'invalid');
      const message = (() => {
        try {
          bad();
        } catch (e) {
          return (e as Error).message;
        }
        return '';
      })();
      for (const part of [
        'must be 60-86400 s',
        'ends in the future',
        'minRequests',
        'the same',
        'canary: must be targetgroup/',
      ])
        expect(message).to.include(part);
      expect(() => plan({ ...FN, canary: '$LATEST' }, WINDOW, NOW)).to.throw(
        /canary: must be a published version/,
      );
    });
  });

  describe('target groups', () => {
    const p = plan(TG, WINDOW, NOW);

    it('passes a healthy canary, with the evidence', () => {
      const j = judge(p, answers(p, healthy));
      expect(j.verdict).to.equal('pass');
      expect(j.checks.every((c) => c.verdict === 'pass')).to.equal(true);
      expect(j.values.canary_requests).to.deep.equal([CANARY_REQ]);
      expect(j.window).to.deep.equal({
        start: WINDOW.start.toISOString(),
        end: WINDOW.end.toISOString(),
        seconds: WINDOW_SECONDS,
      });
      expect(j.checks[0]!.threshold).to.include(String(SERVICE_ALARMS.target5xx.threshold));
    });

    it('fails a canary whose 5xx would breach the alarm at full traffic, and passes one just under', () => {
      expect(judge(p, answers(p, { ...healthy, canary_5xx: MOST_5XX_THAT_PASS })).verdict).to.equal('pass');
      const j = judge(p, answers(p, { ...healthy, canary_5xx: MOST_5XX_THAT_PASS + 1 }));
      expect(j.verdict).to.equal('fail');
      expect(j.checks[0]!.verdict).to.equal('fail');
      expect(j.checks[0]!.canary).to.be.closeTo(((MOST_5XX_THAT_PASS + 1) / CANARY_REQ) * 100, 1e-6);
    });

    it('is inconclusive when the baseline errs as much: the service is unwell, not the canary', () => {
      const j = judge(p, answers(p, { ...healthy, canary_5xx: 100, baseline_5xx: 900 }));
      expect(verdicts(j)['5xx rate (%)']).to.equal('inconclusive');
      expect(j.verdict).to.equal('inconclusive');
    });

    it('never passes without data: no answer, no datapoint, too few requests, partial data', () => {
      const none = judge(p, new Map());
      expect(none.verdict).to.equal('inconclusive');
      expect(none.checks.every((c) => c.verdict === 'inconclusive')).to.equal(true);
      const empty = Object.fromEntries(Object.keys(healthy).map((k) => [k, null]));
      expect(judge(p, answers(p, empty)).verdict).to.equal('inconclusive');
      const thin = judge(p, answers(p, { ...healthy, canary_requests: DEFAULT_MIN - 1 }));
      expect(thin.checks[0]).to.include({ verdict: 'inconclusive' });
      expect(thin.checks[0]!.reason).to.match(/at least \d+ are needed/);
      const partial = judge(p, answers(p, healthy, { canary_p95: 'PartialData' }));
      expect(verdicts(partial)['p95 latency (s)']).to.equal('inconclusive');
      expect(partial.verdict).to.equal('inconclusive');
    });

    it('holds p95 latency to the panel: over critical fails, over warning fails only when slower than the baseline', () => {
      const { warning, critical } = PANEL_THRESHOLDS.p95ResponseSeconds;
      const at = (c: number, b: number) =>
        verdicts(judge(p, answers(p, { ...healthy, canary_p95: c, baseline_p95: b })))['p95 latency (s)'];
      expect(at(critical + 0.1, critical + 1)).to.equal('fail');
      expect(at(warning + 0.1, warning / 2)).to.equal('fail');
      expect(at(warning + 0.1, warning + 0.2)).to.equal('inconclusive');
      expect(at(warning, critical)).to.equal('pass');
    });

    it('fails on any minute with an unhealthy canary target', () => {
      const minutes = [...healthy.canary_unhealthy];
      minutes[3] = SERVICE_ALARMS.unhealthyHosts.threshold + 1;
      const j = judge(p, answers(p, { ...healthy, canary_unhealthy: minutes }));
      expect(verdicts(j)['unhealthy hosts']).to.equal('fail');
      expect(j.verdict).to.equal('fail');
    });
  });

  describe('Lambda versions (ExecutedVersion)', () => {
    const p = plan(FN, WINDOW, NOW);
    const ok = {
      canary_invocations: 500,
      baseline_invocations: 4500,
      canary_errors: null,
      baseline_errors: null,
      canary_throttles: null,
      baseline_throttles: null,
      canary_p95: 1000,
      baseline_p95: 1100,
    };

    it('passes a clean version and fails one with errors over the errors alarm line', () => {
      expect(judge(p, answers(p, ok)).verdict).to.equal('pass');
      const j = judge(p, answers(p, { ...ok, canary_errors: BACKEND_ALARMS.functionErrors.threshold + 1 }));
      expect(verdicts(j)['error rate (%)']).to.equal('fail');
    });

    it('holds p95 duration to the dashboard lines of the timeout', () => {
      const timeoutMs = 60_000;
      const warnMs = (timeoutMs * PANEL_THRESHOLDS.lambdaDurationOfTimeoutPercent.warning) / 100;
      const j = judge(p, answers(p, { ...ok, canary_p95: warnMs + 1 }));
      expect(verdicts(j)['p95 duration (ms)']).to.equal('fail');
      expect(judge(p, answers(p, { ...ok, canary_invocations: null })).verdict).to.equal('inconclusive');
    });
  });
});

const DEFAULT_MIN = plan(TG, WINDOW, NOW).settings.minRequests;
