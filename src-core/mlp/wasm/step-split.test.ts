import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../../node/load-dataset';
import { builtinMnistFiles } from '../../node/mnist';
import { openStepThread, type OpenStepThread } from '../../node/step-thread';
import { SOURCE_STEP_ENTRY, waitUntil } from '../../node/step-thread-test-helpers';
import { rngFor } from '../../rng';
import { actCode } from '../activation';
import { lossCode } from '../loss';
import { initPyTorch, paramList } from '../params';
import { FastNet } from './fast-net';
import { splitLanes } from './step-split';

// One run stepped on two threads (a real step thread, the kernels on one shared memory) against the same run on one
// thread, on real MNIST: every mini-batch loss, right-answer count and finite flag, the weights and a test pass must
// be the same bit for bit (the split only divides the work; it changes no float operation). Hidden 64 (two 32-lane
// halves), 63 and 7 (the 4-lane and 1-lane tails), batch sizes 1, 7 and 32, plain SGD and heavy-ball 0.9.

const { data } = loadDataset(builtinMnistFiles());
const TRAIN = 3000;
const STEPS = 60;

function makeNet(hidden: number, firstLayer: 'sparse' | 'dense' = 'sparse'): FastNet {
  const net = FastNet.create({
    inputs: 784,
    hidden,
    maxBatch: 32,
    train: { images: data.trainImages, count: data.trainCount, only: Int32Array.from({ length: TRAIN }, (_, i) => i) },
    test: { images: data.testImages, count: data.testCount },
    testLabels: data.testLabels,
    evalSlots: 1,
    evalChunk: 256,
    firstLayer,
  });
  if (!net) throw new Error('this host has no WebAssembly kernels');
  return net;
}

/** Fresh weights from seed, zero velocities and gradients. */
function reset(net: FastNet, seed: number): void {
  initPyTorch(net.params, rngFor(seed, 'init'));
  for (const g of paramList(net.grads)) g.fill(0);
  const v = net.at.v;
  const H = net.hidden;
  new Float32Array(net.memory.buffer, v.w1, 784 * H).fill(0);
  for (const [at, n] of [
    [v.b1, H],
    [v.w2, 10 * H],
    [v.b2, 10],
  ])
    new Float32Array(net.memory.buffer, at, n).fill(0);
  net.clearGrads();
}

interface Trace {
  losses: number[];
  correct: number[];
  finite: boolean[];
  weights: Uint8Array;
  test: { lossSum: number; correct: number; predicted: Uint8Array; confusion: Int32Array };
}

type Opts = { batch: number; lr: number; d: number; act: string; loss: string };

/** STEPS mini-batches of batch images in one seeded order (stopping as the trainer does on a bad loss or step). */
function train(net: FastNet, opts: Opts): Trace {
  return trainFor(net, opts, STEPS);
}

function trainFor(net: FastNet, opts: Opts, steps: number): Trace {
  const act = actCode(opts.act as 'relu');
  const loss = lossCode(opts.loss as 'ce');
  const order = Int32Array.from({ length: TRAIN }, (_, i) => i);
  rngFor(7, 'order').shuffle(order);
  const t: Trace = { losses: [], correct: [], finite: [], weights: new Uint8Array(), test: null! };
  for (let s = 0; s < steps; s++) {
    const from = (s * opts.batch) % (TRAIN - opts.batch);
    const l = net.lossGrad(act, loss, data.trainLabels, order, from, opts.batch);
    t.losses.push(l);
    t.correct.push(net.correct);
    if (!Number.isFinite(l) || l > 100) break;
    const ok = net.stepHeavyBall(opts.lr, opts.d);
    t.finite.push(ok);
    if (!ok) break;
  }
  t.weights = Uint8Array.from(
    paramList(net.params).flatMap((p) => Array.from(new Uint8Array(p.buffer, p.byteOffset, p.byteLength))),
  );
  net.snapshot(0);
  const job = net.evalJob(0, act, loss);
  for (let from = 0; from < job.count; from += job.chunk)
    net.evalRows(job, from, Math.min(job.chunk, job.count - from));
  const r = net.evalResult(0);
  t.test = { lossSum: r.lossSum, correct: r.correct, predicted: r.predicted, confusion: r.confusion };
  return t;
}

function expectSame(two: Trace, one: Trace, what: string): void {
  expect(two.losses.length, `${what}: steps taken`).toBe(one.losses.length);
  two.losses.forEach((l, i) => expect(Object.is(l, one.losses[i]), `${what}: loss of step ${i}`).toBe(true));
  expect(two.correct, `${what}: right answers`).toEqual(one.correct);
  expect(two.finite, `${what}: finite flags`).toEqual(one.finite);
  expect(Buffer.compare(Buffer.from(two.weights), Buffer.from(one.weights)), `${what}: weights byte for byte`).toBe(0);
  expect(Object.is(two.test.lossSum, one.test.lossSum), `${what}: test loss sum`).toBe(true);
  expect(two.test.correct, `${what}: test right answers`).toBe(one.test.correct);
  expect(Buffer.compare(Buffer.from(two.test.predicted), Buffer.from(one.test.predicted)), `${what}: predictions`).toBe(
    0,
  );
  expect(two.test.confusion, `${what}: confusion`).toEqual(one.test.confusion);
}

const HIDDEN = [64, 63, 7];
/** Each width with the sparse first layer (key H), and 64 and 63 with the dense one (key 'dense H'). */
const NETS: [key: string, H: number, firstLayer: 'sparse' | 'dense'][] = [
  ...HIDDEN.map((H): [string, number, 'sparse'] => [String(H), H, 'sparse']),
  ['dense 64', 64, 'dense'],
  ['dense 63', 63, 'dense'],
];
const nets = new Map<string, { one: FastNet; two: FastNet; thread: OpenStepThread }>();

beforeAll(async () => {
  for (const [key, H, firstLayer] of NETS) {
    const one = makeNet(H, firstLayer);
    const two = makeNet(H, firstLayer);
    const thread = openStepThread(SOURCE_STEP_ENTRY, { adaptive: false });
    expect(thread.start(two), `hidden ${H} (${firstLayer}) splits`).toBe(true);
    nets.set(key, { one, two, thread });
  }
  for (const { two } of nets.values()) await waitUntil(() => two.splitLive, 60_000);
}, 120_000);

afterAll(() => {
  for (const { thread } of nets.values()) thread.close();
});

describe('two step threads give the one-thread run bit for bit (real MNIST, real threads)', () => {
  it('splits the hidden lanes into two non-empty parts at a multiple of 4 (halves for 32-lane widths)', () => {
    for (let H = 5; H <= 300; H++) {
      const j = splitLanes(H);
      if (!(j % 4 === 0 && j > 0 && j < H)) expect.fail(`hidden ${H}: split at ${j}`);
    }
    expect(splitLanes(64)).toBe(32);
    expect(splitLanes(128)).toBe(64);
    expect(splitLanes(4)).toBe(0);
  });

  for (const [key, H, firstLayer] of NETS) {
    for (const d of [0, 0.9]) {
      for (const batch of [1, 7, 32]) {
        it(`ReLU/CE, hidden ${H} (${firstLayer}), batch ${batch}, ${d === 0 ? 'SGD' : `heavy-ball ${d}`}`, () => {
          const { one, two } = nets.get(key)!;
          const opts = { batch, lr: 0.05, d, act: 'relu', loss: 'ce' };
          reset(one, 3);
          reset(two, 3);
          const a = train(one, opts);
          expect(two.splitLive).toBe(true);
          const before = two.splitCounts!.two;
          const b = train(two, opts);
          expect(two.splitCounts!.two - before, 'every step on two threads').toBe(b.finite.length);
          expect(a.losses.length).toBe(STEPS);
          expectSame(b, a, `hidden ${H} batch ${batch} d ${d}`);
        });
      }
    }
  }

  it('tanh/MSE and sigmoid/CE at hidden 63, batch 7, heavy-ball 0.5', () => {
    const { one, two } = nets.get('63')!;
    for (const [act, loss] of [
      ['tanh', 'mse'],
      ['sigmoid', 'ce'],
    ]) {
      const opts = { batch: 7, lr: 0.1, d: 0.5, act, loss };
      reset(one, 5);
      reset(two, 5);
      expectSame(train(two, opts), train(one, opts), `${act}/${loss}`);
    }
  });

  it('a diverging run (LR 1e4, heavy-ball 0.9) stops at the same step with the same numbers', () => {
    const { one, two } = nets.get('64')!;
    const opts = { batch: 32, lr: 1e4, d: 0.9, act: 'relu', loss: 'ce' };
    reset(one, 9);
    reset(two, 9);
    const a = train(one, opts);
    expect(a.losses.length, 'the one-thread run diverges before the end').toBeLessThan(STEPS);
    expectSame(train(two, opts), a, 'diverging');
  });

  it('switching between one and two threads from window to window (the mode chooser) changes no number', async () => {
    // A fake clock on which every step costs the same: the chooser keeps two threads and runs one now and then.
    const net = makeNet(63);
    let tick = 0;
    const thread = openStepThread(SOURCE_STEP_ENTRY);
    const split = net.splitSteps.bind(net);
    net.splitSteps = () => split({ now: () => tick++ });
    try {
      expect(thread.start(net)).toBe(true);
      await waitUntil(() => net.splitLive, 60_000);
      const { one } = nets.get('63')!;
      for (const d of [0, 0.9]) {
        const opts = { batch: 7, lr: 0.05, d, act: 'relu', loss: 'ce' };
        reset(one, 4);
        reset(net, 4);
        const steps = 400;
        const a = trainFor(one, opts, steps);
        const b = trainFor(net, opts, steps);
        expectSame(b, a, `mode switches, d ${d}`);
      }
      const c = net.splitCounts!;
      expect(c.one, 'steps on one thread').toBeGreaterThan(0);
      expect(c.two, 'steps on two threads').toBeGreaterThan(c.one);
    } finally {
      thread.close();
    }
  });
});
