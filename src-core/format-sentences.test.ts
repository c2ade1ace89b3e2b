import { describe, expect, it } from 'vitest';
import { collapseMessage } from './analysis/collapse';
import { earlyStopSummary } from './analysis/sentence';
import { cancellation } from './momentum/cancellation';
import { evalPoint } from './contracts/test-helpers';

// The sentences src-core writes follow the lab's one number convention (src-core/format.ts): a percentage is the
// number, a no-break space, then "%" ("46.30 %"), never "46.30%" nor a breakable "46.30 %".

/** Every percentage in a text, with what stands between the number and its "%". */
function percentGaps(text: string): string[] {
  return [...text.matchAll(/\d(\s?)%/gu)].map((m) => m[1]);
}

const point = (iter: number, valLoss: number, testAcc: number) => evalPoint(iter, { testAcc, valLoss, valAcc: 0.5 });

describe('src-core sentences use the lab number format', () => {
  it('the collapse message writes "46.30 %" with a no-break space', () => {
    const text = collapseMessage(40, 0.1135, 0.1135, 'test', { acc: 0.463, iter: 20 });
    expect(text).toContain('46.30\u00a0%');
    expect(percentGaps(text).length).toBe(3);
    expect(percentGaps(text).every((g) => g === '\u00a0')).toBe(true);
  });

  it('the early-stopping sentence does too', () => {
    const points = [point(100, 0.5, 0.95), point(200, 0.6, 0.94), point(300, 0.7, 0.93)];
    const s = earlyStopSummary(points, 2);
    expect(s.sentence).toContain('95.00\u00a0%');
    expect(percentGaps(s.sentence).length).toBeGreaterThan(0);
    expect(percentGaps(s.sentence).every((g) => g === '\u00a0')).toBe(true);
  });

  it('the cancellation sentence does too', () => {
    const n = 60;
    const gradSign = Int8Array.from({ length: n }, (_, t) => (t % 2 === 0 ? 1 : -1));
    const vx = new Float64Array(n);
    for (let t = 1; t < n; t++) vx[t] = 0.5 * vx[t - 1] - 0.1 * gradSign[t - 1];
    const c = cancellation({
      length: n,
      dim: 1,
      vx,
      vy: null,
      gradNorm: new Float64Array(n).fill(1),
      gradSign,
      optimizer: { kind: 'heavy-ball', lr: 0.1, d: 0.5 },
    });
    expect(c.sentence).toContain('100\u00a0% of these steps');
    expect(percentGaps(c.sentence).every((g) => g === '\u00a0')).toBe(true);
  });
});
