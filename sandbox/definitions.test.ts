/**
 * No drift between the sandbox and infra: every role and task definition the sandbox creates is
 * compared with what the infra program declares for the same account ids under Pulumi's mock
 * engine, and the only differences allowed are the ones sandbox/definitions.ts names for moto.
 */
import { deliveryStrategy, ecsEntries, ecsServices, functions, stateMachines } from '../services/queries';
import { spawnSync } from 'node:child_process';
import { expect } from 'chai';
import type { RegisterTaskDefinitionCommandInput } from '@aws-sdk/client-ecs';
import { loadPlatform, type AccountIds } from '../services/config';
import { ENVIRONMENT_NAMES, WORKLOAD_ENVIRONMENTS, type EnvironmentName } from '../services/environments';
import { naming } from '../services/naming';
import { loadStackConfig, synthStacks, type ManifestResource } from '../infra/synth';
import { JUDGED_KINDS } from '../infra/definitions/ecs-deployment';
import {
  SANDBOX_ACCOUNT_IDS,
  SANDBOX_OMITTED_STATEMENTS,
  databaseSecretOf,
  sandboxFunction,
  sandboxRoles,
  sandboxTaskDefinition,
} from './definitions';

const platform = loadPlatform({});
const RELEASED = (name: string) => `${naming.ecrRepository(name)}@sha256:${'0'.repeat(64)}`;

/** The account ids of infra's embedded stack config, so that both sides name the same accounts. */
function stackAccountIds(): AccountIds {
  return Object.fromEntries(
    ENVIRONMENT_NAMES.map((env) => [env, loadStackConfig(env).values['tdr:accountId']]),
  ) as unknown as AccountIds;
}

/** What may differ: the released image and the secret of the main container, a one-off task's network. */
function withoutSandboxChanges(def: Record<string, unknown>, name: string): Record<string, unknown> {
  const main = naming.containerName(name);
  const containers = (def.containerDefinitions as Array<Record<string, unknown>>).map((c) => {
    if (c.name !== main) return c;
    const { image: _image, secrets: _secrets, ...rest } = c;
    return rest;
  });
  const { networkMode: _mode, requiresCompatibilities: _compat, ...rest } = def;
  return platform.catalogue[name]?.kind === 'task'
    ? { ...rest, containerDefinitions: containers }
    : { ...def, containerDefinitions: containers };
}

describe('the sandbox is built from infra’s definitions (no drift)', () => {
  const ids = stackAccountIds();
  const declared = new Map<EnvironmentName, readonly ManifestResource[]>();
  const ofType = (env: EnvironmentName, type: string) =>
    (declared.get(env) ?? []).filter((r) => r.type === `aws:${type}`);

  before(async function () {
    this.timeout(120_000);
    const results = await synthStacks(['mgmt', ...WORKLOAD_ENVIRONMENTS], { platform });
    for (const r of results) declared.set(r.manifest.stack as EnvironmentName, r.manifest.resources);
  });

  it('uses the account ids of infra’s embedded stack config for the accounts it fakes', () => {
    expect({ ...ids, mgmt: undefined }).to.deep.equal({ ...SANDBOX_ACCOUNT_IDS, mgmt: undefined });
  });

  it('creates each role with the trust, inline policy, description and session length infra declares', () => {
    const roles = sandboxRoles(platform, ids);
    expect(roles.length).to.be.greaterThan(0);
    for (const { env, role } of roles) {
      const where = `${role.roleName} in ${env}`;
      const infra = ofType(env, 'iam/role:Role').find((r) => r.inputs.name === role.roleName);
      expect(infra, `${where} is not declared by infra`).to.not.equal(undefined);
      expect(infra?.inputs, where).to.deep.equal({
        name: role.roleName,
        description: role.description,
        assumeRolePolicy: JSON.parse(role.trustPolicy),
        maxSessionDuration: role.maxSessionDuration,
      });
      const policies = ofType(env, 'iam/rolePolicy:RolePolicy').filter(
        (r) => r.inputs.role === role.roleName,
      );
      const withoutOmitted = (inputs: Record<string, unknown>) => {
        const policy = inputs.policy as { Statement: Array<{ Sid?: string }> };
        return {
          ...inputs,
          policy: {
            ...policy,
            Statement: policy.Statement.filter((st) => !SANDBOX_OMITTED_STATEMENTS.includes(st.Sid ?? '')),
          },
        };
      };
      expect(
        policies.map((p) => withoutOmitted(p.inputs)),
        where,
      ).to.deep.equal(
        role.inlinePolicy
          ? [
              {
                name: role.inlinePolicy.name,
                role: role.roleName,
                policy: JSON.parse(role.inlinePolicy.document),
              },
            ]
          : [],
      );
    }
  });

  it('creates every function as infra declares it (name, runtime, handler, size, role, code at v1), outside a VPC', () => {
    for (const env of WORKLOAD_ENVIRONMENTS) {
      const infra = ofType(env, 'lambda/function:Function');
      expect(infra).to.have.length(functions(platform.catalogue).length);
      for (const [name] of functions(platform.catalogue)) {
        const sandbox = sandboxFunction(platform, ids, env, name);
        const declared = infra.find((f) => f.inputs.name === sandbox.FunctionName)?.inputs ?? {};
        expect(
          {
            name: declared.name,
            runtime: declared.runtime,
            handler: declared.handler,
            memorySize: declared.memorySize,
            timeout: declared.timeout,
            role: declared.role,
            s3Bucket: declared.s3Bucket,
            s3Key: declared.s3Key,
            variables: (declared.environment as { variables?: unknown } | undefined)?.variables,
          },
          `${env} ${name}`,
        ).to.deep.equal({
          name: sandbox.FunctionName,
          runtime: sandbox.Runtime,
          handler: sandbox.Handler,
          memorySize: sandbox.MemorySize,
          timeout: sandbox.Timeout,
          role: sandbox.Role,
          s3Bucket: sandbox.Code?.S3Bucket,
          s3Key: sandbox.Code?.S3Key,
          variables: sandbox.Environment?.Variables,
        });
      }
    }
  });

  it('leaves out of a workload account only the roles nothing on the release path uses', () => {
    const sandboxed = new Set(sandboxRoles(platform, ids).map((r) => `${r.env} ${r.role.roleName}`));
    for (const env of WORKLOAD_ENVIRONMENTS) {
      const missing = ofType(env, 'iam/role:Role')
        .map((r) => String(r.inputs.name))
        .filter((name) => !sandboxed.has(`${env} ${name}`));
      // State machines are not released (their functions are), and the sandbox creates none.
      expect(missing, env).to.have.members([
        naming.flowLogRole(env),
        naming.grafanaMonitoringRole(env),
        naming.chatbotRole(env),
        ...stateMachines(platform.catalogue).map(([, e]) => naming.stateMachineRole(e.pascalName, env)),
        // ECS assumes it to move listener rules; moto runs no deployment stages (the engine on moto
        // follows a sandbox service as rolling, as infra's strategy is not applied there).
        ...(ecsServices(platform.catalogue).some(
          ([name]) => deliveryStrategy(platform, name, env)?.kind !== 'rolling',
        )
          ? [naming.ecsLoadBalancerInfrastructureRole(env)]
          : []),
        // ECS assumes it to invoke the canary judge hook; moto runs no deployment stages either.
        ...(ecsServices(platform.catalogue).some(([name]) =>
          JUDGED_KINDS.includes(deliveryStrategy(platform, name, env)?.kind ?? 'rolling'),
        )
          ? [naming.ecsJudgeHookRole(env)]
          : []),
      ]);
    }
  });

  it('registers, for every service and one-off task in every workload account, infra’s task definition', () => {
    for (const env of WORKLOAD_ENVIRONMENTS) {
      const infraDefs = ofType(env, 'ecs/taskDefinition:TaskDefinition');
      expect(infraDefs.map((d) => d.inputs.family)).to.have.members(
        ecsEntries(platform.catalogue).map(([name]) => naming.taskFamily(name, env)),
      );
      for (const [name] of ecsEntries(platform.catalogue)) {
        const family = naming.taskFamily(name, env);
        const infra = infraDefs.find((d) => d.inputs.family === family)?.inputs ?? {};
        const sandbox = sandboxTaskDefinition(platform, ids, env, name, RELEASED(name));
        const plain = JSON.parse(JSON.stringify(sandbox)) as Record<string, unknown>;
        expect(withoutSandboxChanges(plain, name), family).to.deep.equal(withoutSandboxChanges(infra, name));
        expectOnlyTheNamedChanges(sandbox, infra, env, name);
      }
    }
  });

  it('loads no Pulumi: `tdr sandbox` stays fast', () => {
    const probe = [
      "require('./sandbox/up'); require('./sandbox/demo'); require('./cli/sandbox');",
      "const loaded = Object.keys(require.cache).filter((f) => f.includes('/node_modules/@pulumi/'));",
      'process.stdout.write(JSON.stringify(loaded));',
    ].join('\n');
    const run = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', probe], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status, run.stderr).to.equal(0);
    expect(JSON.parse(run.stdout)).to.deep.equal([]);
  }).timeout(60_000);
});

function expectOnlyTheNamedChanges(
  sandbox: RegisterTaskDefinitionCommandInput,
  infra: Readonly<Record<string, unknown>>,
  env: (typeof WORKLOAD_ENVIRONMENTS)[number],
  name: string,
): void {
  const main = sandbox.containerDefinitions?.find((c) => c.name === naming.containerName(name));
  expect(main?.image).to.equal(RELEASED(name));
  const secret = databaseSecretOf(platform, env, name);
  expect(main?.secrets?.map((s) => s.valueFrom?.split(':parameter')[1])).to.deep.equal(
    secret ? [secret] : undefined,
  );
  if (platform.catalogue[name]?.kind === 'task') {
    expect(infra.networkMode).to.equal('awsvpc');
    expect(sandbox.networkMode).to.equal('bridge');
    expect(sandbox.requiresCompatibilities).to.equal(undefined);
  } else {
    expect(sandbox.networkMode).to.equal(infra.networkMode);
    expect(sandbox.requiresCompatibilities).to.deep.equal(infra.requiresCompatibilities);
  }
}
