import { expect } from 'chai';
import { percentile } from './moto-percentiles';

describe('sandbox/moto-percentiles: percentiles moto does not compute', () => {
  it('is the smallest value with at least p % of the values at or below it', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(hundred, 95)).to.equal(95);
    expect(percentile(hundred, 50)).to.equal(50);
    expect(percentile(hundred, 100)).to.equal(100);
    expect(percentile([7], 95)).to.equal(7);
    expect(percentile([1, 2, 3], 95)).to.equal(3);
    expect(percentile([], 95)).to.equal(undefined);
  });
});
