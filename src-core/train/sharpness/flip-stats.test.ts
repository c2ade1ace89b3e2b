import { describe, expect, it } from 'vitest';
import { denseRows } from '../../data/sparse-images';
import { actCode } from '../../mlp/activation';
import { lossCode } from '../../mlp/loss';
import { createParams, initPyTorch, toFloat64, type MlpParams } from '../../mlp/params';
import { referenceLossGrad } from '../../mlp/reference';
import { loadDataset } from '../../node/load-dataset';
import { builtinMnistFiles } from '../../node/mnist';
import { rngFor } from '../../rng';
import { FlipStats, median, type LayerFlipStats } from './flip-stats';

// The accumulator against a direct float64 computation: a short heavy-ball run on real MNIST written out in this
// file (float64 weights, the dense reference gradient, v <- d v − lr g, w <- w + v), every gradient and velocity of
// every weight kept, the statistics computed from them by plain loops and sorting.

const { data } = loadDataset(builtinMnistFiles());
const PX = 784;
const H = 16;
const BS = 20;
const LR = 0.05;
const D = 0.9;
const STEPS = 24;
const TAKES = [9, 24];

interface Trace {
  g: Float64Array[][]; // g[t][array]
  v: Float64Array[][];
}

function shortRun(): {
  trace: Trace;
  stats: LayerFlipStats[][];
  sampled: LayerFlipStats[][];
  sampler: FlipStats;
  defaults: LayerFlipStats[][];
} {
  const p32 = createParams(PX, H, 10);
  initPyTorch(p32, rngFor(2, 'init'));
  const p = toFloat64(p32);
  const vel = [p.w1, p.b1, p.w2, p.b2].map((a) => new Float64Array(a.length));
  const g: MlpParams<Float64Array> = toFloat64(createParams(PX, H, 10));
  const all = new FlipStats(p, LR, { samples: 1e9, capacity: 1e7 });
  const sampler = new FlipStats(p, LR, { seed: 3, samples: 512 });
  const small = new FlipStats(p, LR);
  const trace: Trace = { g: [], v: [] };
  const stats: LayerFlipStats[][] = [];
  const sampled: LayerFlipStats[][] = [];
  const defaults: LayerFlipStats[][] = [];
  for (let t = 1; t <= STEPS; t++) {
    const idx = Int32Array.from({ length: BS }, (_, b) => ((t - 1) * BS + b) % 400);
    const x = denseRows(data.trainImages, PX, idx);
    referenceLossGrad(
      p,
      actCode('relu'),
      lossCode('ce'),
      x,
      Uint8Array.from(idx, (i) => data.trainLabels[i]),
      BS,
      g,
    );
    const glist = [g.w1, g.b1, g.w2, g.b2];
    all.gradients(glist);
    sampler.gradients(glist);
    small.gradients(glist);
    [p.w1, p.b1, p.w2, p.b2].forEach((w, a) => {
      for (let i = 0; i < w.length; i++) {
        vel[a][i] = D * vel[a][i] - LR * glist[a][i];
        w[i] += vel[a][i];
      }
    });
    all.velocities(vel);
    sampler.velocities(vel);
    small.velocities(vel);
    trace.g.push(glist.map((x) => x.slice()));
    trace.v.push(vel.map((x) => x.slice()));
    if (TAKES.includes(t)) {
      stats.push(all.take());
      sampled.push(sampler.take());
      defaults.push(small.take());
    }
  }
  return { trace, stats, sampled, sampler, defaults };
}

/** The statistics of steps (from, to] for the parameters `members` ([array, element] pairs), by plain loops. */
function direct(trace: Trace, members: [number, number][], from: number, to: number) {
  let pairs = 0;
  let flips = 0;
  const all: number[] = [];
  const flipped: number[] = [];
  const kept: number[] = [];
  const steadyRatios: number[] = [];
  let active = 0;
  for (const [a, i] of members) {
    let everyStep = true;
    let flippedOnce = false;
    let last = NaN;
    for (let t = from; t < to; t++) {
      const g = trace.g[t][a][i];
      const prev = t > 0 ? trace.g[t - 1][a][i] : 0;
      if (g === 0) {
        everyStep = false;
        continue;
      }
      const r = Math.abs(trace.v[t][a][i]) / (LR * Math.abs(g));
      all.push(r);
      last = r;
      if (t === 0) continue; // the run's first step has nothing to compare with
      if (prev === 0) {
        everyStep = false;
        continue;
      }
      pairs++;
      if (Math.sign(prev) !== Math.sign(g)) {
        flips++;
        flippedOnce = true;
        flipped.push(r);
      } else kept.push(r);
    }
    if (everyStep) {
      active++;
      if (!flippedOnce) steadyRatios.push(last);
    }
  }
  const med = (xs: number[]) => {
    if (xs.length === 0) return null;
    const s = xs.slice().sort((u, v) => u - v);
    const n = s.length;
    return n % 2 ? s[(n - 1) / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
  };
  return {
    pairs,
    flipFraction: pairs ? flips / pairs : null,
    velocityRatio: med(all),
    flippedVelocityRatio: med(flipped),
    keptVelocityRatio: med(kept),
    steadyFraction: active ? steadyRatios.length / active : null,
    steadyVelocityRatio: med(steadyRatios),
  };
}

function layerMembers(layer: 'fc1' | 'fc2'): [number, number][] {
  const [wa, ba] = layer === 'fc1' ? [0, 1] : [2, 3];
  const sizes = [PX * H, H, 10 * H, 10];
  const out: [number, number][] = [];
  for (const a of [wa, ba]) for (let i = 0; i < sizes[a]; i++) out.push([a, i]);
  return out;
}

const close = (a: number | null, b: number | null) => {
  if (a === null || b === null) return expect(a).toBe(b);
  expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-12 * Math.abs(b));
};

describe('sign-flip and velocity statistics', () => {
  const run = shortRun();

  it('over every weight, equal a direct float64 computation from the full trace', () => {
    TAKES.forEach((to, k) => {
      const from = k === 0 ? 0 : TAKES[k - 1];
      for (const s of run.stats[k]) {
        const want = direct(run.trace, layerMembers(s.layer), from, to);
        expect(s.steps).toBe(to - from);
        expect(s.sampled).toBe(s.size);
        expect(s.pairs).toBe(want.pairs);
        expect(s.pairs).toBeGreaterThan(0);
        close(s.flipFraction, want.flipFraction);
        close(s.velocityRatio, want.velocityRatio);
        close(s.flippedVelocityRatio, want.flippedVelocityRatio);
        close(s.keptVelocityRatio, want.keptVelocityRatio);
        close(s.steadyFraction, want.steadyFraction);
        close(s.steadyVelocityRatio, want.steadyVelocityRatio);
      }
    });
    const [fc1, fc2] = run.stats[1];
    console.log('fc1', JSON.stringify(fc1), '\nfc2', JSON.stringify(fc2));
  });

  it('on a fixed sample (512 per layer, or the whole layer when smaller), equal the direct computation on the same weights, and track the whole layer', () => {
    for (const layer of ['fc1', 'fc2'] as const) {
      const { array, element } = run.sampler.sampleOf(layer);
      expect(array.length).toBe(Math.min(512, layer === 'fc1' ? PX * H + H : 10 * H + 10));
      expect(new FlipStats({ inputs: PX, hidden: H, outputs: 10 }, LR).sampleOf(layer).array.length).toBe(64);
      const members = Array.from(array, (a, s): [number, number] => [a, element[s]]);
      expect(new Set(members.map(([a, i]) => `${a}:${i}`)).size).toBe(array.length);
      TAKES.forEach((to, k) => {
        const from = k === 0 ? 0 : TAKES[k - 1];
        const s = run.sampled[k].find((x) => x.layer === layer)!;
        const want = direct(run.trace, members, from, to);
        expect(s.pairs).toBe(want.pairs);
        close(s.flipFraction, want.flipFraction);
        close(s.velocityRatio, want.velocityRatio);
        close(s.steadyFraction, want.steadyFraction);
        const whole = run.stats[k].find((x) => x.layer === layer)!;
        expect(Math.abs(s.flipFraction! - whole.flipFraction!)).toBeLessThan(0.08);
        expect(Math.abs(Math.log(s.velocityRatio! / whole.velocityRatio!))).toBeLessThan(0.2);
      });
    }
  });

  it('with the default sample (64 per layer) stay close to the whole layer', () => {
    TAKES.forEach((_, k) => {
      for (const s of run.defaults[k]) {
        const whole = run.stats[k].find((x) => x.layer === s.layer)!;
        console.log(
          `${s.layer} interval ${k}: flips ${s.flipFraction?.toFixed(3)} vs ${whole.flipFraction?.toFixed(3)}, ratio ${s.velocityRatio?.toFixed(3)} vs ${whole.velocityRatio?.toFixed(3)}`,
        );
        expect(s.sampled).toBe(64);
        expect(Math.abs(s.flipFraction! - whole.flipFraction!)).toBeLessThan(0.1);
        expect(Math.abs(Math.log(s.velocityRatio! / whole.velocityRatio!))).toBeLessThan(0.3);
      }
    });
  });

  it('reach the quadratic limits: constant sign 1/(1−d), alternation 1/(1+d) (closed forms of the medians)', () => {
    const d = 0.8;
    const lr = 0.1;
    const T = 101;
    const shape = { inputs: 2, hidden: 1, outputs: 1 };
    for (const mode of ['constant', 'alternating'] as const) {
      const stats = new FlipStats(shape, lr);
      const v = [new Float64Array(2), new Float64Array(1), new Float64Array(1), new Float64Array(1)];
      for (let t = 1; t <= T; t++) {
        const gv = mode === 'constant' ? 3 : t % 2 ? 3 : -3;
        const g = v.map((a) => new Float64Array(a.length).fill(gv));
        stats.gradients(g);
        v.forEach((a) => a.forEach((x, i) => (a[i] = d * x - lr * gv)));
        stats.velocities(v);
      }
      const [fc1] = stats.take();
      // r_t = |1 − (±d)^t| / (1 ∓ d): constant sign (1 − d^t)/(1 − d); alternation |1 − (−d)^t|/(1 + d).
      const r = Float64Array.from({ length: T }, (_, k) =>
        mode === 'constant' ? (1 - d ** (k + 1)) / (1 - d) : Math.abs(1 - (-d) ** (k + 1)) / (1 + d),
      );
      close(fc1.velocityRatio, median(r.slice()));
      expect(fc1.flipFraction).toBe(mode === 'constant' ? 0 : 1);
      expect(fc1.steadyFraction).toBe(mode === 'constant' ? 1 : 0);
      if (mode === 'constant') close(fc1.steadyVelocityRatio, (1 - d ** T) / (1 - d));
      // The limits themselves, to 1e-9 at the interval's end.
      expect(Math.abs(r[T - 1] - (mode === 'constant' ? 1 / (1 - d) : 1 / (1 + d)))).toBeLessThan(1e-9);
    }
  });

  it('moved(params) (the step w_after − w_before) gives the velocity of heavy-ball', () => {
    const shape = { inputs: 3, hidden: 2, outputs: 2 };
    const a = new FlipStats(shape, 0.5);
    const b = new FlipStats(shape, 0.5);
    const w = [new Float64Array(6), new Float64Array(2), new Float64Array(4), new Float64Array(2)];
    const v = w.map((x) => new Float64Array(x.length));
    const rng = rngFor(5, 'flip-moved');
    for (let t = 0; t < 30; t++) {
      const g = w.map((x) => Float64Array.from(x, () => rng.nextFloat() - 0.3));
      a.gradients(g);
      b.gradients(g, w);
      w.forEach((x, k) =>
        x.forEach((_, i) => {
          v[k][i] = 0.9 * v[k][i] - 0.5 * g[k][i];
          x[i] += v[k][i];
        }),
      );
      a.velocities(v);
      b.moved(w);
    }
    const [sa, sb] = [a.take(), b.take()];
    for (let k = 0; k < 2; k++) {
      expect(sb[k].flipFraction).toBe(sa[k].flipFraction);
      expect(Math.abs(sb[k].velocityRatio! - sa[k].velocityRatio!)).toBeLessThan(1e-9);
    }
  });

  it('leaves out zero gradients, and refuses misuse with a clear error', () => {
    const shape = { inputs: 2, hidden: 1, outputs: 1 };
    const s = new FlipStats(shape, 1);
    const z = [new Float64Array(2), new Float64Array(1), new Float64Array(1), new Float64Array(1)];
    s.gradients(z);
    s.velocities(z);
    s.gradients(z);
    s.velocities(z);
    const [fc1, fc2] = s.take();
    expect(fc1).toMatchObject({ steps: 2, pairs: 0, flipFraction: null, velocityRatio: null, steadyFraction: null });
    expect(fc2.flipFraction).toBeNull();
    expect(() => s.velocities(z)).toThrow(/gradients\(\) before/);
    expect(() => s.gradients([new Float64Array(2)])).toThrow(/expected \[w1, b1, w2, b2\]/);
    expect(() => new FlipStats(shape, 0)).toThrow(/lr/);
    expect(() => new FlipStats(shape, 1, { samples: 0 })).toThrow(/samples/);
  });

  it('thins its buffer past its capacity (the median of a systematic sample)', () => {
    const shape = { inputs: 1, hidden: 1, outputs: 1 };
    const s = new FlipStats(shape, 1, { capacity: 512 });
    const rng = rngFor(9, 'reservoir-test');
    const all: number[] = [];
    for (let t = 0; t < 3000; t++) {
      const g = 1 + rng.nextFloat();
      s.gradients([Float64Array.of(g), Float64Array.of(g), Float64Array.of(g), Float64Array.of(g)]);
      const v = rng.nextFloat() * 10; // ratio = v / g, uniform-ish over (0, 10)
      s.velocities([Float64Array.of(v), Float64Array.of(v), Float64Array.of(v), Float64Array.of(v)]);
      all.push(v / g);
    }
    const [fc1] = s.take();
    const truth = median(Float64Array.from(all));
    expect(Math.abs(fc1.velocityRatio! - truth) / truth).toBeLessThan(0.1);
    expect(fc1.velocityRatio).not.toBe(truth);
  });
});
