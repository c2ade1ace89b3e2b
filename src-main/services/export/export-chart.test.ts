import { describe, expect, it } from 'vitest';
import { lineChartSvg } from './export-chart';
import { checkSvg } from './export-check';

// The report's SVG chart, now on d3: positions checked against the linear map written out by hand (the plot box is
// x in [60, width - 16], y in [16, height - 44]), gaps where values are not finite, d3's round ticks.

const spec = (ys: number[], extra: object = {}) => ({
  id: 'fig',
  width: 416,
  height: 300,
  xLabel: 'iteration',
  yLabel: 'loss',
  caption: 'A caption.',
  series: [{ label: 'LR 0.1', color: '#0072b2', xs: [0, 5, 10, 15, 20], ys }],
  ...extra,
});

describe('lineChartSvg (d3 scales, ticks and paths)', () => {
  it('maps each point linearly into the plot box and clamps to a fixed y range', () => {
    const svg = lineChartSvg(spec([1, 0.5, 0.25, 2, 0], { yDomain: [0, 1] }));
    checkSvg(svg);
    const d = /<path d="([^"]+)"[^>]*data-series="LR 0.1"/.exec(svg)![1];
    // x: 60 + x / 20 * 340; y: 16 + (1 - y) * 240, y clamped to [0, 1].
    const expected = [
      [60, 16],
      [145, 136],
      [230, 196],
      [315, 16],
      [400, 256],
    ];
    const pts = d
      .split(/[ML]/)
      .filter(Boolean)
      .map((p) => p.split(',').map(Number));
    expect(pts).toEqual(expected);
  });

  it('leaves a gap at NaN and Infinity (a new M after each)', () => {
    const d = /<path d="([^"]+)"/.exec(lineChartSvg(spec([1, NaN, 0.5, 0.4, Infinity])))![1];
    expect(d.match(/M/g)).toHaveLength(2);
    expect(d.match(/L/g)).toHaveLength(1);
  });

  it('ticks at round values covering the data (d3 ticks); integers comma-grouped', () => {
    const svg = lineChartSvg({
      ...spec([0.1, 0.2, 0.3, 0.4, 0.5]),
      series: [{ label: 'a', color: '#000000', xs: [0, 500, 1000, 1500, 2000], ys: [0.1, 0.2, 0.3, 0.4, 0.5] }],
    });
    const labels = [
      ...svg.matchAll(/<text x="[^"]+" y="[^"]+" text-anchor="(?:middle|end)" fill="#333333">([^<]+)<\/text>/g),
    ].map((m) => m[1]);
    expect(labels).toEqual(['0', '500', '1,000', '1,500', '2,000', '0.1', '0.2', '0.3', '0.4', '0.5']);
  });
});
