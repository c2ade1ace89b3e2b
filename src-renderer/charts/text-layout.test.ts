import { describe, expect, it } from 'vitest';
import { captionLines, layoutLegend, widestLabel, xTickAnchor, type Measure } from './text-layout';

// Legend and caption layout with a known measure (7 px per character), so the
// expected positions can be worked out by hand.

const measure: Measure = (s) => s.length * 7;

describe('legend layout', () => {
  it('flows entries left to right and starts a new row when one does not fit', () => {
    const l = layoutLegend([{ label: 'aaaa' }, { label: 'bbbb' }, { label: 'cccc' }], 130, {
      swatch: 20,
      gap: 10,
      rowH: 16,
      measure,
    });
    // each entry is 20 + 28 = 48 px wide, 10 px apart: two fit in 130 px (48 + 10 + 48 = 106), the third wraps.
    expect(l.items.map((i) => [i.x, i.y])).toEqual([
      [0, 0],
      [58, 0],
      [0, 16],
    ]);
    expect(l.height).toBe(32);
    for (const i of l.items) expect(i.x + 20 + measure(i.lines[0], { size: 11 })).toBeLessThanOrEqual(130);
  });

  it('wraps a label wider than the whole legend onto several lines and makes room for them', () => {
    const long = 'train loss (running mean of the mini-batch values)';
    const l = layoutLegend([{ label: long }, { label: 'test' }], 200, { swatch: 20, gap: 10, rowH: 16, measure });
    expect(l.items[0].lines.length).toBeGreaterThan(1);
    for (const line of l.items[0].lines) expect(20 + measure(line, { size: 11 })).toBeLessThanOrEqual(200);
    expect(l.items[0].lines.join(' ')).toBe(long);
    // The next entry goes below every line of the wrapped one.
    expect(l.items[1].y).toBeGreaterThanOrEqual(16 + (l.items[0].lines.length - 1) * 14);
    expect(l.height).toBeGreaterThan(l.items[1].y);
  });

  it('an empty legend takes no room', () => {
    expect(layoutLegend([], 300, { measure }).height).toBe(0);
  });
});

describe('captions and tick widths', () => {
  it('a caption is wrapped to the width it is given', () => {
    const lines = captionLines('Figure 3. Simulation 2; BS:32; LR:0.1; EPOCHS: 4; HL: 64.', 140, { size: 11 }, measure);
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines) expect(measure(l, { size: 11 })).toBeLessThanOrEqual(140);
  });

  it('the widest label decides the room of the y axis', () => {
    expect(widestLabel(['0 %', '100 %', '50 %'], { size: 11 }, measure)).toBe(35);
    expect(widestLabel([], { size: 11 }, measure)).toBe(0);
  });
});

describe('x tick anchors', () => {
  it('centre a label unless it would cross into the y ticks or past the right edge', () => {
    expect(xTickAnchor(0, 20, 300, 18)).toBe('start');
    expect(xTickAnchor(150, 20, 300, 18)).toBe('middle');
    expect(xTickAnchor(300, 40, 300, 18)).toBe('end');
    expect(xTickAnchor(300, 20, 300, 18)).toBe('middle');
  });
});
