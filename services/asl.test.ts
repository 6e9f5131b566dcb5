import { expect } from 'chai';
import type { StateMachineEntry } from './catalogue';
import { DEFAULT_CATALOGUE } from './catalogue';
import { WORKLOAD_ENVIRONMENTS } from './environments';
import { stateMachines } from './queries';
import {
  ECS_RUN_TASK_SYNC,
  functionAliasArn,
  stateMachineDefinition,
  validateDefinition,
  type AslDefinition,
  type AslTarget,
} from './asl';

const target = (env: AslTarget['env']): AslTarget => ({
  env,
  region: 'eu-west-2',
  accountId: '222222222222',
  ecsNetwork: { subnetIds: ['subnet-1', 'subnet-2'], securityGroupIds: ['sg-1'] },
});

const entry = (name: string): StateMachineEntry => {
  const e = DEFAULT_CATALOGUE[name];
  if (e?.kind !== 'stepFunction') throw new Error(`${name} is not a state machine`);
  return e;
};

/** A definition loose enough to break in a test. */
interface Loose {
  StartAt: string;
  States: Record<
    string,
    {
      Next?: string;
      Resource?: string;
      Catch: Array<{ Next: string }>;
      Branches: Loose[];
      Parameters: Record<string, unknown>;
    }
  >;
}

/** A deep copy to break. */
const copy = (d: AslDefinition): Loose & AslDefinition =>
  JSON.parse(JSON.stringify(d)) as Loose & AslDefinition;

describe('services/asl (state machines from the catalogue)', () => {
  it('generates a valid definition for every state machine in every environment', () => {
    expect(stateMachines(DEFAULT_CATALOGUE)).to.have.length(2);
    for (const [name, e] of stateMachines(DEFAULT_CATALOGUE)) {
      for (const env of WORKLOAD_ENVIRONMENTS) {
        expect(
          validateDefinition(stateMachineDefinition(e, target(env)), DEFAULT_CATALOGUE, env),
          `${name} ${env}`,
        ).to.deep.equal([]);
      }
    }
  });

  it('backend-checks: download → antivirus, checksum, file format side by side → api-update, each caught and recorded', () => {
    const def = stateMachineDefinition(entry('backend-checks'), target('intg'));
    expect(def.StartAt).to.equal('download-files');
    expect(def.States['download-files']).to.deep.include({
      Type: 'Task',
      Resource: 'arn:aws:lambda:eu-west-2:222222222222:function:tdr-download-files-intg:live',
      Next: 'antivirus + checksum + file-format',
    });
    const parallel = def.States['antivirus + checksum + file-format']!;
    expect(parallel.Type).to.equal('Parallel');
    expect(parallel.Branches?.map((b) => b.StartAt)).to.deep.equal(['antivirus', 'checksum', 'file-format']);
    expect(parallel.Next).to.equal('api-update');
    expect(def.States['api-update']).to.deep.include({ End: true });
    for (const name of ['download-files', 'antivirus + checksum + file-format', 'api-update']) {
      expect(def.States[name]?.Catch, name).to.deep.equal([
        { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'RecordFailure' },
      ]);
    }
    expect(def.States['download-files']?.Retry).to.deep.equal([
      { ErrorEquals: ['States.ALL'], MaxAttempts: 2, IntervalSeconds: 5, BackoffRate: 2 },
    ]);
    expect(def.States.RecordFailure).to.deep.include({
      Resource: functionAliasArn('api-update', target('intg')),
      Next: 'Failed',
    });
    expect(def.States.Failed).to.deep.include({ Type: 'Fail', Error: 'TDR.BackendChecksFailed' });
  });

  it('export: the ECS export task (waited for, private network), then export-status-update, then notifications', () => {
    const def = stateMachineDefinition(entry('export'), target('prod'));
    expect(def.StartAt).to.equal('consignment-export');
    const task = def.States['consignment-export']!;
    expect(task.Resource).to.equal(ECS_RUN_TASK_SYNC);
    expect(task.Parameters).to.deep.include({
      Cluster: 'arn:aws:ecs:eu-west-2:222222222222:cluster/consignment-export_prod',
      TaskDefinition: 'consignment-export-prod',
      LaunchType: 'FARGATE',
    });
    expect(JSON.stringify(task.Parameters)).to.include('"AssignPublicIp":"DISABLED"');
    expect(task.Next).to.equal('export-status-update');
    expect(def.States['export-status-update']?.Next).to.equal('notifications');
    expect(def.States.notifications?.End).to.equal(true);
  });

  describe('the validator', () => {
    const good = stateMachineDefinition(entry('backend-checks'), target('staging'));
    const issuesOf = (d: AslDefinition) => validateDefinition(d, DEFAULT_CATALOGUE, 'staging');

    it('refuses a Next naming no state', () => {
      const d = copy(good);
      d.States['download-files']!.Next = 'antivirus';
      expect(issuesOf(d)).to.deep.include({
        path: 'States.download-files.Next',
        message: '"antivirus" is not a state of this scope',
      });
    });

    it('refuses a Catch going nowhere, and a StartAt naming no state', () => {
      const d = copy(good);
      d.States['api-update']!.Catch[0]!.Next = 'Recover';
      d.StartAt = 'start';
      expect(issuesOf(d).map((i) => i.path)).to.include.members([
        'States.api-update.Catch.0.Next',
        'StartAt',
      ]);
    });

    it('refuses a task resource that is not a catalogue function, inside a parallel branch too', () => {
      const d = copy(good);
      d.States['antivirus + checksum + file-format']!.Branches[1]!.States.checksum!.Resource =
        'arn:aws:lambda:eu-west-2:222222222222:function:tdr-md5-staging:live';
      expect(issuesOf(d)).to.deep.equal([
        {
          path: 'States.antivirus + checksum + file-format.Branches.1.States.checksum.Resource',
          message:
            '"arn:aws:lambda:eu-west-2:222222222222:function:tdr-md5-staging:live" is not a function of the catalogue in staging',
        },
      ]);
    });

    it('refuses another environment’s function, and a function called past its live alias', () => {
      const d = copy(good);
      d.States['download-files']!.Resource = functionAliasArn('download-files', target('prod'));
      d.States['api-update']!.Resource =
        'arn:aws:lambda:eu-west-2:222222222222:function:tdr-api-update-staging:$LATEST'.replace('$', '');
      expect(issuesOf(d).map((i) => i.message)).to.deep.equal([
        '"arn:aws:lambda:eu-west-2:222222222222:function:tdr-download-files-prod:live" is not a function of the catalogue in staging',
        'must call the live alias, not LATEST',
      ]);
    });

    it('refuses an ECS step naming no one-off task', () => {
      const d = copy(stateMachineDefinition(entry('export'), target('staging')));
      d.States['consignment-export']!.Parameters.TaskDefinition = 'frontend-staging';
      expect(issuesOf(d)[0]?.path).to.equal('States.consignment-export.Parameters.TaskDefinition');
    });
  });
});
