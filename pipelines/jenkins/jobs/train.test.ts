/**
 * The release-train jobs (issue 26), read from the model: one per environment promoted into from
 * another; exactly one input where the environment needs an approver (none elsewhere), then
 * `tdr train approve` as its submitter, then `tdr train promote`; the id checked against the
 * CLI's own pattern; an abort once the train runs rolls it back.
 */
import { expect } from 'chai';
import { loadPlatform } from '../../../services/config';
import { TRAIN_ID_PATTERN, TRAIN_ID_PATTERN_SOURCE } from '../../../services/train-id';
import { trainIdOf } from '../../release/train/plan';
import { allSteps, buildJenkinsModel } from '../build-model';
import type { Arg, Pipeline, Step } from '../model';
import { TRAIN_PLAN_FILE, TRAIN_VARIABLES } from './train';

const platform = loadPlatform({});
const model = buildJenkinsModel(platform);
/** Environments a train goes to: promoted into from another environment (not from the build). */
const targets = platform.promotionPath.filter((e) => {
  const source = platform.environments[e].promotion?.source;
  return source !== undefined && source !== 'build';
});

const pipelineOf = (id: string): Pipeline => {
  const p = model.pipelines.find((x) => x.id === id);
  if (!p) throw new Error(`no pipeline ${id}`);
  return p;
};
const words = (argv: readonly Arg[]) => argv.map((a) => (typeof a === 'string' ? a : `$${a.env}`));
/** The `tdr` subcommands a list of steps runs, in order (`train promote`, …). */
const tdrCalls = (steps: readonly Step[]) =>
  steps.flatMap((s) =>
    s.kind === 'shell' && s.argv[0] === 'tdr' ? [words(s.argv).slice(1, 3).join(' ')] : [],
  );

describe('release-train jobs', () => {
  it('exist for every environment promoted into from another, and only those', () => {
    expect(targets.length).to.be.greaterThan(0);
    const jobs = model.jobs.filter((j) => j.kind === 'release-train');
    expect(jobs.map((j) => j.path)).to.deep.equal(targets.map((t) => `${t}/release-train`));
    for (const t of targets) expect(pipelineOf(`release-train-${t}`).disableConcurrentBuilds).to.equal(true);
  });

  it('asks for exactly one input where the environment needs an approver, none elsewhere', () => {
    for (const t of targets) {
      const approval = platform.environments[t].promotion?.approval ?? null;
      const steps = allSteps(pipelineOf(`release-train-${t}`));
      const inputs = steps.filter((s) => s.kind === 'approval');
      expect(inputs, t).to.have.length(approval ? 1 : 0);
      const calls = tdrCalls(steps);
      expect(calls, t).to.deep.equal(
        approval
          ? ['train plan', 'train plan', 'train approve', 'train promote', 'train rollback']
          : ['train plan', 'train plan', 'train promote', 'train rollback'],
      );
      if (!approval) continue;
      expect(inputs[0]).to.include({ group: approval.group, approverVariable: 'APPROVER' });
      // Four eyes where the rule asks: whoever started the build cannot be its approver.
      expect(steps.some((s) => s.kind === 'require-different')).to.equal(approval.approverMustNotBePromoter);
      // The approval is recorded as the input's submitter, with this build (as the promote job does).
      const approve = steps.find((s) => s.kind === 'shell' && words(s.argv).includes('approve'));
      expect(approve && approve.kind === 'shell' && words(approve.argv)).to.deep.equal([
        'tdr',
        'train',
        'approve',
        '--train',
        `$${TRAIN_VARIABLES.trainId}`,
        '--to',
        t,
        '--jenkins-approver',
        '$APPROVER',
        '--build-url',
        '$BUILD_URL',
      ]);
    }
  });

  it('plans from the source, archives the plan, and takes the id only when it matches the CLI’s pattern', () => {
    for (const t of targets) {
      const source = platform.environments[t].promotion?.source;
      const steps = allSteps(pipelineOf(`release-train-${t}`));
      const plans = steps.filter((s) => s.kind === 'shell' && words(s.argv).includes('plan'));
      for (const p of plans)
        expect(p.kind === 'shell' && words(p.argv).slice(3, 7), t).to.deep.equal([
          '--from',
          source,
          '--to',
          t,
        ]);
      expect(plans.filter((p) => p.kind === 'shell' && p.stdoutTo === TRAIN_PLAN_FILE)).to.have.length(1);
      expect(steps).to.deep.include({ kind: 'archive', pattern: TRAIN_PLAN_FILE });
      const read = steps.find((s) => s.kind === 'read-json-field');
      expect(read).to.include({
        file: TRAIN_PLAN_FILE,
        field: 'trainId',
        variable: TRAIN_VARIABLES.trainId,
        pattern: TRAIN_ID_PATTERN_SOURCE,
        parameter: 'TRAIN',
      });
      const check = steps.find((s) => s.kind === 'require-pattern' && s.parameter === 'TRAIN');
      expect(check).to.include({ pattern: TRAIN_ID_PATTERN_SOURCE, optional: true });
    }
    // The pattern is the one the engine's ids match, and it refuses what is not one.
    expect(TRAIN_ID_PATTERN.test(trainIdOf('staging', 'prod', []))).to.equal(true);
    for (const bad of ['train-0123', 'train-0123456789ABCDEF', 'x; rm -rf /', `train-${'0'.repeat(17)}`])
      expect(TRAIN_ID_PATTERN.test(bad), bad).to.equal(false);
  });

  it('rolls the train back on an abort only once tdr train promote started', () => {
    for (const t of targets) {
      const p = pipelineOf(`release-train-${t}`);
      const promote = p.stages.find((s) => s.name === `Promote the train to ${t}`);
      expect(
        promote?.steps?.map((s) => (s.kind === 'shell' ? words(s.argv).slice(0, 3).join(' ') : s.kind)),
      ).to.deep.equal(['set', 'tdr train promote', 'set']);
      expect(promote?.steps?.[0]).to.deep.equal({
        kind: 'set',
        variable: TRAIN_VARIABLES.inFlight,
        value: 'true',
      });
      const aborted = p.post.aborted ?? [];
      expect(aborted[0]).to.include({
        kind: 'if-variable',
        variable: TRAIN_VARIABLES.inFlight,
        value: 'true',
      });
      const rollback = allSteps({ ...p, stages: [], post: { aborted } }).find((s) => s.kind === 'shell');
      expect(rollback && rollback.kind === 'shell' && words(rollback.argv)).to.deep.equal([
        'tdr',
        'train',
        'rollback',
        '--train',
        `$${TRAIN_VARIABLES.trainId}`,
        '--to',
        t,
        '--actor',
        '$TDR_ACTOR',
        '--build-url',
        '$BUILD_URL',
      ]);
    }
  });
});
