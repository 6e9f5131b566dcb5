import { expect } from 'chai';
import {
  needGrafana,
  runInstalledTdr,
  runTdr,
  tdrCheckRecord,
  tdrDashboardsPublish,
  tdrDeploy,
  tdrJobsBuild,
  tdrMaintenance,
  tdrPromote,
  tdrRollback,
  tdrReport,
  tdrStatus,
  tdrSynth,
  tdrTaskRun,
  tdrCommandOf,
} from './tdr-commands';
import { shellCommand } from './render-jenkinsfile';

const SERVICE = { env: 'SERVICE' };
const VERSION = { env: 'VERSION' };

describe('tdr command builders', () => {
  it('write the flags in order and leave out the ones not given', () => {
    expect(tdrPromote({ service: SERVICE, to: 'prod', actor: 'bob' }).argv).to.deep.equal([
      'tdr',
      'promote',
      '--service',
      SERVICE,
      '--to',
      'prod',
      '--actor',
      'bob',
    ]);
    expect(tdrStatus().argv).to.deep.equal(['tdr', 'status']);
    expect(tdrStatus({ json: true }).argv).to.deep.equal(['tdr', 'status', '-o', 'json']);
    expect(tdrReport({ html: 'release-report.html', json: true }).argv).to.deep.equal([
      'tdr',
      'report',
      '--html',
      'release-report.html',
      '-o',
      'json',
    ]);
    expect(tdrReport({ slack: true }).argv).to.deep.equal(['tdr', 'report', '--slack']);
  });

  it('pass task inputs as --input KEY=VALUE, one shell word each, a variable after its KEY=', () => {
    const command = tdrTaskRun({
      task: 'consignment-export',
      env: 'intg',
      version: VERSION,
      inputs: [
        { name: 'consignmentId', value: { env: 'CONSIGNMENT_ID' } },
        { name: 'updatePolicy', value: 'true' },
      ],
    });
    expect(command.argv).to.deep.equal([
      'tdr',
      'task',
      'run',
      '--task',
      'consignment-export',
      '--env',
      'intg',
      '--version',
      VERSION,
      '--input',
      { env: 'CONSIGNMENT_ID', prefix: 'consignmentId=' },
      '--input',
      'updatePolicy=true',
    ]);
    expect(shellCommand(command.argv)).to.equal(
      `tdr task run --task consignment-export --env intg --version "$VERSION" --input consignmentId="$CONSIGNMENT_ID" --input updatePolicy=true`,
    );
  });

  it('switch maintenance with the switch as a word, the reason optional to switch off', () => {
    expect(
      tdrMaintenance({
        switch: 'on',
        env: 'prod',
        reason: { env: 'REASON' },
        actor: { env: 'TDR_ACTOR' },
        jenkinsApprover: { env: 'APPROVER' },
      }).argv,
    ).to.deep.equal([
      'tdr',
      'maintenance',
      'on',
      '--env',
      'prod',
      '--reason',
      { env: 'REASON' },
      '--actor',
      { env: 'TDR_ACTOR' },
      '--jenkins-approver',
      { env: 'APPROVER' },
    ]);
    expect(tdrMaintenance({ switch: 'off', env: 'intg' }).argv).to.deep.equal([
      'tdr',
      'maintenance',
      'off',
      '--env',
      'intg',
    ]);
  });

  it('run the installed tdr, or with npx from the checkout, and know both argvs as theirs', () => {
    const status = tdrStatus();
    const installed = runInstalledTdr(status);
    const fromCheckout = runTdr(status, { stdoutTo: 'out.txt' });
    expect(installed).to.deep.equal({ kind: 'shell', argv: ['tdr', 'status'] });
    expect(fromCheckout).to.deep.equal({
      kind: 'shell',
      argv: ['npx', 'tdr', 'status'],
      stdoutTo: 'out.txt',
    });
    for (const step of [installed, fromCheckout])
      if (step.kind === 'shell') expect(tdrCommandOf(step.argv)).to.equal(status);
  });

  it('give Grafana credentials to the commands that annotate releases or publish dashboards, and no other', () => {
    const grafana = [
      tdrDeploy({ service: SERVICE, env: 'intg', version: VERSION }),
      tdrPromote({ service: SERVICE, to: 'staging' }),
      tdrRollback({ service: SERVICE, env: 'prod' }),
      tdrMaintenance({ switch: 'on', env: 'prod', reason: { env: 'REASON' } }),
      tdrDashboardsPublish(),
    ];
    const none = [
      tdrCheckRecord({ service: SERVICE, env: 'intg', version: VERSION, name: 'e2e', result: 'passed' }),
      tdrTaskRun({ task: { env: 'TASK' }, env: 'intg', version: VERSION }),
      tdrStatus({ json: true }),
      tdrJobsBuild({ out: 'dist/jenkins' }),
      tdrSynth(),
    ];
    for (const c of grafana) expect(needGrafana([runTdr(c)]), c.argv.join(' ')).to.equal(true);
    for (const c of none) expect(needGrafana([runTdr(c)]), c.argv.join(' ')).to.equal(false);
  });

  it('know their own argv, and not a hand-written copy of it', () => {
    const deploy = tdrDeploy({ service: SERVICE, env: 'intg', version: VERSION });
    expect(tdrCommandOf(deploy.argv)).to.equal(deploy);
    expect(tdrCommandOf([...deploy.argv])).to.equal(undefined);
    expect(needGrafana([{ kind: 'shell', argv: [...deploy.argv] }])).to.equal(false);
  });
});
