import { expect } from 'chai';
import { DEFAULT_ENVIRONMENTS, type Environment, type EnvironmentName } from './environments';
import { approverPermissionSets, approverRoles } from './queries';

function approving(approvers: Partial<Record<EnvironmentName, readonly string[]>>) {
  const envs = { ...DEFAULT_ENVIRONMENTS } as Record<EnvironmentName, Environment>;
  for (const [name, list] of Object.entries(approvers) as Array<[EnvironmentName, readonly string[]]>) {
    const env = envs[name];
    envs[name] = {
      ...env,
      promotion: {
        ...env.promotion!,
        approval: { group: 'admins', approvers: list, approverMustNotBePromoter: true },
      },
    };
  }
  return envs;
}

describe('approverRoles: the approver roles the platform creates', () => {
  it('are the plain role/Name approvers of the model, with what they approve', () => {
    const roles = approverRoles(DEFAULT_ENVIRONMENTS);
    expect(roles.map((r) => r.environments)).to.deep.equal([['prod']]);
    for (const r of roles)
      for (const env of r.environments)
        expect(DEFAULT_ENVIRONMENTS[env].promotion?.approval?.approvers).to.include(`role/${r.roleName}`);
  });

  it('leave out patterns and roles under a path, and name a role once with every environment it approves', () => {
    const envs = approving({
      staging: ['role/Shared', 'role/OnlyStaging', 'role/team/Pathed', 'role/Sso_*'],
      prod: ['role/Shared', 'role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_TDRAdmin_*'],
    });
    expect(approverRoles(envs)).to.deep.equal([
      { roleName: 'Shared', environments: ['staging', 'prod'] },
      { roleName: 'OnlyStaging', environments: ['staging'] },
    ]);
  });
});

describe('approverPermissionSets: the IAM Identity Center permission sets among an environment’s approvers', () => {
  it('are the sets named under Identity Center’s path, each once, in model order; nothing else', () => {
    const sso = (set: string) => `role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_${set}_*`;
    const envs = approving({
      staging: ['role/Shared', 'role/AWSReservedSSO_LookAlike_*', 'role/team/AWSReservedSSO_Pathed_*'],
      prod: [sso('TDRAdmin'), 'role/Shared', sso('TDR.Release-Managers'), sso('TDRAdmin')],
    });
    expect(approverPermissionSets(envs.staging)).to.deep.equal([]);
    expect(approverPermissionSets(envs.prod)).to.deep.equal(['TDRAdmin', 'TDR.Release-Managers']);
    expect(approverPermissionSets(DEFAULT_ENVIRONMENTS.intg)).to.deep.equal([]);
  });
});
