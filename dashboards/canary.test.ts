import { ServiceDeploymentLifecycleStage } from '@aws-sdk/client-ecs';
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
    expect(tags).to.deep.include(naming.deployStageAnnotationFilter(env));
  });

  it('its stage-mark query finds every mark the release engine writes there, and none of another environment', () => {
    // The stages ECS reports (the SDK model's ServiceDeploymentLifecycleStage), for each service shown.
    const stages = Object.values(ServiceDeploymentLifecycleStage);
    expect(stages.length).to.be.greaterThan(5);
    for (const env of WORKLOAD_ENVIRONMENTS) {
      const model = canary(platform, env);
      if (!model) continue;
      const query = (model.annotations?.list ?? []).find((a) => a.name === 'Deployment stages')!;
      const target = query.target as { tags: string[]; matchAny: boolean };
      // matchAny false: an annotation is shown when it carries every tag asked for.
      expect(target.matchAny).to.equal(false);
      for (const service of sideBySideServices(platform, env))
        for (const stage of stages) {
          const carried = naming.deployStageAnnotationTags(service, env, stage);
          expect(
            target.tags.every((t) => carried.includes(t)),
            `${service} ${stage} in ${env}`,
          ).to.equal(true);
          for (const other of WORKLOAD_ENVIRONMENTS.filter((e) => e !== env)) {
            const elsewhere = naming.deployStageAnnotationTags(service, other, stage);
            expect(
              target.tags.every((t) => elsewhere.includes(t)),
              `${other}'s mark on ${env}`,
            ).to.equal(false);
          }
        }
    }
  });
});
