import { describe, expect, it } from 'vitest';
import type { LayerPoint } from '../../contracts/train-protocol';
import { flipSeries, flipSeriesSentence, layerFlipSentence, medianOf, nearness } from './flip-series';

const hb = (d: number) => ({ optimizer: 'heavy-ball' as const, lr: 0.01, momentum: d });
const pt = (iter: number, f1: number | null, r1: number | null, f2?: number | null, r2?: number | null) => ({
  iter,
  layers: [
    { layer: 'fc1', flipFraction: f1, velocityRatio: r1 },
    ...(f2 === undefined ? [] : [{ layer: 'fc2', flipFraction: f2, velocityRatio: r2 ?? null }]),
  ] as LayerPoint[],
});

describe('flip series', () => {
  it('collects each layer against iteration, skipping points without statistics', () => {
    const s = flipSeries([
      pt(10, 0.6, 0.5, 0.3, 2),
      { iter: 15 },
      pt(20, 0.7, 0.55, null, null),
      pt(30, null, 0.6, 0.2, 3),
    ]);
    expect(s.map((x) => x.layer)).toEqual(['fc1', 'fc2']);
    expect(s[0]).toEqual({ layer: 'fc1', iters: [10, 20, 30], flip: [0.6, 0.7, NaN], ratio: [0.5, 0.55, 0.6] });
    expect(s[1]).toEqual({ layer: 'fc2', iters: [10, 30], flip: [0.3, 0.2], ratio: [2, 3] });
  });

  it('medians and nearness', () => {
    expect(medianOf([3, NaN, 1, 2])).toBe(2);
    expect(medianOf([4, 1, 3, 2])).toBe(2.5);
    expect(medianOf([NaN])).toBeNull();
    expect(nearness(0.6, 0.526)).toBe('near');
    expect(nearness(0.4, 0.526)).toBe('below');
    expect(nearness(2, 0.526)).toBe('above');
  });
});

describe('the flip sentence', () => {
  it('says "as alternation predicts" when most gradients flip and the step is near 1/(1+d)', () => {
    const s = flipSeriesSentence([pt(100, 0.6, 0.58), pt(200, 0.64, 0.6), pt(300, 0.62, 0.62)], hb(0.9));
    expect(s).toBe(
      'First layer: 62\u00a0% of the sampled gradients flip sign from one step to the next (median over 3 evaluation intervals up to iteration 300, 60\u00a0%–64\u00a0%); ' +
        "the median step is 0.6× a plain gradient step, as alternation predicts (alternation's 1/(1+d) = 0.526×, a constant sign's 1/(1−d) = 10×).",
    );
  });

  it('does NOT credit alternation when the ratio is near 1/(1+d) but most gradients keep their sign', () => {
    const s = layerFlipSentence(flipSeries([pt(100, 0.2, 0.55)])[0], hb(0.9));
    expect(s).not.toMatch(/as alternation predicts/);
    expect(s).toMatch(/near alternation's 1\/\(1\+d\) = 0\.526× although most gradients keep their sign/);
    expect(s).toMatch(/the interval ending at iteration 100/);
  });

  it('credits accumulation only with few flips and a ratio near 1/(1−d)', () => {
    expect(layerFlipSentence(flipSeries([pt(100, 0.1, 9)])[0], hb(0.9))).toMatch(
      /as accumulation under a constant sign predicts/,
    );
    const many = layerFlipSentence(flipSeries([pt(100, 0.7, 9)])[0], hb(0.9));
    expect(many).not.toMatch(/predicts/);
    expect(many).toMatch(/near a constant sign's 1\/\(1−d\) = 10× although most gradients flip/);
  });

  it('between, below and above the limits; 50 % flips read as random signs', () => {
    const between = layerFlipSentence(flipSeries([pt(100, 0.5, 2.3)])[0], hb(0.9));
    expect(between).toMatch(/about as often as random signs would \(50\u00a0%\)/);
    expect(between).toMatch(/2\.3× a plain gradient step, between the quadratic theory's limits/);
    expect(between).not.toMatch(/predicts/);
    expect(layerFlipSentence(flipSeries([pt(100, 0.9, 0.2)])[0], hb(0.9))).toMatch(
      /below both of the quadratic theory's limits/,
    );
    expect(layerFlipSentence(flipSeries([pt(100, 0.05, 30)])[0], hb(0.9))).toMatch(
      /above both of the quadratic theory's limits/,
    );
  });

  it('makes no comparison for d = 0, d >= 1, Nesterov and Adam', () => {
    const pts = [pt(100, 0.62, 0.6, 0.3, 1.2)];
    for (const setting of [
      hb(0),
      hb(1.05),
      { optimizer: 'nesterov' as const, lr: 0.1, momentum: 0.9 },
      { optimizer: 'adam' as const, lr: 0.001, momentum: 0.9 },
    ]) {
      const s = flipSeriesSentence(pts, setting);
      expect(s).not.toMatch(/predicts|between|below both|above both|near/);
      expect(s).toMatch(/^First layer: .* Second layer: /);
    }
    expect(flipSeriesSentence(pts, hb(0))).toMatch(/ratio is 1 by construction/);
    expect(flipSeriesSentence(pts, hb(1.05))).toMatch(/no limits to compare with/);
    expect(flipSeriesSentence(pts, { optimizer: 'adam', lr: 0.001, momentum: 0.9 })).toMatch(/do not apply to Adam/);
  });

  it('says when nothing was recorded', () => {
    expect(flipSeriesSentence([{ iter: 10 }, { iter: 20, layers: null }], hb(0.9))).toBe(
      'No sign-flip statistics were recorded for this run.',
    );
    expect(flipSeriesSentence([pt(10, null, null)], hb(0.9))).toBe(
      'No sign-flip statistics were recorded for this run.',
    );
    expect(flipSeriesSentence([pt(10, null, 0.6)], hb(0.9))).toMatch(/^First layer: the median step is 0\.6×/);
  });
});
