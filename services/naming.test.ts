import { expect } from 'chai';
import fc from 'fast-check';
import { DEFAULT_CATALOGUE } from './catalogue';
import { ecsEntries } from './queries';
import { ENVIRONMENT_NAMES, WORKLOAD_ENVIRONMENTS, type EnvironmentName } from './environments';
import { WORKLOAD_BUCKET_FUNCTIONS, naming } from './naming';
import { SERVICE_NAME_PATTERN } from './validate';

/** AWS's (and Grafana's) rules for each kind of name, from their API references. */
const RULES: Record<string, { max: number; pattern: RegExp }> = {
  cluster: { max: 255, pattern: /^[A-Za-z0-9_-]+$/ },
  ecsService: { max: 255, pattern: /^[A-Za-z0-9_-]+$/ },
  taskFamily: { max: 255, pattern: /^[A-Za-z0-9_-]+$/ },
  targetGroup: { max: 32, pattern: /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/ },
  logGroup: { max: 512, pattern: /^[.\-_/#A-Za-z0-9]+$/ },
  bucket: { max: 63, pattern: /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/ },
  role: { max: 64, pattern: /^[\w+=,.@-]+$/ },
  ecrRepository: { max: 256, pattern: /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/ },
  databaseIdentifier: { max: 63, pattern: /^[a-zA-Z](?!.*--)[a-zA-Z0-9-]*[a-zA-Z0-9]$/ },
  parameter: { max: 1011, pattern: /^\/[a-zA-Z0-9_.\-/]+$/ },
  alarm: { max: 255, pattern: /^[\x20-\x7e]+$/ },
  grafanaUid: { max: 40, pattern: /^[a-zA-Z0-9_-]+$/ },
};

function namesOf(
  service: string,
  pascalName: string,
  env: EnvironmentName,
): Array<[kind: string, name: string]> {
  return [
    ['cluster', naming.cluster(service, env)],
    ['ecsService', naming.ecsService(service, env)],
    ['taskFamily', naming.taskFamily(service, env)],
    ['targetGroup', naming.targetGroup(service, env)],
    ['logGroup', naming.logGroup(service, env)],
    ['role', naming.taskRole(pascalName, env)],
    ['role', naming.executionRole(pascalName, env)],
    ['ecrRepository', naming.ecrRepository(service)],
    ['databaseIdentifier', naming.databaseIdentifier(service, env)],
    ['parameter', naming.databaseSecret(service, env)],
    ['parameter', naming.serviceParameter(service, env, 'client_secret')],
    ['alarm', naming.alarm(service, env, 'cpu-high')],
  ];
}

function envNames(env: EnvironmentName): Array<[string, string]> {
  return [
    ...WORKLOAD_BUCKET_FUNCTIONS.map((fn): [string, string] => ['bucket', naming.bucket(fn, env)]),
    ['role', naming.jenkinsNodeRole(env)],
    ['role', naming.jenkinsEcsUpdateRole(env)],
    ['role', naming.releaseReaderRole(env)],
    ['role', naming.grafanaMonitoringRole(env)],
    ['parameter', naming.accountIdParameter(env)],
    ['grafanaUid', naming.grafanaFolderUid(env)],
    ['grafanaUid', naming.grafanaDatasourceUid(env)],
    ['grafanaUid', naming.grafanaDashboardUid(env, 'services-overview')],
  ];
}

function assertValid(kind: string, name: string): void {
  const rule = RULES[kind];
  if (!rule) throw new Error(`no rule for ${kind}`);
  expect(name.length, `${kind} ${name} is too long`).to.be.at.most(rule.max);
  expect(name, `${kind} ${name}`).to.match(rule.pattern);
}

// fast-check cannot generate from a lookahead, so generate the shape and keep what the validator accepts.
const serviceName = fc
  .stringMatching(/^[a-z][a-z0-9]{0,8}(?:-[a-z0-9]{1,6}){0,3}$/)
  .filter((s) => SERVICE_NAME_PATTERN.test(s));
const pascalName = fc.stringMatching(/^[A-Z][A-Za-z0-9]{1,29}$/);

describe('services/naming', () => {
  it("follows TDR's conventions for the real catalogue", () => {
    expect(naming.cluster('consignmentapi', 'intg')).to.equal('consignmentapi_intg');
    expect(naming.ecsService('consignmentapi', 'intg')).to.equal('consignmentapi_service_intg');
    expect(naming.taskFamily('consignmentapi', 'staging')).to.equal('consignmentapi-staging');
    expect(naming.bucket('upload-files-quarantine', 'prod')).to.equal('tdr-upload-files-quarantine-prod');
    expect(naming.jenkinsNodeRole('intg')).to.equal('TDRJenkinsNodeRoleIntg');
    expect(naming.jenkinsEcsUpdateRole('staging')).to.equal('TDRJenkinsECSUpdateRoleStaging');
    expect(naming.releaseReaderRole('prod')).to.equal('TDRReleaseReaderRoleProd');
    expect(naming.taskRole('ConsignmentApi', 'prod')).to.equal('TDRConsignmentApiEcsTaskRoleProd');
    expect(naming.accountIdParameter('prod')).to.equal('/mgmt/prod_account');
  });

  it('gives every catalogue entry valid names in every environment', () => {
    for (const [service, entry] of ecsEntries(DEFAULT_CATALOGUE)) {
      for (const env of WORKLOAD_ENVIRONMENTS) {
        for (const [kind, name] of namesOf(service, entry.pascalName, env)) assertValid(kind, name);
      }
      assertValid('ecrRepository', naming.ecrRepository(entry.imageRepository));
    }
    for (const env of ENVIRONMENT_NAMES) for (const [kind, name] of envNames(env)) assertValid(kind, name);
  });

  it('property: any service name the validator accepts yields names valid for their AWS resource', () => {
    fc.assert(
      fc.property(serviceName, pascalName, fc.constantFrom(...ENVIRONMENT_NAMES), (service, pascal, env) => {
        for (const [kind, name] of namesOf(service, pascal, env)) assertValid(kind, name);
      }),
      { numRuns: 500 },
    );
  });

  it('property: names are unique across a catalogue and across environments', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(serviceName, pascalName), {
          minLength: 1,
          maxLength: 12,
          selector: ([s]) => s,
        }),
        (entries) => {
          // Pascal names are unique per catalogue (the validator enforces it); make them so here.
          const catalogue = entries.map(([s, p], i) => [s, `${p}${i}`] as const);
          const seen = new Map<string, string>();
          for (const env of ENVIRONMENT_NAMES) {
            for (const [kind, name] of envNames(env)) {
              const key = `${kind}:${name}`;
              expect(seen.has(key), `${key} twice`).to.equal(false);
              seen.set(key, env);
            }
            for (const [service, pascal] of catalogue) {
              for (const [kind, name] of namesOf(service, pascal, env)) {
                if (kind === 'ecrRepository') continue; // one repository per image, shared by every environment
                const key = `${kind}:${name}`;
                expect(seen.has(key), `${key} for ${service}/${env} already named ${seen.get(key)}`).to.equal(
                  false,
                );
                seen.set(key, `${service}/${env}`);
              }
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
