/** Release-train order (issue 26): the catalogue's dependencies, checked and sorted. */
import { expect } from 'chai';
import { DEFAULT_CATALOGUE } from './catalogue';
import type { Catalogue } from './catalogue-types';
import { checkTrainOrder, findCycle, trainOrder } from './train-order';
import { validatePlatform } from './validate';
import { loadPlatform } from './config';
import { DEFAULT_ENVIRONMENTS } from './environments';

const withDeps = (deps: Record<string, string[]>): Catalogue =>
  Object.fromEntries(
    Object.entries(DEFAULT_CATALOGUE).map(([n, e]) => [n, deps[n] ? { ...e, dependsOn: deps[n] } : e]),
  ) as Catalogue;

describe('train order', () => {
  it('puts every member after what it depends on, for the real catalogue', () => {
    const catalogue = loadPlatform({}).catalogue;
    const names = Object.keys(catalogue).filter((n) => catalogue[n]?.kind !== 'stepFunction');
    const order = trainOrder(catalogue, names);
    expect([...order].sort()).to.deep.equal([...names].sort());
    for (const n of order) {
      const deps = (catalogue[n] as { dependsOn?: string[] }).dependsOn ?? [];
      for (const d of deps) expect(order.indexOf(d), `${d} before ${n}`).to.be.lessThan(order.indexOf(n));
    }
    expect(checkTrainOrder(catalogue)).to.deep.equal([]);
  });

  it('ignores a dependency outside the train', () => {
    const catalogue = loadPlatform({}).catalogue;
    expect(trainOrder(catalogue, ['frontend'])).to.deep.equal(['frontend']);
  });

  it('refuses an unknown name and names one cycle', () => {
    const unknown = checkTrainOrder(withDeps({ frontend: ['nope'] }));
    expect(unknown).to.deep.equal([
      {
        path: 'catalogue.frontend.dependsOn.0',
        message: '"nope" is not a service, function or task of the catalogue',
      },
    ]);
    const cyclic = withDeps({ frontend: ['keycloak'], keycloak: ['frontend'] });
    expect(findCycle(cyclic)).to.deep.equal(['frontend', 'keycloak', 'frontend']);
    expect(checkTrainOrder(cyclic)[0]?.message).to.equal(
      'dependencies have a cycle: frontend → keycloak → frontend',
    );
  });

  it('is part of the model check (a bad override is refused at load)', () => {
    const issues = validatePlatform({
      environments: DEFAULT_ENVIRONMENTS,
      catalogue: withDeps({ keycloak: ['keycloak'] }),
    });
    expect(issues.map((i) => i.message)).to.include('dependencies have a cycle: keycloak → keycloak');
  });
});
