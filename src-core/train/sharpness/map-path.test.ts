import { describe, expect, it } from 'vitest';
import { mapPathSentence, momentumMapPath } from './map-path';

const hb = (lr: number, d: number) => ({ optimizer: 'heavy-ball' as const, lr, momentum: d });

describe('the run path on the momentum map', () => {
  it('numbers the points (lr·λ_max, d) in order and leaves out non-finite ones', () => {
    const r = momentumMapPath(
      [
        { iter: 100, sharpness: 4 },
        { iter: 200, sharpness: NaN },
        { iter: 300, sharpness: 12 },
      ],
      hb(0.05, 0.9),
      'run',
    );
    expect('path' in r).toBe(true);
    if (!('path' in r)) return;
    expect(r.path.points).toEqual([
      { n: 1, iter: 100, h: 0.2, d: 0.9 },
      { n: 2, iter: 300, h: 0.6000000000000001, d: 0.9 },
    ]);
    expect(r.path.skipped).toBe(1);
  });

  it('has no path for Nesterov and Adam, nor without measurements', () => {
    expect(momentumMapPath([{ iter: 1, sharpness: 3 }], { optimizer: 'adam', lr: 0.001, momentum: 0.9 }, 'x')).toEqual({
      reason: "the momentum map is heavy-ball's; this run used Adam",
    });
    expect(
      momentumMapPath([{ iter: 1, sharpness: 3 }], { optimizer: 'nesterov', lr: 0.1, momentum: 0.9 }, 'x'),
    ).toMatchObject({ reason: expect.stringMatching(/Nesterov/) });
    expect(momentumMapPath([], hb(0.1, 0), 'x')).toEqual({ reason: 'no sharpness was measured yet' });
  });

  it('says whether the points stay inside h < 2(1+d)', () => {
    const inside = momentumMapPath(
      [
        { iter: 1, sharpness: 1 },
        { iter: 2, sharpness: 5.4 },
        { iter: 3, sharpness: 2 },
      ],
      hb(0.1, 0),
      'W',
    );
    if (!('path' in inside)) throw new Error('no path');
    expect(mapPathSentence(inside.path)).toBe(
      '3 measurements: h = lr·λ_max from 0.1 to 0.2 (largest 0.54, point 2); every point lies inside the region where a quadratic converges (h < 2(1+d) = 2), the largest at 27 % of it.',
    );
    const beyond = momentumMapPath(
      [
        { iter: 1, sharpness: 10 },
        { iter: 2, sharpness: 21 },
      ],
      hb(0.1, 0),
      'W',
    );
    if (!('path' in beyond)) throw new Error('no path');
    expect(mapPathSentence(beyond.path)).toMatch(/1 of 2 lie on or beyond the stability boundary h = 2\(1\+d\) = 2,/);
    const d105 = momentumMapPath([{ iter: 1, sharpness: 1 }], hb(0.1, 1.05), 'W');
    if (!('path' in d105)) throw new Error('no path');
    expect(mapPathSentence(d105.path)).toMatch(/d = 1.05 >= 1 no point/);
  });
});
