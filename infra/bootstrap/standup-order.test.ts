/**
 * The stand-up order is real: `tdr bootstrap plan`'s steps, walked in order against the stacks'
 * synthesised manifests (the goldens under testdata/infra, which infra/synth.test.ts holds equal to
 * a fresh synth), leave nothing a stack needs to a later step. ./standup-order.ts says what a
 * stack needs and where each rule comes from.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { loadPlatform } from '../../services/config';
import { ENVIRONMENT_NAMES } from '../../services/environments';
import { ecsEntries, functions } from '../../services/queries';
import { EXAMPLE_ORGANISATION } from '../../services/organisation';
import { standUpJenkinsImages } from '../../pipelines/jenkins/settings';
import { naming } from '../../services/naming';
import {
  firstStandUp,
  initialArtifacts,
  standUpPrerequisites,
  type StandUpInput,
  type StandUpItem,
} from './plan';
import { requirementsOf, standUpOrderProblems, type StackManifest } from './standup-order';

const STACKS = ['bootstrap', ...ENVIRONMENT_NAMES] as const;
const manifests = new Map<string, StackManifest>(
  STACKS.map((s) => [
    s,
    JSON.parse(
      readFileSync(join(__dirname, '..', '..', 'testdata', 'infra', `${s}.json`), 'utf8'),
    ) as StackManifest,
  ]),
);
const accountIds = Object.fromEntries(
  ENVIRONMENT_NAMES.map((e) => [e, (manifests.get(e) as unknown as { accountId: string }).accountId]),
) as Record<(typeof ENVIRONMENT_NAMES)[number], string>;
const platform = loadPlatform({});

// The manifests are synthesised with the example organisation.
const input: StandUpInput = {
  accountIds,
  region: 'eu-west-2',
  adminRoleArn: `arn:aws:iam::${accountIds.mgmt}:role/Admin`,
  controllerParameters: [],
  seed: { folders: 1, jobs: 1 },
  jenkinsUrl: 'https://jenkins.example.org/',
  githubOrganisation: 'nationalarchives',
  jenkinsImages: standUpJenkinsImages(),
  preservationRoleArns: Object.values(EXAMPLE_ORGANISATION.preservationExportReaderRoleArns),
  ...initialArtifacts(platform),
};
const plan = () => firstStandUp(input);
const given = standUpPrerequisites(input);

describe('the stand-up order', () => {
  it('creates every role a policy names, every image, package and parameter a stack needs, before that stack', () => {
    expect(standUpOrderProblems(given, plan(), manifests)).to.deep.equal([]);
  });

  it('finds what the workload stacks start from in their manifests: one image per repository, one package per function', () => {
    const workload = requirementsOf(manifests.get('intg')!);
    const images = new Set(
      workload.filter((r) => r.kind === 'image').map((r) => r.kind === 'image' && r.repository),
    );
    const packages = new Set(
      workload.filter((r) => r.kind === 'package').map((r) => r.kind === 'package' && r.key),
    );
    expect(images.size).to.equal(
      new Set(ecsEntries(platform.catalogue).map(([, e]) => e.imageRepository)).size,
    );
    expect(packages.size).to.equal(functions(platform.catalogue).length);
    expect(workload.some((r) => r.kind === 'role')).to.equal(true);
  });

  it('needs the preservation roles from the prerequisites', () => {
    const problems = standUpOrderProblems([], plan(), manifests);
    expect(problems.filter((p) => /needs role PreservationExportReader/.test(p))).to.have.length(
      // Each workload stack names its reader role in the export bucket's and the topic's policy.
      Object.keys(EXAMPLE_ORGANISATION.preservationExportReaderRoleArns).length * 2,
    );
  });

  it("needs the organisation parameter the infra jobs fetch, before every account stack: the bootstrap step's put", () => {
    const organisation = naming.organisationParameter();
    const isIt = (c: StandUpItem) => c.kind === 'parameter' && c.name === organisation;
    const steps = plan();
    const putBy = steps.filter((s) => s.creates.some(isIt));
    expect(putBy.map((s) => s.step)).to.deep.equal([1]);
    expect(putBy[0]!.commands.some((c) => c.includes(`put-parameter`) && c.includes(organisation))).to.equal(
      true,
    );
    const without = steps.map((s) => ({ ...s, creates: s.creates.filter((c) => !isIt(c)) }));
    const accountStacks = steps.flatMap((s) =>
      s.creates.filter((c) => c.kind === 'stack' && c.stack !== 'bootstrap'),
    );
    expect(accountStacks.length).to.equal(ENVIRONMENT_NAMES.length);
    expect(
      standUpOrderProblems(given, without, manifests).filter((p) =>
        p.includes(`needs parameter ${organisation}`),
      ),
    ).to.have.length(ENVIRONMENT_NAMES.length);
  });

  it('names each image and package when the seed step is missing, and a role when its stack comes too late', () => {
    const steps = plan();
    // The step that seeds the workload stacks' images and packages (not the Jenkins images' step).
    const seed = steps.findIndex((s) => s.creates.some((c) => c.kind === 'package'));
    expect(seed).to.be.greaterThan(-1);
    const withoutSeed = steps.filter((_, i) => i !== seed);
    const { initialImages, initialPackages } = initialArtifacts(platform);
    const missing = standUpOrderProblems(given, withoutSeed, manifests);
    // Each of the three workload stacks needs each image and each package.
    expect(missing.filter((p) => / needs image /.test(p))).to.have.length(3 * initialImages.length);
    expect(missing.filter((p) => / needs package /.test(p))).to.have.length(3 * initialPackages.length);
    // Moving mgmt after intg: intg's update role trusts mgmt's node role, which is not there yet.
    const mgmt = steps.findIndex((s) => s.creates.some((c) => c.kind === 'stack' && c.stack === 'mgmt'));
    const late = [...steps];
    const [mgmtStep] = late.splice(mgmt, 1);
    late.push(mgmtStep!);
    expect(
      standUpOrderProblems(given, late, manifests).some((p) =>
        /\(intg\) needs role TDRJenkinsNodeRoleIntg/.test(p),
      ),
    ).to.equal(true);
  });
});
