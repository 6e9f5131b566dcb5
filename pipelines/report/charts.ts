/**
 * Geometry for the board's small inline SVG charts: pure functions from numbers to shapes, so the
 * shapes are tested here and the components only draw them.
 */

export interface ChartSize {
  readonly width: number;
  readonly height: number;
  /** Space between bars, in the same units. */
  readonly gap?: number;
}

export interface Bar {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly value: number;
}

/** Bars from the baseline up, scaled to the largest value (or `max`); all flat when everything is 0. */
export function barChart(
  values: readonly number[],
  size: ChartSize,
  max?: number,
): { bars: Bar[]; max: number } {
  const top = Math.max(max ?? 0, ...values, 0);
  const gap = size.gap ?? 1;
  const slot = values.length === 0 ? 0 : size.width / values.length;
  const width = Math.max(0, slot - gap);
  const bars = values.map((value, i) => {
    const height = top === 0 ? 0 : round((Math.max(0, value) / top) * size.height);
    return {
      x: round(i * slot + gap / 2),
      y: round(size.height - height),
      width: round(width),
      height,
      value,
    };
  });
  return { bars, max: top };
}

export interface Point {
  readonly x: number;
  readonly y: number;
  readonly value: number;
}

/**
 * A line through the values at evenly spaced x (the centres of as many slots), scaled to the
 * largest; a null is a gap, so the line is drawn as separate runs of points.
 */
export function lineChart(
  values: readonly (number | null)[],
  size: ChartSize,
): { runs: Point[][]; points: Point[]; max: number } {
  const known = values.filter((v): v is number => v !== null);
  const top = Math.max(0, ...known);
  const slot = values.length === 0 ? 0 : size.width / values.length;
  const runs: Point[][] = [];
  let run: Point[] = [];
  values.forEach((value, i) => {
    if (value === null) {
      if (run.length) runs.push(run);
      run = [];
      return;
    }
    const y = top === 0 ? size.height : size.height - (value / top) * size.height;
    run.push({ x: round(i * slot + slot / 2), y: round(y), value });
  });
  if (run.length) runs.push(run);
  return { runs, points: runs.flat(), max: top };
}

/** `x,y x,y …` for an SVG polyline. */
export function polylinePoints(points: readonly Point[]): string {
  return points.map((p) => `${p.x},${p.y}`).join(' ');
}

const round = (n: number) => Math.round(n * 100) / 100;
