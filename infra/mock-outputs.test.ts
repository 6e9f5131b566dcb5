import * as aws from '@pulumi/aws';
import { expect } from 'chai';
import { standIn, withStandIns } from './mock-outputs';
import { recordProgram } from './synth';
import { one, synthesizeAll } from './synth.test-helper';

describe('stand-ins for outputs the mock engine leaves empty (infra/mock-outputs)', function () {
  this.timeout(60_000);

  it('an input built from an output-only property reaches the manifest, named after its source', async () => {
    // A key's `keyId` is computed by AWS; the mock returns only inputs, so without a stand-in the
    // alias's required `targetKeyId` would be dropped from the registration.
    const records = await recordProgram('sbox', {}, '111111111111', 'eu-west-2', () => {
      const key = new aws.kms.Key('k', { description: 'test', enableKeyRotation: true });
      new aws.kms.Alias('k-alias', { name: 'alias/test', targetKeyId: key.keyId });
      new aws.kms.Alias('k-alias-by-arn', { name: 'alias/test-arn', targetKeyId: key.arn });
      return {};
    });
    const alias = records.find((r) => r.name === 'k-alias');
    expect(alias?.inputs).to.deep.equal({ name: 'alias/test', targetKeyId: standIn('k', 'keyId') });
    // What the mock already sets (an ARN shaped like AWS's) is left as it is.
    const byArn = records.find((r) => r.name === 'k-alias-by-arn');
    expect(String(byArn?.inputs.targetKeyId)).to.match(/^arn:aws:kms:eu-west-2:111111111111:key\//);
  });

  it('the bootstrap manifest names the secrets key the alias points at', async () => {
    await synthesizeAll();
    expect(one('bootstrap', 'aws:kms/alias:Alias', 'pulumi-secrets-key-alias').targetKeyId).to.equal(
      standIn('pulumi-secrets-key', 'keyId'),
    );
  });

  it('fills only what is empty', () => {
    expect(withStandIns({ a: 1, b: undefined }, 'r', ['a', 'b', 'c'])).to.deep.equal({
      a: 1,
      b: standIn('r', 'b'),
      c: standIn('r', 'c'),
    });
  });
});
