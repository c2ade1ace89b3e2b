import type { Vec } from '../../mlp/params';
import { rngFor, type Rng } from '../../rng';

// Sign flips and accumulation inside the network, per layer, over the steps
// between two evaluations. For a weight w with mini-batch gradient g_t at
// step t and velocity v_t (heavy-ball: v_t = d v_(t−1) − lr g_t, w += v_t):
//   - a flip: sign(g_t) ≠ sign(g_(t−1));
//   - the velocity ratio r_t = |v_t| / (lr |g_t|): the step taken over a plain gradient step.
// On a quadratic with heavy-ball momentum the ratio tends to 1/(1 − d) when the
// gradient keeps a constant sign and size (the geometric sum 1 + d + d² + …),
// and to 1/(1 + d) when it alternates (1 − d + d² − …).
//
// Cost: the statistics read a FIXED SAMPLE of each layer's parameters, drawn
// once (uniformly without replacement, seeded) from the layer's weights and
// biases: fc1 = W1 and b1, fc2 = W2 and b2 (default 64 per layer, all of a
// smaller layer). Per step that is three reads and a division per sampled
// parameter (128 for 784-64-10, against the ~50,000 parameters the optimizer
// updates). The interval's ratios are kept in a buffer (exact medians at
// take()); past `capacity` (2^12) values per population the buffer is thinned
// to every second value and then records every 2nd, 4th, ... one, so memory
// and the median's cost stay bounded however far apart the evaluations are.
// (W evaluates every 200 steps: 64 x 200 = 12,800 ratios per layer, thinned
// twice.) Measured (bench/sharpness-bench.ts): about 4 µs per step, 2 % of a
// W step; 128 per layer cost about 7 µs (4 %), over the 3 % budget.
// A zero gradient has no sign and no ratio: pairs with g_t = 0 or g_(t−1) = 0
// are left out of the flip count, steps with g_t = 0 out of the ratios (in fc1:
// a pixel blank in the whole batch; with ReLU: a unit off for the whole batch).

export const FLIP_LAYERS = ['fc1', 'fc2'] as const;
export type FlipLayer = (typeof FLIP_LAYERS)[number];
export const DEFAULT_FLIP_SAMPLES = 64;
export const DEFAULT_FLIP_CAPACITY = 1 << 12;

export interface LayerFlipStats {
  layer: FlipLayer;
  /** Parameters of the layer (weights and biases) and how many are sampled. */
  size: number;
  sampled: number;
  /** Steps recorded since the previous take(). */
  steps: number;
  /** (sampled weight, step) pairs with a nonzero gradient at the step and at the step before. */
  pairs: number;
  /** Fraction of those pairs whose gradient changed sign; null without pairs. */
  flipFraction: number | null;
  /** Median of |v| / (lr |g|) over the (sampled weight, step) pairs with g ≠ 0. */
  velocityRatio: number | null;
  /** The same median over the pairs that flipped, and over those that kept their sign. */
  flippedVelocityRatio: number | null;
  keptVelocityRatio: number | null;
  /**
   * Of the sampled weights whose gradient was nonzero at every step of the interval (and the step before it), the
   * fraction that never changed sign; null if none was.
   */
  steadyFraction: number | null;
  /** Median velocity ratio of those steady weights at the interval's last step. */
  steadyVelocityRatio: number | null;
}

export interface FlipStatsOptions {
  /** Parameters sampled per layer (default 64; a layer with fewer is taken whole). */
  samples?: number;
  /** Ratios kept per population and layer before thinning starts (default 2^12). */
  capacity?: number;
  /** Seed of the sample draw (default 1). */
  seed?: number;
}

/**
 * Medians of a stream of numbers: exact up to `capacity` values; when full it keeps every second value and from then
 * on records every 2nd (then 4th, 8th, ...) value pushed: a systematic sample spread evenly over the interval.
 */
class Thinned {
  private readonly buf: Float64Array;
  private n = 0;
  private stride = 1;
  private phase = 0;
  constructor(capacity: number) {
    this.buf = new Float64Array(Math.max(2, capacity));
  }
  push(x: number): void {
    if (++this.phase < this.stride) return;
    this.phase = 0;
    if (this.n === this.buf.length) this.thin();
    this.buf[this.n++] = x;
  }
  /** Keeps every second value held; from now on every (2 x stride)-th value pushed is recorded. */
  private thin(): void {
    const buf = this.buf;
    const half = this.n >> 1;
    for (let i = 0; i < half; i++) buf[i] = buf[2 * i + 1];
    this.n = half;
    this.stride *= 2;
  }
  /** The median of what is held (mean of the two middle values for an even count); null if empty. Clears. */
  takeMedian(): number | null {
    const n = this.n;
    this.n = 0;
    this.stride = 1;
    this.phase = 0;
    return n === 0 ? null : median(this.buf.subarray(0, n));
  }
}

/** Median of a (reordered in place) array: quickselect; mean of the two middle values for an even length. */
export function median(a: Float64Array): number {
  const n = a.length;
  if (n === 0) throw new RangeError('median of nothing');
  const hi = select(a, n >> 1);
  if (n % 2 === 1) return hi;
  let lo = -Infinity;
  for (let i = 0; i < n >> 1; i++) if (a[i] > lo) lo = a[i];
  return 0.5 * (lo + hi);
}

/** Reorders a so a[k] is its k-th smallest, smaller ones before, larger after (Hoare's selection); returns a[k]. */
function select(a: Float64Array, k: number): number {
  let l = 0;
  let r = a.length - 1;
  while (r > l) {
    const pivot = a[(l + r) >> 1];
    let i = l;
    let j = r;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) r = j;
    else if (k >= i) l = i;
    else break;
  }
  return a[k];
}

interface LayerState {
  layer: FlipLayer;
  size: number;
  /** Per sample: which parameter array (0 w1, 1 b1, 2 w2, 3 b2) and which element. */
  array: Uint8Array;
  element: Int32Array;
  /** Samples [0, nW) lie in the weight array wa, the rest in the bias array ba (positions are sorted, weights first). */
  wa: number;
  ba: number;
  nW: number;
  /** The step each sampled parameter took at the current step. */
  stepNow: Float64Array;
  gPrev: Float64Array;
  gNow: Float64Array;
  wBefore: Float64Array;
  pairsOf: Int32Array;
  flippedOf: Uint8Array;
  lastRatio: Float64Array;
  pairs: number;
  flips: number;
  all: Thinned;
  flipped: Thinned;
  kept: Thinned;
}

/**
 * The per-layer flip and velocity accumulator the trainer feeds each step:
 * gradients(g) after the backward pass and before the step (the fast path's step clears g), then velocities(v) or
 * moved(params) after it; take() at each evaluation returns the interval's statistics and starts a new interval.
 */
export class FlipStats {
  readonly lr: number;
  private readonly layers: LayerState[];
  private steps = 0;
  /** Steps of the interval that had a previous step to compare with (all but the very first step of a run). */
  private pairSteps = 0;
  private pending = false;
  private havePrev = false;
  private readonly sizes: number[];

  constructor(shape: { inputs: number; hidden: number; outputs: number }, lr: number, options: FlipStatsOptions = {}) {
    const { inputs: I, hidden: H, outputs: O } = shape;
    for (const [name, v] of [
      ['inputs', I],
      ['hidden', H],
      ['outputs', O],
    ] as const)
      if (!Number.isInteger(v) || v < 1)
        throw new RangeError(`FlipStats: ${name} must be a positive integer, got ${v}`);
    if (!(lr > 0) || !Number.isFinite(lr)) throw new RangeError(`FlipStats: lr must be a finite number > 0, got ${lr}`);
    const samples = options.samples ?? DEFAULT_FLIP_SAMPLES;
    const capacity = options.capacity ?? DEFAULT_FLIP_CAPACITY;
    if (!Number.isInteger(samples) || samples < 1)
      throw new RangeError(`FlipStats: samples must be a positive integer, got ${samples}`);
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`FlipStats: capacity must be a positive integer, got ${capacity}`);
    this.lr = lr;
    this.sizes = [I * H, H, O * H, O];
    const seed = options.seed ?? 1;
    const layerArrays: [FlipLayer, number, number][] = [
      ['fc1', 0, 1],
      ['fc2', 2, 3],
    ];
    this.layers = layerArrays.map(([layer, wa, ba]) => {
      const wn = this.sizes[wa];
      const size = wn + this.sizes[ba];
      const positions = drawSample(size, Math.min(samples, size), rngFor(seed, `flip-sample-${layer}`));
      const n = positions.length;
      const array = new Uint8Array(n);
      const element = new Int32Array(n);
      for (let s = 0; s < n; s++) {
        const p = positions[s];
        array[s] = p < wn ? wa : ba;
        element[s] = p < wn ? p : p - wn;
      }
      let nW = 0;
      while (nW < n && array[nW] === wa) nW++;
      return {
        layer,
        size,
        array,
        element,
        wa,
        ba,
        nW,
        stepNow: new Float64Array(n),
        gPrev: new Float64Array(n),
        gNow: new Float64Array(n),
        wBefore: new Float64Array(n),
        pairsOf: new Int32Array(n),
        flippedOf: new Uint8Array(n),
        lastRatio: new Float64Array(n).fill(NaN),
        pairs: 0,
        flips: 0,
        all: new Thinned(capacity),
        flipped: new Thinned(capacity),
        kept: new Thinned(capacity),
      };
    });
  }

  /** The sampled parameters of a layer: array (0 w1, 1 b1, 2 w2, 3 b2, the lab's layouts) and element index, ascending. */
  sampleOf(layer: FlipLayer): { array: Uint8Array; element: Int32Array } {
    const L = this.layers.find((l) => l.layer === layer);
    if (!L) throw new RangeError(`FlipStats: no layer ${String(layer)}`);
    return { array: L.array.slice(), element: L.element.slice() };
  }

  /** Step t's mini-batch gradients [gw1, gb1, gw2, gb2], read before the optimizer's step; params: also note w (for moved()). */
  gradients(grads: readonly Vec[], params?: readonly Vec[]): void {
    this.check(grads, 'gradients');
    if (params) this.check(params, 'params');
    for (const L of this.layers) {
      gather(L, grads, L.gNow);
      if (params) gather(L, params, L.wBefore);
    }
    this.pending = true;
  }

  /** Completes step t with the velocity each parameter just got ([vw1, vb1, vw2, vb2]; heavy-ball: w += v). */
  velocities(vel: readonly Vec[]): void {
    this.check(vel, 'velocities');
    for (const L of this.layers) gather(L, vel, L.stepNow);
    this.complete();
  }

  /** Completes step t from the parameters after the step: the step taken is w_after − w_before (optimizers without a velocity). */
  moved(params: readonly Vec[]): void {
    this.check(params, 'params');
    for (const L of this.layers) {
      gather(L, params, L.stepNow);
      for (let s = 0; s < L.stepNow.length; s++) L.stepNow[s] -= L.wBefore[s];
    }
    this.complete();
  }

  /** The statistics of the steps since the previous take(), per layer; starts a new interval (the last gradient stays the "previous"). */
  take(): LayerFlipStats[] {
    const out = this.layers.map((L): LayerFlipStats => {
      let active = 0;
      let steady = 0;
      const steadyRatios: number[] = [];
      if (this.pairSteps > 0) {
        for (let s = 0; s < L.array.length; s++) {
          if (L.pairsOf[s] !== this.pairSteps) continue;
          active++;
          if (!L.flippedOf[s]) {
            steady++;
            steadyRatios.push(L.lastRatio[s]);
          }
        }
      }
      const res: LayerFlipStats = {
        layer: L.layer,
        size: L.size,
        sampled: L.array.length,
        steps: this.steps,
        pairs: L.pairs,
        flipFraction: L.pairs > 0 ? L.flips / L.pairs : null,
        velocityRatio: L.all.takeMedian(),
        flippedVelocityRatio: L.flipped.takeMedian(),
        keptVelocityRatio: L.kept.takeMedian(),
        steadyFraction: active > 0 ? steady / active : null,
        steadyVelocityRatio: steadyRatios.length > 0 ? median(Float64Array.from(steadyRatios)) : null,
      };
      L.pairs = 0;
      L.flips = 0;
      L.pairsOf.fill(0);
      L.flippedOf.fill(0);
      return res;
    });
    this.steps = 0;
    this.pairSteps = 0;
    return out;
  }

  private complete(): void {
    if (!this.pending)
      throw new RangeError('FlipStats: call gradients() before the step and velocities()/moved() after it');
    this.pending = false;
    const lr = this.lr;
    for (const L of this.layers) {
      const { gNow, gPrev, stepNow } = L;
      for (let s = 0; s < gNow.length; s++) {
        const g = gNow[s];
        if (g === 0 || !Number.isFinite(g)) {
          gPrev[s] = 0;
          continue;
        }
        const r = Math.abs(stepNow[s]) / (lr * Math.abs(g));
        L.all.push(r);
        L.lastRatio[s] = r;
        const p = gPrev[s];
        if (this.havePrev && p !== 0) {
          L.pairs++;
          L.pairsOf[s]++;
          if (p > 0 !== g > 0) {
            L.flips++;
            L.flippedOf[s] = 1;
            L.flipped.push(r);
          } else {
            L.kept.push(r);
          }
        }
        gPrev[s] = g;
      }
    }
    if (this.havePrev) this.pairSteps++;
    this.havePrev = true;
    this.steps++;
  }

  private check(arrays: readonly Vec[], what: string): void {
    if (arrays.length !== 4 || arrays.some((a, k) => a.length !== this.sizes[k])) {
      throw new RangeError(
        `FlipStats.${what}: expected [w1, b1, w2, b2] of ${this.sizes.join(', ')} values, got ${arrays.map((a) => a.length).join(', ')}`,
      );
    }
  }
}

/** out[s] = the sampled parameter s's value in arrays ([w1, b1, w2, b2]). */
function gather(L: LayerState, arrays: readonly Vec[], out: Float64Array): void {
  const w = arrays[L.wa];
  const b = arrays[L.ba];
  const e = L.element;
  const nW = L.nW;
  for (let s = 0; s < nW; s++) out[s] = w[e[s]];
  for (let s = nW; s < e.length; s++) out[s] = b[e[s]];
}

/** k distinct positions of [0, n), uniformly (partial Fisher–Yates), ascending. */
function drawSample(n: number, k: number, rng: Rng): Int32Array {
  if (k >= n) return Int32Array.from({ length: n }, (_, i) => i);
  const pool = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + rng.nextInt(n - i);
    const t = pool[i];
    pool[i] = pool[j];
    pool[j] = t;
  }
  return pool.slice(0, k).sort();
}
