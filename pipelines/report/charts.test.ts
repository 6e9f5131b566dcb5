import { expect } from 'chai';
import { barChart, lineChart, polylinePoints } from './charts';

describe('report charts', () => {
  it('bars stand on the baseline, scaled to the largest value', () => {
    const { bars, max } = barChart([0, 2, 4], { width: 30, height: 20, gap: 2 });
    expect(max).to.equal(4);
    expect(bars).to.deep.equal([
      { x: 1, y: 20, width: 8, height: 0, value: 0 },
      { x: 11, y: 10, width: 8, height: 10, value: 2 },
      { x: 21, y: 0, width: 8, height: 20, value: 4 },
    ]);
  });

  it('a given maximum keeps several charts on one scale; all zeros stay flat', () => {
    expect(barChart([1], { width: 10, height: 10 }, 4).bars[0]).to.deep.include({ height: 2.5, y: 7.5 });
    expect(barChart([0, 0], { width: 10, height: 10 }).bars.map((b) => b.height)).to.deep.equal([0, 0]);
    expect(barChart([], { width: 10, height: 10 })).to.deep.equal({ bars: [], max: 0 });
  });

  it('a line breaks at missing values and is scaled to the largest', () => {
    const { runs, max } = lineChart([1, 2, null, 4], { width: 40, height: 8 });
    expect(max).to.equal(4);
    expect(runs).to.deep.equal([
      [
        { x: 5, y: 6, value: 1 },
        { x: 15, y: 4, value: 2 },
      ],
      [{ x: 35, y: 0, value: 4 }],
    ]);
    expect(polylinePoints(runs[0]!)).to.equal('5,6 15,4');
    expect(lineChart([null, null], { width: 10, height: 10 })).to.deep.equal({
      runs: [],
      points: [],
      max: 0,
    });
  });
});
