/** Delivery metrics: four cards with their numbers and weekly charts, then a row per service. */
import type { ComponentChildren } from 'preact';
import { barChart, lineChart, polylinePoints } from '../charts';
import { formatHours, formatPercent, formatPerWeek, formatWhen } from '../format';
import type { DeliveryMetrics, SubjectMetrics, WeekBucket, WindowMetrics } from '../metrics';

const CARD_CHART = { width: 240, height: 44, gap: 3 };
const SPARK = { width: 104, height: 20, gap: 2 };

export function MetricsSection({ metrics }: { metrics: DeliveryMetrics }) {
  const [short, long] = [metrics.overall.windows[0], metrics.overall.windows.at(-1)];
  if (!short || !long) return null;
  const weekly = metrics.overall.weekly;
  const from = weekly[0]?.start ?? null;
  return (
    <>
      <p class="muted">
        From the ledger, to {metrics.prodEnv}; lead time from the first release to {metrics.firstEnv}. Charts:
        one bar or point per week since {formatWhen(from)}.
      </p>
      <div class="cards">
        <Card
          title="Deployment frequency"
          metric="deployments"
          short={short}
          long={long}
          value={(w) => `${w.deployments}`}
          detail={(w) => `${formatPerWeek(w.deploymentsPerWeek)}`}
        >
          <Bars
            values={weekly.map((w) => w.deployments)}
            label="deployments to prod per week"
            unit="deployments"
            weekly={weekly}
          />
        </Card>
        <Card
          title="Lead time (median)"
          metric="lead-time"
          short={short}
          long={long}
          value={(w) => formatHours(w.leadTime.medianHours)}
          detail={(w) =>
            `p90 ${formatHours(w.leadTime.p90Hours)}, ${w.leadTime.count} release${w.leadTime.count === 1 ? '' : 's'}`
          }
        >
          <Line
            values={weekly.map((w) => w.leadTimeMedianHours)}
            label="median lead time per week"
            weekly={weekly}
          />
        </Card>
        <Card
          title="Change failure rate"
          metric="failure-rate"
          short={short}
          long={long}
          value={(w) => formatPercent(w.changeFailure.rate)}
          detail={(w) =>
            `${w.changeFailure.failures} of ${w.changeFailure.changes} release${w.changeFailure.changes === 1 ? '' : 's'}`
          }
        >
          <Bars
            values={weekly.map((w) => w.failures)}
            label="failed prod releases per week"
            unit="failed"
            weekly={weekly}
            fail
          />
        </Card>
        <Card
          title="Time to restore (median)"
          metric="time-to-restore"
          short={short}
          long={long}
          value={(w) => (w.timeToRestore.count === 0 ? 'none' : formatHours(w.timeToRestore.medianHours))}
          detail={(w) => `${w.timeToRestore.count} restored, ${w.timeToRestore.open} still failed`}
        />
      </div>
      <h3>Per service</h3>
      <table class="services">
        <thead>
          <tr>
            <th scope="col">service</th>
            {metrics.windowsDays.flatMap((d) =>
              SERVICE_COLUMNS.map((c) => (
                <th scope="col" key={`${d}-${c}`}>
                  {c} <span class="muted">{d} d</span>
                </th>
              )),
            )}
            <th scope="col">deploys per week</th>
          </tr>
        </thead>
        <tbody>
          {metrics.services.map((s) => (
            <ServiceRow subject={s} key={s.service} />
          ))}
        </tbody>
      </table>
    </>
  );
}

function Card(props: {
  title: string;
  metric: string;
  short: WindowMetrics;
  long: WindowMetrics;
  value: (w: WindowMetrics) => string;
  detail: (w: WindowMetrics) => string;
  children?: ComponentChildren;
}) {
  const { short, long } = props;
  return (
    <section class="card" data-metric={props.metric}>
      <h3>{props.title}</h3>
      <div>
        <span class="big" data-window={short.days}>
          {props.value(short)}
        </span>{' '}
        in {short.days} days
      </div>
      <div class="muted">{props.detail(short)}</div>
      <div data-window={long.days}>
        {long.days} days: <strong>{props.value(long)}</strong>{' '}
        <span class="muted">({props.detail(long)})</span>
      </div>
      {props.children}
    </section>
  );
}

function weekLabel(w: WeekBucket): string {
  return `week from ${w.start.slice(0, 10)}`;
}

function Bars(props: {
  values: number[];
  label: string;
  unit: string;
  weekly: readonly WeekBucket[];
  fail?: boolean;
  size?: typeof SPARK;
}) {
  const size = props.size ?? CARD_CHART;
  const { bars, max } = barChart(props.values, size);
  return (
    <svg
      width={size.width}
      height={size.height + 1}
      viewBox={`0 0 ${size.width} ${size.height + 1}`}
      role="img"
      aria-label={`${props.label}, at most ${max}`}
    >
      <title>{`${props.label}, at most ${max}`}</title>
      <line class="axis" x1="0" x2={size.width} y1={size.height + 0.5} y2={size.height + 0.5} />
      {bars.map((b, i) => (
        <rect
          class={props.fail ? 'bar fail' : 'bar'}
          x={b.x}
          y={b.y}
          width={b.width}
          height={b.height}
          key={i}
        >
          <title>{`${props.weekly[i] ? weekLabel(props.weekly[i]) : ''}: ${b.value} ${props.unit}`}</title>
        </rect>
      ))}
    </svg>
  );
}

function Line(props: { values: (number | null)[]; label: string; weekly: readonly WeekBucket[] }) {
  const size = CARD_CHART;
  const { runs, points, max } = lineChart(props.values, size);
  return (
    <svg
      width={size.width}
      height={size.height + 4}
      viewBox={`0 -2 ${size.width} ${size.height + 4}`}
      role="img"
      aria-label={`${props.label}, at most ${formatHours(max)}`}
    >
      <title>{`${props.label}, at most ${formatHours(max)}`}</title>
      <line class="axis" x1="0" x2={size.width} y1={size.height + 0.5} y2={size.height + 0.5} />
      {runs.map((r, i) => (
        <polyline class="line" points={polylinePoints(r)} key={i} />
      ))}
      {points.map((p, i) => (
        <circle class="dot" cx={p.x} cy={p.y} r="2.5" key={i}>
          <title>{formatHours(p.value)}</title>
        </circle>
      ))}
    </svg>
  );
}

const SERVICE_COLUMNS = ['deploys', 'lead time', 'failure rate', 'restore'] as const;

function ServiceRow({ subject }: { subject: SubjectMetrics }) {
  return (
    <tr data-service={subject.service ?? ''}>
      <th scope="row">{subject.service}</th>
      {subject.windows.flatMap((w) => [
        <td key={`${w.days}-d`} data-window={w.days} data-metric="deployments">
          {w.deployments}
        </td>,
        <td key={`${w.days}-l`} data-window={w.days} data-metric="lead-time">
          {formatHours(w.leadTime.medianHours)}
        </td>,
        <td key={`${w.days}-f`} data-window={w.days} data-metric="failure-rate">
          {formatPercent(w.changeFailure.rate)}
        </td>,
        <td key={`${w.days}-r`} data-window={w.days} data-metric="time-to-restore">
          {formatHours(w.timeToRestore.medianHours)}
          {w.timeToRestore.open > 0 ? (
            <div class="badge tone-bad">
              <span aria-hidden="true">✗ </span>
              {w.timeToRestore.open} not restored
            </div>
          ) : null}
        </td>,
      ])}
      <td>
        <Bars
          values={subject.weekly.map((w) => w.deployments)}
          label={`${subject.service} deployments to prod per week`}
          unit="deployments"
          weekly={subject.weekly}
          size={SPARK}
        />
      </td>
    </tr>
  );
}
