import { expect } from 'chai';
import { loadPlatform } from '../../../services/config';
import { allStages, allSteps, buildJenkinsModel } from '../build-model';
import type { Arg, Job, Pipeline, Step } from '../model';
import { maxReasonLength, serviceUnavailablePage } from '../../release/strategies/maintenance-listener';
import { REASON_PATTERN } from './maintenance';

describe('maintenance job', () => {
  const platform = loadPlatform({});
  const model = buildJenkinsModel(platform);
  const jobs = model.jobs.filter((j) => j.kind === 'maintenance');
  const pipelineOf = (j: Job): Pipeline => {
    const p = model.pipelines.find((x) => x.id === j.pipeline);
    if (!p) throw new Error(`${j.path} runs unknown pipeline ${String(j.pipeline)}`);
    return p;
  };
  const needsApproval = (j: Job) => Boolean(platform.environments[j.environment].promotion?.approval);
  const tdrArgvs = (stage: Pipeline['stages'][number]): Array<readonly Arg[]> =>
    (stage.steps ?? []).flatMap((s) => (s.kind === 'shell' && s.argv[0] === 'tdr' ? [s.argv] : []));

  it('exists once in every environment on the promotion path, at {env}/maintenance', () => {
    expect(platform.promotionPath).to.not.deep.equal([]);
    expect(jobs.map((j) => j.environment)).to.deep.equal([...platform.promotionPath]);
    for (const j of jobs) expect(j.path).to.equal(`${j.environment}/maintenance`);
  });

  it('takes SWITCH (on, off) and a free-text REASON', () => {
    for (const j of jobs) {
      expect(
        j.parameters.map((p) => [p.name, p.type]),
        j.path,
      ).to.deep.equal([
        ['SWITCH', 'choice'],
        ['REASON', 'string'],
      ]);
      expect(j.parameters[0]?.choices, j.path).to.deep.equal(['on', 'off']);
    }
  });

  it('checks REASON, and requires it to switch on, before any stage holds an agent', () => {
    for (const j of jobs) {
      const p = pipelineOf(j);
      const firstAgent = p.stages.findIndex((s) => s.agent !== undefined);
      expect(firstAgent, j.path).to.be.greaterThan(0);
      const checks = p.stages.slice(0, firstAgent).flatMap((s) => s.steps ?? []);
      expect(checks, j.path).to.deep.include({
        kind: 'require-choice',
        parameter: 'SWITCH',
        choices: ['on', 'off'],
      });
      const onOnly = checks.find(
        (s): s is Extract<Step, { kind: 'if-matches' }> =>
          s.kind === 'if-matches' && s.parameter === 'SWITCH',
      );
      expect(onOnly?.pattern, j.path).to.equal('on');
      expect(onOnly?.steps, j.path).to.deep.equal([
        {
          kind: 'require-pattern',
          parameter: 'REASON',
          pattern: REASON_PATTERN,
          optional: false,
          hint: 'given to switch maintenance on: why the service is unavailable (the page shows it)',
        },
      ]);
    }
  });

  it('refuses, before any agent, a reason longer than the service-unavailable page holds', () => {
    for (const j of jobs) {
      const p = pipelineOf(j);
      const check = allSteps(p).find(
        (s): s is Extract<Step, { kind: 'require-pattern' }> =>
          s.kind === 'require-pattern' && s.parameter === 'REASON' && s.optional,
      );
      const whole = new RegExp(`^(?:${check?.pattern})$`);
      expect(whole.test('x'.repeat(maxReasonLength())), j.path).to.equal(true);
      expect(whole.test('x'.repeat(maxReasonLength() + 1)), j.path).to.equal(false);
      // What the check lets through, the engine's page holds.
      expect(() => serviceUnavailablePage('x'.repeat(maxReasonLength()))).to.not.throw();
      expect(() => serviceUnavailablePage('x'.repeat(maxReasonLength() + 1))).to.throw(/1024/);
    }
  });

  it('accepts one line with text as the reason to switch on, and refuses blank or several lines', () => {
    const whole = new RegExp(`^(?:${REASON_PATTERN})$`);
    expect(whole.test('database upgrade until 14:00 (incident #42)')).to.equal(true);
    for (const bad of ['', '   ', 'two\nlines', 'tab\tin it', 'nul\u0000'])
      expect(whole.test(bad), bad).to.equal(false);
  });

  it('asks an approver where releases need one, with the switch, environment and reason, and passes who approved', () => {
    const approving = jobs.filter(needsApproval);
    expect(approving.map((j) => j.environment)).to.include('prod');
    for (const j of approving) {
      const p = pipelineOf(j);
      const rule = platform.environments[j.environment].promotion!.approval!;
      const approvals = allSteps(p).filter((s) => s.kind === 'approval');
      expect(approvals, j.path).to.have.length(1);
      const approval = approvals[0] as Extract<Step, { kind: 'approval' }>;
      expect(approval.group).to.equal(rule.group);
      expect(approval.message).to.deep.include.members([{ env: 'SWITCH' }, { env: 'REASON' }]);
      expect(approval.message.some((m) => typeof m === 'string' && m.includes(j.environment))).to.equal(true);
      expect(allSteps(p).some((s) => s.kind === 'require-different')).to.equal(
        rule.approverMustNotBePromoter,
      );
      const approveAt = p.stages.findIndex((s) => s.name === 'Approve');
      expect(allStages(p).flatMap(tdrArgvs), j.path).to.have.length(2);
      for (const stage of allStages(p).filter((s) => s.agent)) {
        expect(p.stages.indexOf(stage), `${j.path} ${stage.name}`).to.be.greaterThan(approveAt);
        for (const argv of tdrArgvs(stage)) {
          expect(argv[argv.indexOf('--jenkins-approver') + 1], `${j.path} ${stage.name}`).to.deep.equal({
            env: 'APPROVER',
          });
        }
      }
    }
  });

  it('neither asks nor passes an approver where releases need none', () => {
    const open = jobs.filter((j) => !needsApproval(j));
    expect(open.map((j) => j.environment)).to.include('intg');
    for (const j of open) {
      const p = pipelineOf(j);
      expect(
        allSteps(p).filter((s) => s.kind === 'approval'),
        j.path,
      ).to.deep.equal([]);
      const argvs = allStages(p).flatMap(tdrArgvs);
      expect(argvs, j.path).to.have.length(2);
      for (const argv of argvs) expect(argv, j.path).to.not.include('--jenkins-approver');
    }
  });

  it('runs tdr maintenance on or off, only for the chosen SWITCH, on its own environment agent', () => {
    for (const j of jobs) {
      const p = pipelineOf(j);
      const approver = needsApproval(j) ? ['--jenkins-approver', { env: 'APPROVER' }] : [];
      for (const which of ['on', 'off']) {
        const stages = p.stages.filter((s) => tdrArgvs(s).some((a) => a[2] === which));
        expect(stages, `${j.path} ${which}`).to.have.length(1);
        expect(stages[0]?.agent).to.equal(j.environment);
        expect(stages[0]?.when).to.deep.equal([{ kind: 'parameter-is', parameter: 'SWITCH', value: which }]);
        expect(tdrArgvs(stages[0]!)).to.deep.equal([
          [
            'tdr',
            'maintenance',
            which,
            '--env',
            j.environment,
            '--reason',
            { env: 'REASON' },
            '--actor',
            { env: 'TDR_ACTOR' },
            '--build-url',
            { env: 'BUILD_URL' },
            ...approver,
          ],
        ]);
      }
    }
  });

  it('queues rather than runs two builds at once, and gets Grafana for the release annotation', () => {
    for (const j of jobs) {
      const p = pipelineOf(j);
      expect(p.disableConcurrentBuilds, j.path).to.equal(true);
      expect(p.credentialVariables, j.path).to.have.property('GRAFANA_TOKEN');
    }
  });
});
