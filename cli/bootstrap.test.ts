import { expect } from 'chai';
import { runTdr } from '../test/support/cli';

const ids = JSON.stringify({
  mgmt: '900000000000',
  sbox: '900000000001',
  intg: '900000000002',
  staging: '900000000003',
  prod: '900000000004',
});

describe('tdr bootstrap plan', () => {
  it('prints the ordered first stand-up as JSON, with the account ids from TDR_ACCOUNT_IDS', async () => {
    const { code, stdout } = await runTdr(
      ['bootstrap', 'plan', '-o', 'json', '--admin-role', 'arn:aws:iam::900000000000:role/Admin'],
      { TDR_ACCOUNT_IDS: ids },
    );
    expect(code).to.equal(0);
    const steps = JSON.parse(stdout) as Array<{
      step: number;
      title: string;
      commands: string[];
      check: string;
    }>;
    expect(steps[0]?.title).to.match(/^Bootstrap/);
    expect(steps.map((s) => s.step)).to.deep.equal(steps.map((_, i) => i + 1));
    // Every SSM parameter jenkins.yaml reads is in the controller step.
    const controller = steps.find((s) => /Jenkins controller/.test(s.title));
    expect(controller?.commands.join('\n'))
      .to.include('/mgmt/github/secret')
      .and.include('/mgmt/slack/token');
  });

  it('prints the steps for people, each with its commands and its check', async () => {
    const { code, stdout } = await runTdr(['bootstrap', 'plan', '--account-ids', ids], {});
    expect(code).to.equal(0);
    expect(stdout).to.match(/^1\. Bootstrap/);
    expect(stdout).to.include('$ pulumi up --stack mgmt --plan mgmt-plan.json');
    expect(stdout).to.include('check: ');
  });

  it('exits 2 without account ids, with bad ones, or with an administrator role outside mgmt', async () => {
    expect((await runTdr(['bootstrap', 'plan'], {})).code).to.equal(2);
    const bad = await runTdr(['bootstrap', 'plan', '--account-ids', '{"mgmt":"1"}'], {});
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.include('--account-ids');
    const role = await runTdr(
      ['bootstrap', 'plan', '--account-ids', ids, '--admin-role', 'arn:aws:iam::900000000002:role/Admin'],
      {},
    );
    expect(role.code).to.equal(2);
    expect(role.stderr).to.include('must be an IAM role ARN in mgmt (900000000000)');
  });
});
