import type { TaskDefinition } from '@aws-sdk/client-ecs';
import { expect } from 'chai';
import { taskDefinitionDiff, withImage } from './taskdef';

const current: TaskDefinition = {
  taskDefinitionArn: 'arn:aws:ecs:eu-west-2:2:task-definition/frontend-intg:4',
  family: 'frontend-intg',
  revision: 4,
  status: 'ACTIVE',
  compatibilities: ['EC2', 'FARGATE'],
  requiresAttributes: [{ name: 'x' }],
  registeredAt: new Date(0),
  requiresCompatibilities: ['FARGATE'],
  cpu: '512',
  memory: '1024',
  networkMode: 'awsvpc',
  containerDefinitions: [
    {
      name: 'frontend',
      image: 'repo@sha256:old',
      memory: 512,
      secrets: [{ name: 'S', valueFrom: 'arn:p' }],
      environment: [{ name: 'A', value: '1' }],
    },
    { name: 'aws-otel-collector', image: 'public.ecr.aws/otel:v1', memory: 512 },
  ],
};

describe('task definition revision', () => {
  it('is the current one with only the released container’s image changed', () => {
    const next = withImage(current, 'frontend', 'repo@sha256:new');
    expect(next).to.not.have.any.keys(
      'taskDefinitionArn',
      'revision',
      'status',
      'compatibilities',
      'requiresAttributes',
      'registeredAt',
    );
    expect(next.containerDefinitions?.[0]).to.deep.equal({
      ...current.containerDefinitions?.[0],
      image: 'repo@sha256:new',
    });
    expect(next.containerDefinitions?.[1]).to.deep.equal(current.containerDefinitions?.[1]);
    expect(taskDefinitionDiff(current, next)).to.deep.equal([
      '- containerDefinitions[0].image: "repo@sha256:old"',
      '+ containerDefinitions[0].image: "repo@sha256:new"',
    ]);
  });

  it('refuses a task definition without the service’s container', () => {
    expect(() => withImage(current, 'keycloak', 'x')).to.throw(
      'has no container keycloak (it has frontend, aws-otel-collector)',
    );
  });

  it('diffs added and removed fields', () => {
    expect(taskDefinitionDiff({ a: 1, b: [1, 2] }, { a: 2, b: [1], c: 'x' })).to.deep.equal([
      '- a: 1',
      '+ a: 2',
      '- b[1]: 2',
      '+ c: "x"',
    ]);
  });
});
