import { describe, expect, it } from 'vitest';
import type { LayerFlipStats } from './flip-stats';
import { flipSentence, fmt, quadraticLimits, sharpnessSentence, stabilityThreshold } from './sentences';
import { describeSharpnessSet, sharpnessData, sharpnessSet } from './sharpness-set';

const hb = (lr: number, d = 0) => ({ optimizer: 'heavy-ball' as const, lr, momentum: d });
const series = (...pairs: [number, number][]) => pairs.map(([iter, sharpness]) => ({ iter, sharpness }));

describe('the stability threshold and the quadratic limits', () => {
  it('is 2(1+d)/lr for heavy-ball with d < 1 and absent otherwise, with the reason', () => {
    expect(stabilityThreshold(hb(0.1))).toEqual({ value: 20, label: '2/lr' });
    const t = stabilityThreshold(hb(0.01, 0.9));
    expect(t.value).toBeCloseTo(380, 10);
    expect(t).toMatchObject({ label: '2(1+d)/lr' });
    expect(stabilityThreshold(hb(0.1, 1.05))).toMatchObject({
      value: null,
      reason: expect.stringMatching(/unstable on every quadratic/),
    });
    expect(stabilityThreshold({ optimizer: 'nesterov', lr: 0.1, momentum: 0.9 })).toMatchObject({
      value: null,
      reason: expect.stringMatching(/does not apply to Nesterov/),
    });
    expect(stabilityThreshold({ optimizer: 'adam', lr: 0.1, momentum: 0.9 })).toMatchObject({
      value: null,
      reason: expect.stringMatching(/does not apply to Adam/),
    });
    expect(() => stabilityThreshold(hb(0))).toThrow(/lr/);
  });

  it('puts the roots of z² − (1 + d − h)z + d inside the unit circle exactly when h < 2(1 + d)', () => {
    // The threshold the sentence names, checked against the characteristic polynomial itself (h = lr·λ).
    const spectralRadius = (h: number, d: number) => {
      const b = 1 + d - h;
      const disc = b * b - 4 * d;
      if (disc < 0) return Math.sqrt(d); // complex pair: |z|² = d
      return Math.max(Math.abs((b + Math.sqrt(disc)) / 2), Math.abs((b - Math.sqrt(disc)) / 2));
    };
    for (const d of [0, 0.5, 0.9, 0.99]) {
      const edge = 2 * (1 + d);
      expect(stabilityThreshold(hb(1, d)).value).toBeCloseTo(edge, 12);
      expect(spectralRadius(edge * 0.999, d)).toBeLessThan(1);
      expect(spectralRadius(edge * 1.001, d)).toBeGreaterThan(1);
    }
  });

  it('limits: 1/(1−d) and 1/(1+d)', () => {
    expect(quadraticLimits(0.9).constantSign).toBeCloseTo(10, 12);
    expect(quadraticLimits(0.9).alternating).toBeCloseTo(1 / 1.9, 12);
    expect(quadraticLimits(1).constantSign).toBe(Infinity);
    expect(fmt(2400)).toBe('2,400');
    expect(fmt(19.64)).toBe('19.6');
    expect(fmt(0.52631)).toBe('0.526');
  });
});

describe('the sharpness sentence', () => {
  it('rises to the edge and stays there', () => {
    expect(sharpnessSentence(series([200, 4.1], [1200, 12], [2400, 18.5], [3600, 21.2], [4800, 19.6]), hb(0.1))).toBe(
      'Sharpness rose from 4.1 to 19.6 and has stayed within 10\u00a0% of 2/lr = 20 since iteration 2,400.',
    );
  });

  it('stays below the threshold (with d, the label says 2(1+d)/lr)', () => {
    expect(sharpnessSentence(series([200, 3], [400, 5.5], [600, 5]), hb(0.01, 0.9))).toBe(
      'Sharpness rose from 3 to 5 and stayed below the threshold 2(1+d)/lr = 380 (at most 5.5, 1\u00a0% of it, at iteration 400).',
    );
  });

  it('ends above, reaches and falls back, only the last point at the edge', () => {
    expect(sharpnessSentence(series([1, 10], [2, 30]), hb(0.1))).toBe(
      'Sharpness rose from 10 to 30 and ended above the threshold 2/lr = 20 (1.5× it at iteration 2).',
    );
    expect(sharpnessSentence(series([1, 10], [2, 20], [3, 10.5]), hb(0.1))).toBe(
      'Sharpness went from 10 to 10.5; it reached 20 (100\u00a0% of 2/lr = 20) at iteration 2 and ended below the threshold.',
    );
    expect(sharpnessSentence(series([1, 10], [2, 12], [3, 19]), hb(0.1))).toBe(
      'Sharpness rose from 10 to 19 and is within 10\u00a0% of 2/lr = 20 at the last measurement (iteration 3).',
    );
    expect(sharpnessSentence(series([1, 21], [2, 19.5]), hb(0.1))).toBe(
      'Sharpness went from 21 to 19.5 and has stayed within 10\u00a0% of 2/lr = 20 at every measurement since iteration 1.',
    );
  });

  it('says the threshold does not apply to Nesterov and Adam, and notes non-finite points', () => {
    const s = sharpnessSentence(series([1, 10], [2, 5]), { optimizer: 'adam', lr: 0.001, momentum: 0.9 });
    expect(s).toBe(
      "Sharpness fell from 10 to 5; the threshold 2(1+d)/lr is heavy-ball's and does not apply to Adam: the lab has no stability theory for it.",
    );
    expect(sharpnessSentence(series([1, 10], [2, NaN]), { optimizer: 'nesterov', lr: 0.1, momentum: 0.9 })).toMatch(
      /^Sharpness was 10 at iteration 1 \(1 measurement not finite, left out\); .*Nesterov/,
    );
    expect(sharpnessSentence([], hb(0.1))).toBe('No sharpness was measured.');
  });
});

const layer = (over: Partial<LayerFlipStats>): LayerFlipStats => ({
  layer: 'fc1',
  size: 50240,
  sampled: 512,
  steps: 200,
  pairs: 60000,
  flipFraction: 0.62,
  velocityRatio: 0.9,
  flippedVelocityRatio: 0.55,
  keptVelocityRatio: 2,
  steadyFraction: 0.08,
  steadyVelocityRatio: 7.1,
  ...over,
});

describe('the flip sentence', () => {
  it('ties the numbers to the quadratic limits for heavy-ball', () => {
    expect(flipSentence(layer({}), hb(0.01, 0.9))).toBe(
      "62\u00a0% of first-layer gradients flip sign from one step to the next; their velocity is 0.55× a plain step, near alternation's 1/(1+d) = 0.526×; the 8\u00a0% of weights that kept their sign at every step since the last evaluation move 7.1× a plain step (a constant sign gives 1/(1−d) = 10×).",
    );
    expect(flipSentence(layer({ flippedVelocityRatio: 2 }), hb(0.01, 0.9))).toMatch(
      /2× a plain step, above alternation's/,
    );
  });

  it('says when the limits do not apply, and when nothing was recorded', () => {
    expect(flipSentence(layer({ layer: 'fc2' }), { optimizer: 'adam', lr: 0.001, momentum: 0.9 })).toMatch(
      /^62\u00a0% of second-layer .* they do not apply to Adam\.$/,
    );
    expect(flipSentence(layer({}), hb(0.1))).toMatch(/With d = 0 every step is a plain step/);
    expect(flipSentence(layer({ flipFraction: null, steps: 1 }), hb(0.1))).toBe(
      'No first-layer gradient pairs were recorded (1 step).',
    );
  });
});

describe('the sharpness set', () => {
  it("is the first N training images in file order, or the run's subset (its first N), flagged", () => {
    const a = sharpnessSet(60000);
    expect(a.source).toBe('first-n');
    expect(Array.from(a.indices)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(describeSharpnessSet(a)).toBe('the first 1,000 training images (file order)');
    expect(sharpnessSet(30, 1000).indices.length).toBe(30);
    const s = sharpnessSet(60000, 3, [900, 5, 70, 12]);
    expect(s.source).toBe('subset');
    expect(Array.from(s.indices)).toEqual([5, 12, 70]);
    expect(describeSharpnessSet(s)).toBe("the first 3 images (file order) of the run's training subset");
    expect(describeSharpnessSet(sharpnessSet(60000, 1000, [4, 2]))).toBe("the run's 2-image training subset");
  });

  it('refuses bad N and bad subsets', () => {
    expect(() => sharpnessSet(100, 0)).toThrow(/N must be/);
    expect(() => sharpnessSet(100, 1.5)).toThrow(/N must be/);
    expect(() => sharpnessSet(100, 70000)).toThrow(/N must be/);
    expect(() => sharpnessSet(100, 10, [1, 100])).toThrow(/outside/);
    expect(() => sharpnessSet(100, 10, [3, 3])).toThrow(/twice/);
    expect(() => sharpnessSet(100, 10, [])).toThrow(/empty/);
  });

  it('packs the chosen images and labels compactly', () => {
    const px = 4;
    const images = Uint8Array.from({ length: 5 * px }, (_, i) => (i % 3 === 0 ? 0 : i));
    const labels = Uint8Array.from([0, 1, 2, 3, 4]);
    const d = sharpnessData(images, labels, px, sharpnessSet(5, 10, [3, 1]));
    expect(Array.from(d.labels)).toEqual([1, 3]);
    expect(d.images.count).toBe(2);
    // Image 1 (bytes 4..7: 4, 5, 0, 7) and image 3 (12..15: 0, 13, 14, 0).
    expect(Array.from(d.images.grey)).toEqual([4, 5, 7, 13, 14]);
    expect(() =>
      sharpnessData(images, labels, px, { indices: Int32Array.of(9), source: 'subset', requested: 1 }),
    ).toThrow(/outside/);
  });
});
