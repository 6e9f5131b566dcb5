import { expect } from 'chai';
import type { Panel } from '@grafana/grafana-foundation-sdk/dashboard';
import { loadPlatform } from '../services/config';
import { WORKLOAD_ENVIRONMENTS } from '../services/environments';
import { naming } from '../services/naming';
import { canary, sideBySideServices } from './canary';

const platform = loadPlatform({});

describe('canary against baseline dashboard', () => {
  it('exists only where ECS shifts traffic (none for rolling intg)', () => {
    for (const env of WORKLOAD_ENVIRONMENTS)
      expect(canary(platform, env) !== undefined, env).to.equal(sideBySideServices(platform, env).length > 0);
    expect(sideBySideServices(platform, 'intg')).to.deep.equal([]);
  });

  it('draws each side-by-side service’s two target groups in every panel, and marks deploys and stages', () => {
    const env = 'prod';
    const model = canary(platform, env)!;
    const panels = (model.panels ?? []).filter((p): p is Panel => p.type !== 'row');
    const services = sideBySideServices(platform, env);
    expect(panels).to.have.length(services.length * 3);
    for (const p of panels) {
      const service = services.find((s) => p.title?.startsWith(`${s}:`))!;
      const expressions = (p.targets ?? []).map((t) => String((t as { expression?: string }).expression));
      expect(expressions, p.title).to.have.length(2);
      expect(expressions[0]).to.contain(`TargetGroup=${naming.targetGroup(service, env)}'`);
      expect(expressions[1]).to.contain(`TargetGroup=${naming.alternateTargetGroup(service, env)}'`);
    }
    const annotations = model.annotations?.list ?? [];
    const tags = annotations.map((a) => (a.target as { tags?: string[] } | undefined)?.tags);
    expect(tags).to.deep.include(['deploy', env]);
    expect(tags).to.deep.include(
      naming.deployStageAnnotationTags('x', env, 'y').filter((t) => t === 'deploy-stage' || t === env),
    );
  });
});
