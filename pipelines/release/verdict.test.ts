import { expect } from 'chai';
import { digestColumn, short } from './verdict';

describe('how a digest is shown', () => {
  // Lambda reports a function's SHA-256 as base64 (GetFunction `CodeSha256`,
  // https://docs.aws.amazon.com/lambda/latest/api/API_FunctionConfiguration.html): no `sha256:` prefix.
  const fn = 'MCWBDbJkCsRFvL08MMwqZQ0rJ1y7mRZs0b1nA2b2Xc4=';
  const image = `sha256:${'0123456789abcdef'.repeat(4)}`;

  it('shows a function SHA-256 by its first 12 characters, in a column and in a sentence', () => {
    expect(digestColumn(fn)).to.equal(fn.slice(0, 12));
    expect(short(fn)).to.equal(fn.slice(0, 12));
  });

  it('shows an image digest by the first 12 hex digits', () => {
    expect(digestColumn(image)).to.equal('0123456789ab');
    expect(short(image)).to.equal('sha256:0123456789ab');
  });

  it('never leaves a blank in a sentence for a digest that did not resolve', () => {
    expect(short('')).to.contain('no digest');
    expect(`no e2e result recorded in staging for ${short('')}: tdr check record …`).to.not.contain('for :');
  });
});
