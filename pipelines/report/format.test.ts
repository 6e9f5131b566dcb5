import { expect } from 'chai';
import {
  formatAgo,
  formatDays,
  formatHours,
  formatPercent,
  formatPerWeek,
  formatSeconds,
  formatWhen,
} from './format';

describe('report formats', () => {
  it('reads ages and durations for people', () => {
    expect([0.25, 1, 1.04, 2.5].map(formatDays)).to.deep.equal(['6 h', '1 day', '1 day', '2.5 days']);
    expect([null, 0.5, 48.07, 108].map(formatHours)).to.deep.equal(['–', '30 min', '48 h', '4.5 days']);
    expect([null, 45, 240].map(formatSeconds)).to.deep.equal(['–', '45 s', '4 min']);
  });

  it('reads rates and times', () => {
    expect([null, 0, 1 / 3].map(formatPercent)).to.deep.equal(['–', '0%', '33%']);
    expect(formatPerWeek(3 / (30 / 7))).to.equal('0.7/week');
    expect(formatWhen('2026-06-29T12:04:59.000Z')).to.equal('2026-06-29 12:04 UTC');
    const now = new Date('2026-06-30T12:00:00Z');
    expect(formatAgo('2026-06-30T11:57:00Z', now)).to.equal('3 min ago');
    expect(formatAgo('2026-06-25T12:00:00Z', now)).to.equal('5 days ago');
  });
});
