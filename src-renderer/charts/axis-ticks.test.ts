import { scaleLinear, scaleLog } from 'd3';
import { describe, expect, it } from 'vitest';
import { fmtPctShort } from '../lib/format';
import { clampTo, ticksOf, valueExtent, yAxisRoom, yScaleOf } from './axis-ticks';
import type { Measure } from './text-layout';

// The axes every chart shares: tick labels in the lab's format, the log
// axis's labelled subset, the automatic y range with its clamp and the log
// toggle, and the room the y labels need. Expected values worked out by hand.

describe('ticks', () => {
  it('labels a linear axis in the format given, or in the lab number format by default', () => {
    const pct = ticksOf(scaleLinear().domain([0.9, 1]).range([100, 0]), 5, fmtPctShort);
    const want = ['90 %', '92 %', '94 %', '96 %', '98 %', '100 %'].map((s) => s.replace(' ', '\u00a0'));
    expect(pct.map((t) => t.label)).toEqual(want);
    const big = ticksOf(scaleLinear().domain([0, 6000]).range([0, 300]), 3);
    expect(big.map((t) => t.label)).toEqual(['0', '2,000', '4,000', '6,000']);
    expect(big.map((t) => t.pos)).toEqual([0, 100, 200, 300]);
  });

  it('keeps whole numbers only when asked (iterations)', () => {
    const t = ticksOf(scaleLinear().domain([0, 3]).range([0, 300]), 10, undefined, { integer: true });
    expect(t.map((k) => k.value)).toEqual([0, 1, 2, 3]);
  });

  it('labels the decades of a wide log axis and leaves the other ticks as minor lines', () => {
    // 4 decades over 200 px: 50 px a decade; a 2 or a 5 would stand 15 px from a decade, under the 16 px gap.
    const t = ticksOf(scaleLog().domain([0.001, 10]).range([200, 0]), 5);
    const labelled = t.filter((k) => k.label).map((k) => k.value);
    expect(labelled).toEqual([0.001, 0.01, 0.1, 1, 10]);
    expect(t.length).toBeGreaterThan(labelled.length);
  });

  const gaps = (t: { pos: number; label: string }[]) => {
    const p = t
      .filter((k) => k.label)
      .map((k) => k.pos)
      .sort((a, b) => a - b);
    return p.slice(1).map((v, i) => v - p[i]);
  };

  it('on a narrower log axis adds 2 and 5 as far as they fit 16 px apart', () => {
    const t = ticksOf(scaleLog().domain([0.1, 5]).range([200, 0]), 5);
    const labelled = t.filter((k) => k.label).map((k) => k.value);
    expect(labelled).toEqual([0.1, 0.2, 0.5, 1, 2, 5]);
    expect(Math.min(...gaps(t))).toBeGreaterThanOrEqual(16);
    // at 60 px tall only the decades and what fits between them
    const short = ticksOf(scaleLog().domain([0.1, 5]).range([60, 0]), 5);
    expect(short.filter((k) => k.label).map((k) => k.value)).toEqual(expect.arrayContaining([0.1, 1]));
    expect(Math.min(...gaps(short))).toBeGreaterThanOrEqual(16);
  });

  it('labels a log axis too narrow to hold a decade (no axis without numbers)', () => {
    const t = ticksOf(scaleLog().domain([0.42, 2.4]).range([200, 0]), 5);
    const labelled = t.filter((k) => k.label).map((k) => k.value);
    expect(labelled.length).toBeGreaterThanOrEqual(4);
    expect(labelled).toEqual(expect.arrayContaining([0.5, 1, 2]));
    expect(Math.min(...gaps(t))).toBeGreaterThanOrEqual(16);
    const tiny = ticksOf(scaleLog().domain([0.25, 0.45]).range([200, 0]), 5);
    expect(tiny.filter((k) => k.label).length).toBeGreaterThanOrEqual(2);
  });
});

describe('the y scale', () => {
  it('follows the data with a padding, inside the clamp, rounded to nice values', () => {
    const s = yScaleOf([[0.91, 0.95], [0.97]], 200, { clamp: [0, 1], pad: 0.04 });
    // [0.91, 0.97] padded by 4 % of 0.06 -> [0.9076, 0.9724]; d3's nice() at its default 10 ticks (step 0.005)
    const [d0, d1] = s.domain();
    expect(d0).toBeCloseTo(0.905, 12);
    expect(d1).toBeCloseTo(0.975, 12);
    const full = yScaleOf([[0.5, 0.999]], 200, { clamp: [0, 1], pad: 0.04 });
    expect(full.domain()[1]).toBe(1);
  });

  it('takes a fixed domain when given', () => {
    expect(yScaleOf([[0.95]], 200, { domain: [0, 1], clamp: [0, 1] }).domain()).toEqual([0, 1]);
  });

  it('on the log toggle leaves out values <= 0 and non-finite ones, and spans the rest', () => {
    const s = yScaleOf([[0, -1, NaN, Infinity, 0.01, 2.5]], 200, { log: true });
    expect('base' in s).toBe(true);
    const [d0, d1] = s.domain();
    expect(d0).toBeLessThanOrEqual(0.01 / 1.1);
    expect(d1).toBeGreaterThanOrEqual(2.5 * 1.1);
    // wider than 50x: rounded out to decades
    expect(d0).toBeCloseTo(0.001, 12);
    expect(d1).toBeCloseTo(10, 12);
  });

  it('keeps a narrow log range unrounded so its data fill the plot', () => {
    const s = yScaleOf([[0.3, 0.6]], 200, { log: true });
    expect(s.domain()[0]).toBeCloseTo(0.3 / 1.1, 12);
    expect(s.domain()[1]).toBeCloseTo(0.66, 12);
  });

  it('gives a usable axis with no data and with one value', () => {
    expect(yScaleOf([], 100).domain()).toEqual([0, 1]);
    const one = yScaleOf([[3]], 100).domain();
    expect(one[0]).toBeLessThan(3);
    expect(one[1]).toBeGreaterThan(3);
  });

  it('finds the extent of several arrays and clamps into a domain', () => {
    expect(valueExtent([[3, NaN], new Float64Array([-2, 7])])).toEqual([-2, 7]);
    expect(valueExtent([[0, -1]], true)).toBeNull();
    const s = scaleLinear().domain([0, 10]);
    expect([clampTo(s, -5), clampTo(s, 5), clampTo(s, 50)]).toEqual([0, 5, 10]);
  });
});

describe('the y axis room', () => {
  const measure: Measure = (s) => s.length * 7;
  it('grows the left margin with the widest label and puts the title clear of it', () => {
    const ticks = ['0.5', '1,000.5'].map((label, i) => ({ value: i, pos: i, label }));
    // widest 7 chars = 49 px: 49 + 32 = 81 px of margin, title at -(49 + 17)
    expect(yAxisRoom(ticks, 62, measure)).toEqual({ left: 81, titleX: -66 });
    expect(yAxisRoom(ticks.slice(0, 1), 62, measure)).toEqual({ left: 62, titleX: -38 });
  });
});
