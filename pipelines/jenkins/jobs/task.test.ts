import { expect } from 'chai';
import { DEFAULT_CATALOGUE, type OneOffTaskEntry } from '../../../services/catalogue';
import { buildPlatform, loadPlatform } from '../../../services/config';
import { DEFAULT_ENVIRONMENTS } from '../../../services/environments';
import { oneOffTasks } from '../../../services/queries';
import { allSteps, buildJenkinsModel } from '../build-model';
import { DEFAULT_JENKINS_SETTINGS } from '../settings';
import { jobContext } from './context';
import { inputParameters } from './task';

describe('run-task job: task inputs', () => {
  const platform = loadPlatform({});
  const model = buildJenkinsModel(platform);
  const declared = oneOffTasks(platform.catalogue).flatMap(([task, e]) =>
    Object.entries(e.inputs ?? {}).map(([name, input]) => ({ task, name, input })),
  );

  it('takes every input a task declares as a parameter of its type, named by its variable', () => {
    expect(declared.map((d) => `${d.task}.${d.name}`)).to.deep.equal([
      'consignment-export.consignmentId',
      'keycloak-update.updatePolicy',
    ]);
    for (const job of model.jobs.filter((j) => j.kind === 'run-task')) {
      for (const d of declared) {
        const p = job.parameters.find((x) => x.name === d.input.variable);
        expect(p, `${job.path} ${d.input.variable}`).to.not.equal(undefined);
        expect(p!.type).to.equal(d.input.type);
        expect(p!.description).to.match(new RegExp(`^${d.task} only: `));
      }
    }
  });

  it('checks a string input against its pattern before anything runs (empty: not given)', () => {
    for (const pipeline of model.pipelines.filter((p) => p.id.startsWith('run-task-'))) {
      const checks = allSteps(pipeline).filter((s) => s.kind === 'require-pattern');
      for (const d of declared.filter((x) => x.input.type === 'string')) {
        expect(checks, pipeline.id).to.deep.include({
          kind: 'require-pattern',
          parameter: d.input.variable,
          pattern: d.input.pattern,
          optional: true,
          hint: `a value matching ${d.input.pattern} (${d.name}: ${d.input.description})`,
        });
      }
    }
  });

  it('runs the chosen task only, passing its declared inputs and no other', () => {
    for (const pipeline of model.pipelines.filter((p) => p.id.startsWith('run-task-'))) {
      for (const [task, entry] of oneOffTasks(platform.catalogue)) {
        const stage = pipeline.stages.find((s) => s.name === `Run ${task}`);
        expect(stage?.when, `${pipeline.id} ${task}`).to.deep.equal([
          { kind: 'parameter-is', parameter: 'TASK', value: task },
        ]);
        const argv = allSteps({ ...pipeline, stages: [stage!] }).flatMap((s) =>
          s.kind === 'shell' ? s.argv : [],
        );
        const inputs = argv.filter((_, i) => argv[i - 1] === '--input');
        expect(inputs, `${pipeline.id} ${task}`).to.deep.equal(
          Object.entries(entry.inputs ?? {}).map(([name, input]) => ({
            env: input.variable,
            prefix: `${name}=`,
          })),
        );
      }
    }
  });

  it('refuses two tasks passing different inputs as one variable', () => {
    const other: OneOffTaskEntry = {
      ...(DEFAULT_CATALOGUE['keycloak-update'] as OneOffTaskEntry),
      pascalName: 'Other',
      inputs: {
        consignment: { description: 'x', type: 'boolean', variable: 'CONSIGNMENT_ID', required: false },
      },
    };
    const clash = buildPlatform({
      environments: DEFAULT_ENVIRONMENTS,
      catalogue: { ...DEFAULT_CATALOGUE, other },
    });
    expect(() => inputParameters(jobContext(clash, DEFAULT_JENKINS_SETTINGS))).to.throw(
      /other\.consignment and consignment-export\.consignmentId are both passed as CONSIGNMENT_ID but differ/,
    );
  });
});
