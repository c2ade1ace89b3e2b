import { describe, expect, it } from 'vitest';
import { LabError } from '../../contracts/lab-error';
import { Adam } from './adam';
import { createOptimizer } from './create';
import { HeavyBall } from './heavy-ball';
import { Nesterov } from './nesterov';

const f32 = (xs: number[]) => Float32Array.from(xs);

describe('optimizers', () => {
  it('heavy-ball with d = 0 is plain SGD, bit for bit', () => {
    const w = f32([0.5, -1.25, 3, 1e-3]);
    const sgd = w.slice();
    const opt = new HeavyBall([w], 0.1, 0);
    for (let t = 0; t < 5; t++) {
      const g = f32([0.3 * t - 0.2, 1.7, -0.01 * t, 5]);
      opt.step([w], [g]);
      for (let i = 0; i < sgd.length; i++) sgd[i] = sgd[i] - 0.1 * g[i];
    }
    expect(w).toEqual(sgd);
  });

  it('heavy-ball takes the hand-computed two steps v <- d v - lr g, w <- w + v', () => {
    // lr 0.5, d 0.5, w0 = 1: g1 = 2 -> v1 = -1, w1 = 0; g2 = -4 -> v2 = -0.5 + 2 = 1.5, w2 = 1.5
    const w = f32([1]);
    const opt = new HeavyBall([w], 0.5, 0.5);
    opt.step([w], [f32([2])]);
    expect(w[0]).toBe(0);
    opt.step([w], [f32([-4])]);
    expect(w[0]).toBe(1.5);
  });

  it('Nesterov takes the hand-computed two steps v <- d v - lr g, w <- w + d v - lr g', () => {
    // lr 0.5, d 0.5, w0 = 1: g1 = 2 -> v1 = -1, w1 = 1 - 0.5 - 1 = -0.5;
    // g2 = -4 -> v2 = -0.5 + 2 = 1.5, w2 = -0.5 + 0.75 + 2 = 2.25
    const w = f32([1]);
    const opt = new Nesterov([w], 0.5, 0.5);
    opt.step([w], [f32([2])]);
    expect(w[0]).toBe(-0.5);
    opt.step([w], [f32([-4])]);
    expect(w[0]).toBe(2.25);
  });

  it('Nesterov in look-ahead form follows the textbook iteration on a quadratic', () => {
    // f = lambda x^2 / 2; textbook: v <- d v - lr lambda (x + d v); x <- x + v. Stored u = x + d v.
    const lambda = 3,
      lr = 0.1,
      d = 0.8;
    let x = 2,
      v = 0;
    const u = new Float32Array([2]);
    const opt = new Nesterov([u], lr, d);
    for (let t = 0; t < 20; t++) {
      opt.step([u], [f32([lambda * u[0]])]);
      v = d * v - lr * lambda * (x + d * v);
      x = x + v;
      expect(u[0]).toBeCloseTo(x + d * v, 5);
    }
  });

  it("Adam's first step is lr * sign(g) in magnitude", () => {
    const g = f32([3, -0.002, 1e-3, -50]);
    const w = f32([0, 0, 0, 0]);
    new Adam([w], 0.01, 0.9).step([w], [g]);
    for (let i = 0; i < 4; i++) expect(w[i]).toBeCloseTo(-0.01 * Math.sign(g[i]), 6);
  });

  it('return the sum of the parameters, non-finite once one is', () => {
    const w = f32([1, 2]);
    const opt = new HeavyBall([w], 1, 0);
    expect(opt.step([w], [f32([0, 1])])).toBe(2);
    expect(Number.isFinite(opt.step([w], [f32([Infinity, 0])]))).toBe(false);
    const big = f32([3e38]);
    expect(Number.isFinite(new HeavyBall([big], 1, 0).step([big], [f32([-3e38])]))).toBe(false);
  });

  it('check their arguments', () => {
    const w = f32([1]);
    expect(() => new HeavyBall([w], 0, 0)).toThrow(RangeError);
    expect(() => new HeavyBall([w], 0.1, -1)).toThrow(RangeError);
    expect(() => new Adam([w], 0.1, 1)).toThrow(RangeError);
    expect(() => new HeavyBall([w], 0.1, 0).step([w], [f32([1, 2])])).toThrow(RangeError);
    expect(() => createOptimizer({ optimizer: 'adam', lr: 0.1, momentum: 1.5 }, [w])).toThrow(LabError);
    expect(createOptimizer({ optimizer: 'nesterov', lr: 0.1, momentum: 0.9 }, [w])).toBeInstanceOf(Nesterov);
  });
});
