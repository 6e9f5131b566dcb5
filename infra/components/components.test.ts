/**
 * Components under Pulumi's mock engine: each constructor refuses what would be unsafe, and the
 * fat functions build the expected children. Run inside the sandbox stack (the smallest).
 */
import { expect } from 'chai';
import { loadPlatform } from '../../services/config';
import { synthStack, type SynthResult } from '../synth';
import { CrossAccountRole } from './cross-account-role';
import { Database } from './database';
import { JenkinsAgentCloud } from './jenkins-agent-cloud';
import { availabilityZoneNames, Network, subnetCidr } from './network';
import { SecureBucket } from './secure-bucket';

const platform = loadPlatform({});

async function refusal(extend: () => void): Promise<string> {
  const outcome = await synthStack('sbox', { platform, extend }).then(
    () => 'no error',
    (err: unknown) => (err instanceof Error ? err.message : String(err)),
  );
  return outcome;
}

async function withExtra(extend: () => void): Promise<SynthResult> {
  return synthStack('sbox', { platform, extend });
}

describe('components', function () {
  this.timeout(30_000);

  it('subnets are /20 blocks of the /16: public 0-7, private 8-15', () => {
    expect(subnetCidr('10.4.0.0/16', 0)).to.equal('10.4.0.0/20');
    expect(subnetCidr('10.4.0.0/16', 10)).to.equal('10.4.160.0/20');
    expect(() => subnetCidr('10.4.0.0/16', 16)).to.throw(/outside a \/16/);
    expect(availabilityZoneNames('eu-west-2', 3)).to.deep.equal(['eu-west-2a', 'eu-west-2b', 'eu-west-2c']);
  });

  it('a cross-account role trusts only role ARNs, never a whole account', async () => {
    const message = await refusal(() => {
      new CrossAccountRole('too-broad', {
        roleName: 'TDRTooBroad',
        description: 'x',
        trustedPrincipalArns: ['arn:aws:iam::123456789012:root'],
        statements: [],
      });
    });
    expect(message).to.contain(
      'CrossAccountRole too-broad: trustedPrincipalArns must be role ARNs (got arn:aws:iam::123456789012:root)',
    );
  });

  it('a network spans two or three zones', async () => {
    const message = await refusal(() => {
      new Network('wide', {
        env: 'sbox',
        region: 'eu-west-2',
        accountId: '111111111111',
        cidr: '10.9.0.0/16',
        availabilityZones: 4,
        natGatewayPerZone: false,
        flowLogRetentionDays: 7,
      });
    });
    expect(message).to.contain('availabilityZones must be 2 or 3, got 4');
  });

  it('the Jenkins agents’ cloud needs a subnet to start agents in', async () => {
    const message = await refusal(() => {
      new JenkinsAgentCloud('nowhere', { vpcId: 'vpc-1', clusterArn: 'arn:aws:ecs:x', subnetIds: [] });
    });
    expect(message).to.contain('JenkinsAgentCloud nowhere: agents need at least one subnet');
  });

  it('a bucket needs a lifecycle rule, and a database a backup period AWS allows', async () => {
    expect(
      await refusal(() => new SecureBucket('bare', { bucketName: 'tdr-bare-sbox', lifecycle: [] })),
    ).to.contain('give at least one lifecycle rule');
    const message = await refusal(() => {
      new Database('db', {
        env: 'sbox',
        serviceName: 'probe',
        vpcId: 'v',
        subnetIds: ['s'],
        clientSecurityGroupIds: ['g'],
        instanceClass: 'db.t4g.small',
        allocatedStorageGb: 20,
        backupRetentionDays: 90,
        multiAz: false,
        deletionProtection: false,
      });
    });
    expect(message).to.contain('backupRetentionDays must be 1-35, got 90');
  });

  it('a secure bucket with a notification has every safeguard as a child of the component', async () => {
    const r = await withExtra(() => {
      new SecureBucket('probe', {
        bucketName: 'tdr-probe-sbox',
        lifecycle: [{ id: 'old', noncurrentVersionsExpireAfterDays: 3 }],
        objectLockDays: 1,
        notifyTopicArn: 'arn:aws:sns:eu-west-2:111111111111:probe',
      });
    });
    const children = r.records
      .filter((x) => x.parent?.endsWith('tdr:storage:SecureBucket::probe'))
      .map((x) => x.type.split(':')[2]);
    expect(children).to.have.members([
      'Bucket',
      'BucketOwnershipControls',
      'BucketPublicAccessBlock',
      'BucketServerSideEncryptionConfiguration',
      'BucketVersioning',
      'BucketLifecycleConfiguration',
      'BucketObjectLockConfiguration',
      'BucketPolicy',
      'BucketNotification',
    ]);
    expect(
      r.records.filter((x) => x.name.startsWith('probe-')).every((x) => /^probe-[a-z-]+$/.test(x.name)),
    ).to.equal(true);
    expect(r.manifest.policies.violations.filter((v) => v.resource?.name.startsWith('probe'))).to.deep.equal(
      [],
    );
  });

  it('a failed program leaves the runtime usable for the next stack', async () => {
    await refusal(() => {
      throw new Error('boom');
    });
    const r = await synthStack('sbox', { platform });
    expect(r.manifest.resources.length).to.be.greaterThan(20);
  });
});
