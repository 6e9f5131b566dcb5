import { expect } from 'chai';
import type { Dashboard, Panel, RowPanel } from '@grafana/grafana-foundation-sdk/dashboard';
import { loadPlatform } from '../services/config';
import { naming } from '../services/naming';
import { functions, needsDeadLetterQueue, stateMachines } from '../services/queries';
import { metricUsesOf } from './metric-uses';
import { backend } from './backend';

const panels = (d: Dashboard) => (d.panels ?? []) as Array<Panel | RowPanel>;

describe('dashboards/backend', () => {
  const platform = loadPlatform({});
  const model = backend(platform, 'staging');

  it('has a row per function and per state machine', () => {
    const rows = panels(model)
      .filter((p) => p.type === 'row')
      .map((p) => p.title ?? '');
    expect(rows.map((r) => r.split(' — ')[0])).to.deep.equal([
      ...functions(platform.catalogue).map(([n]) => n),
      ...stateMachines(platform.catalogue).map(([n]) => n),
    ]);
  });

  it('draws each function’s p95 duration against its own timeout in this environment', () => {
    for (const [name, entry] of functions(platform.catalogue)) {
      const panel = panels(model).find(
        (p) => p.title === `${name}: duration p95 (timeout ${entry.timeoutSeconds.staging} s)`,
      ) as Panel;
      expect(panel, name).to.not.equal(undefined);
      const steps = panel.fieldConfig?.defaults?.thresholds?.steps ?? [];
      expect(steps.at(-1)).to.deep.equal({ value: entry.timeoutSeconds.staging * 1000, color: 'red' });
    }
  });

  it('shows the dead-letter queue of exactly the functions that have one', () => {
    const queues = metricUsesOf(model)
      .filter((s) => s.use.namespace === 'AWS/SQS')
      .map((s) => s.values.QueueName);
    const expected = functions(platform.catalogue)
      .filter(([, e]) => needsDeadLetterQueue(e))
      .map(([n]) => naming.functionDeadLetterQueue(n, 'staging'));
    expect([...new Set(queues)]).to.deep.equal(expected);
  });

  it('reads every state machine’s started, succeeded, failed and timed-out executions', () => {
    const names = metricUsesOf(model)
      .filter((s) => s.use.namespace === 'AWS/States')
      .map((s) => `${s.values.StateMachineArn} ${s.use.metricName}`);
    for (const [, e] of stateMachines(platform.catalogue)) {
      const machine = naming.stateMachine(e.pascalName, 'staging');
      for (const m of [
        'ExecutionsStarted',
        'ExecutionsSucceeded',
        'ExecutionsFailed',
        'ExecutionsTimedOut',
        'ExecutionTime',
      ])
        expect(names).to.include(`${machine} ${m}`);
    }
  });
});
