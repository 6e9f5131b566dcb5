import { expect } from 'chai';
import { DEFAULT_CATALOGUE, type OneOffTaskEntry } from './catalogue';
import { oneOffTasks } from './queries';
import { TaskInputError, parseTaskInputs, taskInputEnvironment } from './task-inputs';

const declared = (task: string) => (DEFAULT_CATALOGUE[task] as OneOffTaskEntry).inputs;
const UUID = '3f2a1c4e-9b7d-4e21-8c3a-0d5e6f7a8b9c';

function problems(task: string, pairs: string[]): string[] {
  try {
    parseTaskInputs(task, declared(task), pairs);
  } catch (err) {
    expect(err).to.be.instanceOf(TaskInputError);
    expect(err).to.have.property('kind', 'invalid');
    return [...(err as TaskInputError).problems];
  }
  throw new Error('expected a TaskInputError');
}

describe('task inputs', () => {
  it('declares consignment-export’s consignmentId (a UUID) and keycloak-update’s updatePolicy (a boolean)', () => {
    expect(declared('consignment-export')).to.have.keys(['consignmentId']);
    expect(declared('consignment-export')!.consignmentId).to.include({ type: 'string', required: true });
    expect(declared('keycloak-update')!.updatePolicy).to.include({ type: 'boolean', required: false });
  });

  it('parses KEY=VALUE into typed values and the container environment they become', () => {
    const values = parseTaskInputs('consignment-export', declared('consignment-export'), [
      `consignmentId=${UUID}`,
    ]);
    expect(values).to.deep.equal({ consignmentId: UUID });
    expect(taskInputEnvironment(declared('consignment-export'), values)).to.deep.equal([
      { name: 'CONSIGNMENT_ID', value: UUID },
    ]);
    const policy = parseTaskInputs('keycloak-update', declared('keycloak-update'), ['updatePolicy=true']);
    expect(policy).to.deep.equal({ updatePolicy: true });
    expect(taskInputEnvironment(declared('keycloak-update'), policy)).to.deep.equal([
      { name: 'UPDATE_POLICY', value: 'true' },
    ]);
    expect(parseTaskInputs('keycloak-update', declared('keycloak-update'), [])).to.deep.equal({});
  });

  it('keeps everything after the first = as the value', () => {
    const values = parseTaskInputs(
      't',
      { note: { description: 'x', type: 'string', variable: 'NOTE', required: false } },
      ['note=a=b'],
    );
    expect(values).to.deep.equal({ note: 'a=b' });
  });

  it('refuses a malformed UUID, naming the input and the pattern', () => {
    const [p] = problems('consignment-export', ['consignmentId=not-a-uuid']);
    expect(p).to.match(/^consignmentId "not-a-uuid" does not match \^\[0-9a-fA-F\]\{8\}-/);
  });

  it('refuses an undeclared input, saying what the task takes', () => {
    expect(problems('consignment-export', [`consignmentId=${UUID}`, 'bucket=x'])).to.deep.equal([
      'bucket is not an input of consignment-export: it takes consignmentId (a string matching ^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$, required)',
    ]);
    expect(problems('consignment-api-data', ['x=1'])).to.deep.equal([
      'x is not an input of consignment-api-data: it takes no inputs',
    ]);
  });

  it('reports every problem at once: a non-boolean, a pair without =, a repeat, a missing required input', () => {
    expect(
      problems('keycloak-update', ['updatePolicy=yes', 'oops', 'updatePolicy=true', 'updatePolicy=false']),
    ).to.deep.equal([
      'updatePolicy must be true or false, not "yes"',
      '"oops" is not KEY=VALUE',
      'updatePolicy is given more than once',
    ]);
    expect(problems('consignment-export', [])).to.deep.equal([
      'consignmentId is required: consignmentId (a string matching ^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$, required), The consignment to export (again), e.g. after a failed export',
    ]);
  });

  it('every declared input of the catalogue is well formed (patterns compile and are anchored)', () => {
    for (const [task, entry] of oneOffTasks(DEFAULT_CATALOGUE)) {
      for (const [name, input] of Object.entries(entry.inputs ?? {})) {
        expect(name, task).to.match(/^[a-z][A-Za-z0-9]*$/);
        expect(input.variable, `${task}.${name}`).to.match(/^[A-Z][A-Z0-9_]*$/);
        if (input.type === 'string') {
          expect(input.pattern, `${task}.${name}`).to.match(/^\^.*\$$/);
          expect(() => new RegExp(input.pattern!)).to.not.throw();
        }
      }
    }
  });
});
