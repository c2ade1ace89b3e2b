import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_CONFIG, TrainConfigSchema, type TrainConfig } from '../contracts/train-config';
import type { EvalPoint, TrainerMessage } from '../contracts/train-protocol';
import { sourceEvalThread } from '../node/eval-thread-test-helpers';
import type { TrainHooks, TrainOptions } from './trainer';
import { trainMessages } from '../node/train-test-helpers';

// Sharpness and flip statistics wired into training (issue 15): which evaluations measure, on which images, and that
// nothing else about a run changes.

const train = (config: Partial<TrainConfig>, options: TrainOptions = {}, hooks: Partial<TrainHooks> = {}) =>
  trainMessages('run-s', config, options, hooks);
const points = (ms: TrainerMessage[]): EvalPoint[] => ms.flatMap((m) => (m.type === 'eval' ? [m.point] : []));
const endOf = (ms: TrainerMessage[]) =>
  ms.find((m): m is Extract<TrainerMessage, { type: 'end' }> => m.type === 'end')!;
/** Messages as JSON without the wall time and without the sharpness fields. */
const withoutSharpness = (ms: TrainerMessage[]) =>
  ms.map((m) =>
    JSON.stringify(m, (k, v) =>
      k === 'elapsedMs' || k === 'sharpness' || k === 'sharpnessMin' || k === 'hvps' || k === 'sharpnessSet'
        ? undefined
        : ArrayBuffer.isView(v)
          ? Array.from(v as Float32Array)
          : v,
    ),
  );

// 20 images per class (200), batch 20: 10 iterations an epoch.
const SMALL: Partial<TrainConfig> = {
  hidden: 16,
  batchSize: 20,
  epochs: 3,
  perClass: 20,
  validation: 0,
  evalEvery: 5,
  lr: 0.1,
};

describe('sharpness during training', () => {
  it('is off by default, and a config without the fields reads as off with N = 1,000', () => {
    const { sharpnessEvery: _e, sharpnessBatch: _b, ...old } = DEFAULT_TRAIN_CONFIG;
    const cfg = TrainConfigSchema.parse(old);
    expect(cfg.sharpnessEvery).toBeNull();
    expect(cfg.sharpnessBatch).toBe(1000);
    expect(TrainConfigSchema.safeParse({ ...DEFAULT_TRAIN_CONFIG, sharpnessEvery: 0 }).success).toBe(false);
    expect(TrainConfigSchema.safeParse({ ...DEFAULT_TRAIN_CONFIG, sharpnessBatch: 60_001 }).success).toBe(false);
  });

  it('measures at every K-th evaluation and the final one, on the subset, and changes nothing else bit for bit', async () => {
    const off = await train(SMALL);
    const on = await train({ ...SMALL, sharpnessEvery: 2, sharpnessBatch: 150 });
    expect(endOf(on).status).toBe('finished');
    // Evaluations at 5, 10, ..., 30: the 2nd, 4th, 6th measure (10, 20, 30); 30 is also the last.
    const pts = points(on);
    expect(pts.map((p) => p.iter)).toEqual([5, 10, 15, 20, 25, 30]);
    expect(pts.filter((p) => p.sharpness !== undefined).map((p) => p.iter)).toEqual([10, 20, 30]);
    for (const p of pts.filter((q) => q.sharpness !== undefined)) {
      expect(p.sharpness).toBeGreaterThan(0);
      expect(Number.isFinite(p.sharpness)).toBe(true);
      expect(p.hvps).toBeGreaterThanOrEqual(2);
      expect(p.hvps).toBeLessThanOrEqual(20);
      expect(p.sharpnessMin === null || p.sharpnessMin! < 0).toBe(true);
    }
    expect(points(off).every((p) => p.sharpness === undefined && p.hvps === undefined)).toBe(true);
    // A subset run measures on its subset: 150 of its 200 images.
    const started = on.find((m): m is Extract<TrainerMessage, { type: 'started' }> => m.type === 'started')!;
    expect(started.sharpnessSet).toEqual({
      source: 'subset',
      count: 150,
      description: "the first 150 images (file order) of the run's training subset",
    });
    expect(off.find((m) => m.type === 'started')).toMatchObject({ sharpnessSet: null });
    // Everything else (losses, accuracies, detail, weights, flip statistics) is the same bit for bit.
    expect(withoutSharpness(on)).toEqual(withoutSharpness(off));
  });

  it('a measurement depends only on the weights of its evaluation (K = 1 and K = 3 agree where both measure)', async () => {
    const every = points(await train({ ...SMALL, sharpnessEvery: 1, sharpnessBatch: 100 }));
    const third = points(await train({ ...SMALL, sharpnessEvery: 3, sharpnessBatch: 100 }));
    const at = (ps: EvalPoint[], iter: number) => ps.find((p) => p.iter === iter)!.sharpness!;
    expect(every.every((p) => p.sharpness !== undefined)).toBe(true);
    for (const iter of [15, 30])
      expect(Math.abs(at(third, iter) - at(every, iter)) / at(every, iter)).toBeLessThan(5e-3);
  });

  it('the first N training images in file order when training on all of them; the reference kernels measure the same', async () => {
    const cfg: Partial<TrainConfig> = {
      hidden: 8,
      batchSize: 500,
      epochs: 1,
      perClass: null,
      validation: 0,
      evalEvery: 1000,
      sharpnessEvery: 1,
      sharpnessBatch: 200,
    };
    const fast = await train(cfg);
    const ref = await train(cfg, { kernels: 'reference' });
    expect(fast.find((m) => m.type === 'started')).toMatchObject({
      sharpnessSet: { source: 'first-n', count: 200, description: 'the first 200 training images (file order)' },
    });
    const f = points(fast).at(-1)!;
    const r = points(ref).at(-1)!;
    expect(f.iter).toBe(120);
    // The two kernels' weights differ by float32 rounding only; their sharpness agrees to the Lanczos tolerance.
    expect(Math.abs(f.sharpness! - r.sharpness!) / r.sharpness!).toBeLessThan(5e-3);
  });
});

describe('sharpness on the evaluation thread', () => {
  it('measures the snapshot the evaluation saw: the same messages, bit for bit, as measuring on the training thread', async () => {
    const cfg: Partial<TrainConfig> = { ...SMALL, validation: 100, sharpnessEvery: 2, sharpnessBatch: 150 };
    const inline = await train(cfg);
    const threaded = await train(
      cfg,
      {},
      { evalThread: sourceEvalThread, yieldNow: () => new Promise<void>((r) => setImmediate(r)) },
    );
    expect(endOf(threaded).status).toBe('finished');
    const measured = points(threaded).filter((p) => p.sharpness !== undefined);
    expect(measured.map((p) => p.iter)).toEqual([10, 20, 30]);
    const noClock = (ms: TrainerMessage[]) =>
      ms.map((m) =>
        JSON.stringify(m, (k, v) =>
          k === 'elapsedMs' ? undefined : ArrayBuffer.isView(v) ? Array.from(v as Float32Array) : v,
        ),
      );
    expect(noClock(threaded.filter((m) => m.type !== 'batch'))).toEqual(
      noClock(inline.filter((m) => m.type !== 'batch')),
    );
  });
});

describe('sharpness and early stopping', () => {
  it('the restored final point is measured on the restored weights, whatever K', async () => {
    const cfg: Partial<TrainConfig> = {
      ...SMALL,
      epochs: 40,
      validation: 100,
      earlyStop: 1,
      evalEvery: 10,
      sharpnessEvery: 1000,
      sharpnessBatch: 100,
    };
    const ms = await train(cfg);
    const end = endOf(ms);
    expect(end.stoppedAt).not.toBeNull();
    const pts = points(ms);
    // The stop's own evaluation and the restored one share the iteration; only the restored (final) one is measured.
    const last = pts.at(-1)!;
    expect(last.iter).toBe(end.stoppedAt);
    expect(last.layers).toBeUndefined();
    expect(pts.filter((p) => p.sharpness !== undefined)).toEqual([last]);
    // Its value is the best evaluation's weights' sharpness: a run that measures every evaluation (K = 1) measured
    // the same weights at the best iteration, warm-started from another vector (agreement to the Lanczos tolerance).
    const every = points(await train({ ...cfg, sharpnessEvery: 1 }));
    const atBest = every.find((p) => p.iter === end.bestIter && p.layers !== undefined)!;
    expect(Math.abs(last.sharpness! - atBest.sharpness!) / atBest.sharpness!).toBeLessThan(5e-3);
  });
});

describe('flip statistics during training', () => {
  it('at d = 0 every step is a plain step: the velocity ratio is 1 in both layers', async () => {
    const pts = points(await train({ ...SMALL, momentum: 0 }));
    for (const p of pts) {
      expect(p.layers!.map((l) => l.layer)).toEqual(['fc1', 'fc2']);
      for (const l of p.layers!) {
        expect(l.flipFraction).toBeGreaterThanOrEqual(0);
        expect(l.flipFraction).toBeLessThanOrEqual(1);
        // |w_after − w_before| / (lr |g|) in float32 arithmetic: 1 to rounding.
        expect(Math.abs(l.velocityRatio! - 1)).toBeLessThan(1e-3);
      }
    }
  });

  it('with heavy-ball d = 0.9 the step is not a plain step, on the fast and the reference kernels alike', async () => {
    const fast = points(await train({ ...SMALL, momentum: 0.9, lr: 0.01 }));
    const ref = points(await train({ ...SMALL, momentum: 0.9, lr: 0.01 }, { kernels: 'reference' }));
    for (const [k, p] of fast.entries()) {
      for (const [j, l] of p.layers!.entries()) {
        expect(l.velocityRatio).not.toBeNull();
        expect(Math.abs(l.velocityRatio! - 1)).toBeGreaterThan(0.05);
        const q = ref[k].layers![j];
        expect(Math.abs(l.flipFraction! - q.flipFraction!)).toBeLessThan(0.05);
      }
    }
  });
});
