/**
 * Backend: the serverless backend of one environment. A row per function (invocations, errors,
 * duration p95 against its timeout, throttles, and its dead-letter queue's depth and oldest
 * message) and a row per state machine (executions started, succeeded, failed, timed out, and
 * execution time). Metrics from services/aws-metrics.ts only; alarm colours from
 * services/thresholds.ts, so a panel turns red exactly when its alarm would.
 */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as units from '@grafana/grafana-foundation-sdk/units';
import { AWS_METRICS, findAwsMetric, metricStat, type MetricStat } from '../services/aws-metrics';
import type { Platform } from '../services/config';
import type { WorkloadEnvironmentName } from '../services/environments';
import { naming } from '../services/naming';
import { functions, stateMachines, needsDeadLetterQueue } from '../services/queries';
import { BACKEND_ALARMS } from '../services/thresholds';
import {
  alarmSteps,
  baseDashboard,
  deployAnnotations,
  expressionQuery,
  filledQuery,
  finish,
  metricQuery,
  timeseriesPanel,
  type ThresholdSteps,
} from './panels';

export const BACKEND = 'backend';

/** Percent of its timeout at which a function's p95 duration turns orange. */
const TIMEOUT_WARNING_PERCENT = 80;

/**
 * State machine metrics are dimensioned by `StateMachineArn`, which holds the account id no offline
 * build knows, so they are found with a SEARCH: an unquoted value is a partial match on the ARN's
 * tokens, and the name finds its ARN (AWS_DOCS.searchSyntax). Counts are filled with 0.
 */
export function stateMachineSearch(metric: MetricStat, stateMachine: string, periodSeconds: number): string {
  const search = `SEARCH('{${metric.namespace},StateMachineArn} MetricName="${metric.metricName}" StateMachineArn=${stateMachine}', '${metric.statistic}', ${periodSeconds})`;
  return findAwsMetric(metric.namespace, metric.metricName)?.reporting === 'nonzero'
    ? `FILL(${search}, 0)`
    : search;
}

function timeoutSteps(timeoutSeconds: number): ThresholdSteps {
  const ms = timeoutSeconds * 1000;
  return [
    { value: null, color: 'green' },
    { value: (ms * TIMEOUT_WARNING_PERCENT) / 100, color: 'orange' },
    { value: ms, color: 'red' },
  ];
}

// eslint-disable-next-line max-lines-per-function -- a dashboard's panels in the order Grafana shows them: the layout reads top to bottom here.
function functionRows(
  builder: dashboard.DashboardBuilder,
  platform: Platform,
  env: WorkloadEnvironmentName,
): void {
  const region = platform.environments[env].region;
  const { functionErrors, deadLetterMessages } = BACKEND_ALARMS;
  for (const [name, entry] of functions(platform.catalogue)) {
    const fn = naming.functionName(name, env);
    const dims = { FunctionName: fn };
    const count = (id: string, metric: MetricStat, label: string) =>
      filledQuery(id, region, { ...metric, dimensions: dims }, label, '0', '60');
    const timeout = entry.timeoutSeconds[env];
    builder.withRow(new dashboard.RowBuilder(`${name} — ${entry.description}`));
    builder
      .withPanel(
        timeseriesPanel({
          title: `${name}: invocations`,
          description: `Invocations of ${fn} (every version; triggers call the live alias). Zero while uploads or exports are happening means its trigger is broken: check the trigger (queue, bucket event, schedule or state machine) beside this row.`,
          unit: units.Short,
          width: 6,
          targets: count('invocations', metricStat(AWS_METRICS.lambdaInvocations, 'Sum'), 'invocations'),
        }),
      )
      .withPanel(
        timeseriesPanel({
          title: `${name}: errors`,
          description: `Failed invocations of ${fn} (alarm ${naming.alarm(name, env, functionErrors.key)} above ${functionErrors.threshold} per 5 minutes). ${functionErrors.runbook}`,
          unit: units.Short,
          width: 6,
          targets: filledQuery(
            'errors',
            region,
            { ...functionErrors.metric, dimensions: dims },
            'errors',
            '0',
            String(functionErrors.periodSeconds),
          ),
          steps: alarmSteps(functionErrors),
        }),
      )
      .withPanel(
        timeseriesPanel({
          title: `${name}: duration p95 (timeout ${timeout} s)`,
          description: `95th percentile run time of ${fn} against its ${timeout} s timeout in ${env} (orange from ${TIMEOUT_WARNING_PERCENT}%, red at the timeout, where Lambda kills the run). Close to the timeout: raise timeoutSeconds (or memory, which brings CPU) in services/backend-catalogue.ts, or find what got slow.`,
          unit: units.Milliseconds,
          width: 6,
          targets: [
            metricQuery(
              'p95',
              region,
              { ...metricStat(AWS_METRICS.lambdaDuration, 'p95'), dimensions: dims },
              'p95',
            ),
          ],
          steps: timeoutSteps(timeout),
        }),
      )
      .withPanel(
        timeseriesPanel({
          title: `${name}: throttles`,
          description: `Invocations of ${fn} refused for want of concurrency${entry.reservedConcurrency === null ? ' (it shares the account’s pool)' : ` (reserved concurrency ${entry.reservedConcurrency})`}. Throttled asynchronous events are retried, then sent to the dead-letter queue; throttled state machine steps are retried by the step's retries.`,
          unit: units.Short,
          width: 6,
          targets: count('throttles', metricStat(AWS_METRICS.lambdaThrottles, 'Sum'), 'throttles'),
        }),
      );
    if (needsDeadLetterQueue(entry)) {
      const queue = naming.functionDeadLetterQueue(name, env);
      const q = { QueueName: queue };
      builder.withPanel(
        timeseriesPanel({
          title: `${name}: dead-letter queue`,
          description: `Messages waiting in ${queue} (alarm ${naming.alarm(name, env, deadLetterMessages.key)} above ${deadLetterMessages.threshold}), and the age of the oldest. ${deadLetterMessages.runbook}`,
          unit: units.Short,
          width: 12,
          targets: [
            metricQuery('dlq', region, { ...deadLetterMessages.metric, dimensions: q }, 'messages').period(
              String(deadLetterMessages.periodSeconds),
            ),
          ],
          steps: alarmSteps(deadLetterMessages),
        }),
      );
      builder.withPanel(
        timeseriesPanel({
          title: `${name}: oldest dead letter`,
          description: `How long the oldest message has waited in ${queue}. SQS keeps a message 14 days: redrive or read it before then.`,
          unit: units.Seconds,
          width: 12,
          targets: [
            metricQuery(
              'age',
              region,
              { ...metricStat(AWS_METRICS.sqsAgeOfOldestMessage, 'Maximum'), dimensions: q },
              'age',
            ),
          ],
        }),
      );
    }
  }
}

function stateMachineRows(
  builder: dashboard.DashboardBuilder,
  platform: Platform,
  env: WorkloadEnvironmentName,
): void {
  const region = platform.environments[env].region;
  const { executionsFailed } = BACKEND_ALARMS;
  const period = 300;
  for (const [name, entry] of stateMachines(platform.catalogue)) {
    const machine = naming.stateMachine(entry.pascalName, env);
    const search = (id: string, metric: MetricStat, label: string) =>
      expressionQuery(id, region, stateMachineSearch(metric, machine, period), label, metric.statistic);
    builder.withRow(new dashboard.RowBuilder(`${name} — ${entry.description}`));
    builder
      .withPanel(
        timeseriesPanel({
          title: `${name}: executions`,
          description: `Executions of ${machine} started, succeeded, failed and timed out per 5 minutes (alarm ${naming.alarm(name, env, executionsFailed.key)} on any failure). ${executionsFailed.runbook}`,
          unit: units.Short,
          width: 12,
          targets: [
            search('started', metricStat(AWS_METRICS.statesExecutionsStarted, 'Sum'), 'started'),
            search('succeeded', metricStat(AWS_METRICS.statesExecutionsSucceeded, 'Sum'), 'succeeded'),
            search('failed', executionsFailed.metric, 'failed'),
            search('timedout', metricStat(AWS_METRICS.statesExecutionsTimedOut, 'Sum'), 'timed out'),
          ],
          steps: alarmSteps(executionsFailed),
        }),
      )
      .withPanel(
        timeseriesPanel({
          title: `${name}: execution time`,
          description: `How long executions of ${machine} take, average and 95th percentile (they time out at ${entry.timeoutSeconds} s). A rise follows its slowest step: compare the functions' durations above.`,
          unit: units.Milliseconds,
          width: 12,
          targets: [
            search('avg', metricStat(AWS_METRICS.statesExecutionTime, 'Average'), 'average'),
            search('p95', metricStat(AWS_METRICS.statesExecutionTime, 'p95'), 'p95'),
          ],
        }),
      );
  }
}

export function backend(platform: Platform, env: WorkloadEnvironmentName): dashboard.Dashboard {
  const builder = baseDashboard(
    env,
    BACKEND,
    `TDR ${env} — backend`,
    `The serverless backend in ${env}: every function's traffic, errors, duration against its timeout, throttles and dead letters, and every state machine's executions; blue marks are releases`,
  ).annotation(deployAnnotations(env));
  functionRows(builder, platform, env);
  stateMachineRows(builder, platform, env);
  return finish(builder);
}
