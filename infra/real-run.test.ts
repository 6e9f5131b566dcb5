/**
 * A real `pulumi preview|up` refuses, before any AWS call, while the organisation's values are
 * missing or still the embedded examples (services/organisation.ts): each field named with where
 * its real value comes from. STS and SSM are mocked at the client (no call may happen on refusal).
 */
import { SSMClient } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import {
  EXAMPLE_ORGANISATION,
  exampleOrganisationText,
  ORGANISATION_FIELDS,
  ORGANISATION_PARAMETER_MAX_BYTES,
  OrganisationConfigError,
} from '../services/organisation';
import { REAL_ORGANISATION, organisationFile as file } from '../test/support/organisation';
import { EXAMPLE_CONTROLLER_IMAGE_DIGEST, StackConfigError } from './config';
import { prepareAccountStack, prepareBootstrap } from './real-run';

const IDS = {
  mgmt: '900000000000',
  sbox: '900000000001',
  intg: '900000000002',
  staging: '900000000003',
  prod: '900000000004',
};

function clients() {
  const sts = new STSClient({ region: 'eu-west-2' });
  const ssm = new SSMClient({ region: 'eu-west-2' });
  const stsMock = mockClient(sts);
  const ssmMock = mockClient(ssm);
  stsMock
    .on(GetCallerIdentityCommand)
    .resolves({ Account: IDS.mgmt, Arn: `arn:aws:sts::${IDS.mgmt}:assumed-role/TDRJenkinsInfraRoleIntg/s` });
  return { clients: { sts, ssm }, calls: () => stsMock.calls().length + ssmMock.calls().length };
}

async function refusal(run: Promise<unknown>): Promise<OrganisationConfigError> {
  const err = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).to.be.instanceOf(OrganisationConfigError);
  expect((err as OrganisationConfigError).kind).to.equal('invalid');
  return err as OrganisationConfigError;
}

const env = (extra: Record<string, string>) => ({ TDR_ACCOUNT_IDS: JSON.stringify(IDS), ...extra });

describe('a real pulumi run and the organisation config', () => {
  it('without TDR_ORGANISATION refuses before any AWS call, naming every field and its source', async () => {
    const c = clients();
    const err = await refusal(prepareAccountStack('intg', {}, env({}), c.clients));
    expect(err.issues.map((i) => i.path)).to.deep.equal(
      ORGANISATION_FIELDS.map((f) => `TDR_ORGANISATION ${f.path}`),
    );
    for (const [i, f] of ORGANISATION_FIELDS.entries()) expect(err.issues[i]!.message).to.include(f.source);
    expect(c.calls()).to.equal(0);
    await refusal(prepareBootstrap({}, env({}), c.clients));
    expect(c.calls()).to.equal(0);
  });

  it('refuses the embedded examples, naming exactly the fields that are placeholders', async () => {
    const c = clients();
    const err = await refusal(
      prepareAccountStack('prod', {}, env({ TDR_ORGANISATION: file(EXAMPLE_ORGANISATION) }), c.clients),
    );
    const placeholders = ORGANISATION_FIELDS.filter((f) =>
      f.isExample(
        f.path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], EXAMPLE_ORGANISATION),
      ),
    );
    expect(placeholders.length).to.be.greaterThan(0);
    expect(err.issues.map((i) => i.path)).to.deep.equal(
      placeholders.map((f) => `TDR_ORGANISATION ${f.path}`),
    );
    expect(err.message).to.include('Z0PROD00000000000001').and.include('route53');
    expect(c.calls()).to.equal(0);
  });

  it('refuses one example value left among real ones, and a TEST-NET range in the allowlist', async () => {
    const c = clients();
    const mixed = { ...REAL_ORGANISATION, jenkinsAllowlist: ['10.0.0.0/8', '203.0.113.0/24'] };
    const err = await refusal(
      prepareAccountStack('mgmt', {}, env({ TDR_ORGANISATION: file(mixed) }), c.clients),
    );
    expect(err.issues.map((i) => i.path)).to.deep.equal(['TDR_ORGANISATION jenkinsAllowlist']);
  });

  it('refuses a malformed file naming the field, and a stack config that sets an organisation key itself', async () => {
    const c = clients();
    const bad = { ...REAL_ORGANISATION, hostedZoneIds: { ...REAL_ORGANISATION.hostedZoneIds, intg: 'zone' } };
    const err = await refusal(
      prepareAccountStack('intg', {}, env({ TDR_ORGANISATION: file(bad) }), c.clients),
    );
    expect(err.message).to.include('TDR_ORGANISATION hostedZoneIds.intg').and.include('hosted zone id');
    const own = await prepareAccountStack(
      'intg',
      { 'tdr:hostedZoneId': 'Z0INTG00000000000001' },
      env({ TDR_ORGANISATION: file(REAL_ORGANISATION) }),
      c.clients,
    ).catch((e: Error) => e);
    expect(String(own)).to.include('stack intg tdr:hostedZoneId').and.include('organisation config');
    expect(c.calls()).to.equal(0);
  });

  it('with the real organisation, the stack config carries its values', async () => {
    const c = clients();
    const config = await prepareAccountStack(
      'intg',
      { 'tdr:vpcCidr': '10.2.0.0/16' },
      env({ TDR_ORGANISATION: file(REAL_ORGANISATION) }),
      c.clients,
    );
    expect(config.kind).to.equal('workload');
    expect(config.values).to.include({
      'tdr:hostedZoneId': REAL_ORGANISATION.hostedZoneIds.intg,
      'tdr:preservationRoleArn': REAL_ORGANISATION.preservationExportReaderRoleArns.intg,
      'tdr:slackWorkspaceId': REAL_ORGANISATION.slack.workspaceId,
      'tdr:alarmsSlackChannelId': REAL_ORGANISATION.slack.alarmChannelIds.intg,
      'tdr:accountId': IDS.intg,
    });
  });

  it('refuses a file that would not fit one standard SSM parameter (how the infra jobs get it), and takes one that just fits', async () => {
    const c = clients();
    const path = file(REAL_ORGANISATION);
    const text = JSON.stringify(REAL_ORGANISATION);
    // Valid JSON padded with whitespace: only the size is wrong.
    const padded = (bytes: number) => text + ' '.repeat(bytes - Buffer.byteLength(text));
    writeFileSync(path, padded(ORGANISATION_PARAMETER_MAX_BYTES + 1));
    const err = await refusal(prepareAccountStack('intg', {}, env({ TDR_ORGANISATION: path }), c.clients));
    expect(err.issues.map((i) => i.path)).to.deep.equal(['TDR_ORGANISATION']);
    expect(err.message)
      .to.include(`${ORGANISATION_PARAMETER_MAX_BYTES + 1} bytes`)
      .and.include('standard-tier SSM parameter');
    expect(c.calls()).to.equal(0);
    writeFileSync(path, padded(ORGANISATION_PARAMETER_MAX_BYTES));
    const config = await prepareAccountStack(
      'intg',
      { 'tdr:vpcCidr': '10.2.0.0/16' },
      env({ TDR_ORGANISATION: path }),
      c.clients,
    );
    expect(config.values).to.include({ 'tdr:hostedZoneId': REAL_ORGANISATION.hostedZoneIds.intg });
    // The sandbox's parameter holds the example organisation, indented: it fits too.
    expect(Buffer.byteLength(exampleOrganisationText())).to.be.within(1, ORGANISATION_PARAMETER_MAX_BYTES);
  });

  it('refuses the example controller image digest of the offline mgmt config, before any AWS call', async () => {
    const c = clients();
    const key = 'tdr:jenkinsControllerImageDigest';
    const err = await prepareAccountStack(
      'mgmt',
      { [key]: EXAMPLE_CONTROLLER_IMAGE_DIGEST },
      env({ TDR_ORGANISATION: file(REAL_ORGANISATION) }),
      c.clients,
    ).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(StackConfigError);
    expect((err as StackConfigError).kind).to.equal('invalid');
    expect((err as StackConfigError).issues.map((i) => i.path)).to.deep.equal([`stack mgmt ${key}`]);
    expect(String(err)).to.include('The Jenkins images');
    expect(c.calls()).to.equal(0);
  });
});
