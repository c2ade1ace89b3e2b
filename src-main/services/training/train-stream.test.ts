import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_CONFIG } from '../../../src-core/contracts/train-config';
import type { TrainerMessage } from '../../../src-core/contracts/train-protocol';
import type { TrainStreamMessage } from '../../../src-core/contracts/train-stream';
import { nodeLauncher } from '../../workers/node-launcher';
import { RunManager } from './run-manager';
import { mergeBatches, TrainStreamPacer, type TrainStreamTimers } from './train-stream';
import { trainerMessages } from './trainer-messages';

/** Timers the test fires by hand: fire() runs every pending callback. */
function manualTimers(): TrainStreamTimers & { fire(): void; pending(): number } {
  const pending = new Map<number, () => void>();
  let next = 1;
  return {
    set: (fn) => {
      pending.set(next, fn);
      return next++;
    },
    clear: (h) => void pending.delete(h as number),
    fire: () => {
      const fns = [...pending.values()];
      pending.clear();
      for (const fn of fns) fn();
    },
    pending: () => pending.size,
  };
}

let raw: TrainerMessage[];
beforeAll(async () => {
  // A real run: 300 images, BS 10, 3 epochs = 90 iterations, an evaluation every 7, weights after each.
  raw = await trainerMessages('r1', { ...DEFAULT_TRAIN_CONFIG, perClass: 30, batchSize: 10, epochs: 3, evalEvery: 7 });
});

/** Feeds the raw stream to a pacer, firing its timer every `every` messages; returns what it sent. */
function pace(messages: TrainerMessage[], every: number): TrainStreamMessage[] {
  const timers = manualTimers();
  const out: TrainStreamMessage[] = [];
  const pacer = new TrainStreamPacer((m) => out.push(m), 200, timers);
  messages.forEach((m, i) => {
    pacer.push(m);
    if ((i + 1) % every === 0) timers.fire();
  });
  expect(timers.pending(), 'no timer left behind after the end').toBe(0);
  return out;
}

const batchesOf = (ms: readonly (TrainerMessage | TrainStreamMessage)[]) => ms.filter((m) => m.type === 'batch');
const evalsOf = (ms: readonly (TrainerMessage | TrainStreamMessage)[]) => ms.filter((m) => m.type === 'eval');

describe('TrainStreamPacer on a real run', () => {
  it('the run has what the test needs: many batch messages, several evaluations', () => {
    expect(batchesOf(raw).length).toBeGreaterThan(10);
    expect(evalsOf(raw).length).toBeGreaterThan(10);
    expect(raw.filter((m) => m.type === 'weights').length).toBe(evalsOf(raw).length);
  });

  for (const every of [1, 3, 10, 1000]) {
    it(`loses no mini-batch value and no evaluation point (timer every ${every} messages)`, () => {
      const out = pace(raw, every);
      const rawLoss = Array.from(batchesOf(raw).flatMap((b) => (b.type === 'batch' ? Array.from(b.loss) : [])));
      const outBatches = batchesOf(out);
      let at = 0;
      const loss: number[] = [];
      for (const b of outBatches) {
        if (b.type !== 'batch') continue;
        expect(b.fromIter).toBe(at);
        at += b.loss.length;
        expect(b.iter).toBe(at);
        loss.push(...b.loss);
      }
      expect(loss).toEqual(rawLoss);
      expect(evalsOf(out).map((m) => (m.type === 'eval' ? m.point : null))).toEqual(
        evalsOf(raw).map((m) => (m.type === 'eval' ? m.point : null)),
      );
      // The first message is 'started', the last 'end', each once.
      expect(out[0].type).toBe('started');
      expect(out[out.length - 1]).toEqual(raw[raw.length - 1]);
      expect(out.filter((m) => m.type === 'end' || m.type === 'started').length).toBe(2);
    });
  }

  it('fewer deliveries than the trainer sends, and only the newest evaluation of a delivery carries its detail', () => {
    const out = pace(raw, 10);
    expect(out.length).toBeLessThan(raw.length / 2);
    const evals = evalsOf(out);
    const withDetail = evals.filter((m) => m.type === 'eval' && m.detail !== null);
    expect(withDetail.length).toBeGreaterThan(0);
    expect(withDetail.length).toBeLessThan(evals.length);
    // The trainer's detail without its class probabilities (the dialog asks for them: lab.testProbs).
    const shown = (m: TrainerMessage | TrainStreamMessage) => {
      if (m.type !== 'eval' || !m.detail) return null;
      const { predicted, confidence, confusion } = m.detail;
      return { predicted, confidence, confusion };
    };
    // The last evaluation of the run always arrives with its detail, equal to the trainer's.
    const lastRaw = evalsOf(raw).at(-1)!;
    const lastOut = evals.at(-1)!;
    expect(lastOut.type === 'eval' && lastOut.detail).toEqual(shown(lastRaw));
    // Each detail sent is the one of its own evaluation, and none carries the probabilities.
    for (const m of withDetail) {
      const twin = evalsOf(raw).find((r) => r.type === 'eval' && m.type === 'eval' && r.point.iter === m.point.iter)!;
      expect(m.type === 'eval' && m.detail).toEqual(shown(twin));
      expect(m.type === 'eval' && m.detail && 'probs' in m.detail).toBe(false);
    }
    // A notice of the newest weights only (iteration and shape, no numbers: lab.hiddenWeights has them).
    const weights = out.filter((m) => m.type === 'weights');
    const rawWeights = raw.filter((m) => m.type === 'weights');
    const { runId, iter, hidden, inputs } = rawWeights.at(-1)! as Extract<TrainerMessage, { type: 'weights' }>;
    expect(weights.at(-1)).toEqual({ type: 'weights', runId, iter, hidden, inputs });
    expect(weights.length).toBeLessThan(rawWeights.length);
    for (const w of weights) expect(Object.keys(w).sort()).toEqual(['hidden', 'inputs', 'iter', 'runId', 'type']);
  });

  it("'end' goes out at once, after what was pending, without waiting for the timer", () => {
    const timers = manualTimers();
    const out: TrainStreamMessage[] = [];
    const pacer = new TrainStreamPacer((m) => out.push(m), 200, timers);
    for (const m of raw) pacer.push(m); // the timer never fires
    expect(out[out.length - 1].type).toBe('end');
    expect(batchesOf(out).reduce((n, b) => n + (b.type === 'batch' ? b.loss.length : 0), 0)).toBe(90);
  });

  it('runs are paced separately: one run’s end does not deliver another’s pending values', () => {
    const timers = manualTimers();
    const out: TrainStreamMessage[] = [];
    const pacer = new TrainStreamPacer((m) => out.push(m), 200, timers);
    const other = raw.map((m) => ({ ...m, runId: 'r2' }) as TrainerMessage);
    const firstBatchOther = other.find((m) => m.type === 'batch')!;
    pacer.push(firstBatchOther);
    for (const m of raw) pacer.push(m);
    expect(out.some((m) => m.runId === 'r2')).toBe(false);
    timers.fire();
    expect(out.filter((m) => m.runId === 'r2')).toEqual([firstBatchOther]);
  });
});

describe('mergeBatches', () => {
  it('concatenates contiguous batch messages and keeps the last progress', () => {
    const bs = batchesOf(raw)
      .slice(0, 4)
      .filter((m): m is Extract<TrainerMessage, { type: 'batch' }> => m.type === 'batch');
    const m = mergeBatches(bs)!;
    expect(m.fromIter).toBe(bs[0].fromIter);
    expect(m.iter).toBe(bs[3].iter);
    expect(Array.from(m.loss)).toEqual(bs.flatMap((b) => Array.from(b.loss)));
    expect(Array.from(m.acc)).toEqual(bs.flatMap((b) => Array.from(b.acc)));
    expect(mergeBatches([])).toBeNull();
  });
});

describe('RunManager.cancel', () => {
  it('answers with the end of a real trainer process, after every observer has seen it', async () => {
    const runs = new RunManager(nodeLauncher);
    const seen: TrainerMessage[] = [];
    runs.observe((m) => seen.push(m));
    const { builtinMnistFiles: files } = await import('../../../src-core/node/mnist');
    const run = runs.start({ ...DEFAULT_TRAIN_CONFIG, epochs: 50 }, files());
    // Wait until it is really training.
    const t0 = Date.now();
    while (!seen.some((m) => m.type === 'batch') && Date.now() - t0 < 60_000)
      await new Promise((r) => setTimeout(r, 20));
    const end = await runs.cancel(run.runId);
    expect(end).not.toBeNull();
    expect(end!.status).toBe('cancelled');
    expect(seen.at(-1)).toEqual(end);
    expect(runs.activeRunIds()).toEqual([]);
    // Cancelling again is idempotent.
    await expect(runs.cancel(run.runId)).resolves.toBeNull();
    runs.shutdown();
  }, 90_000);
});
