import { expect } from 'chai';
import { loadPlatform } from '../services/config';
import { generate } from './index';
import { isUnchanged } from './publisher';

describe('dashboards/publisher isUnchanged', () => {
  const wanted = generate(loadPlatform({})).dashboards[0]!;
  const stored = (dashboard: Record<string, unknown>, folderUid = wanted.folderUid) => ({
    dashboard: dashboard as Record<string, unknown> & { version?: number },
    meta: { folderUid, version: 4 },
  });
  const asGrafanaHasIt = () =>
    ({ ...JSON.parse(JSON.stringify(wanted.model)), id: 17, version: 4 }) as Record<string, unknown>;

  it('ignores the fields Grafana owns (id, version)', () => {
    expect(isUnchanged(stored(asGrafanaHasIt()), wanted)).to.equal(true);
  });

  it('sees an edit anywhere in the model', () => {
    const edited = asGrafanaHasIt();
    (edited.panels as Array<{ title: string }>)[3]!.title = 'edited in the UI';
    expect(isUnchanged(stored(edited), wanted)).to.equal(false);
  });

  it('sees a field Grafana holds that the code does not generate', () => {
    expect(isUnchanged(stored({ ...asGrafanaHasIt(), graphTooltip: 2, extra: true }), wanted)).to.equal(
      false,
    );
  });

  it('sees a dashboard in the wrong folder', () => {
    expect(isUnchanged(stored(asGrafanaHasIt(), 'elsewhere'), wanted)).to.equal(false);
  });
});
