// Sharpness cost measurement (issue 15; a measurement, never part of `npm test`):
//   - one λ_max estimate (HessianOperator at N images + Lanczos with the defaults: relative change < 1e-3 or
//     20 products), cold and warm-started, on W's network (784-64-10, ReLU, CE) at several points of W's training;
//   - one W evaluation (the full 10,000-image test pass) with the fast kernels as the trainer runs it, and with
//     the TypeScript kernels;
//   - W's training time per iteration (the fast path: lossGrad + heavy-ball step), so the cost of
//     `--sharpness-every K` can be stated as a share of W;
//   - the flip/velocity accumulator's cost per step (default sample) against a W step.
// All times are CPU time of this single-threaded process (process.cpuUsage), so other load on the machine
// inflates them less than it would the wall clock.
//
//   npx tsx bench/sharpness-bench.ts [--n 1000] [--repeats 3] [--ends max|both]
import { parseArgs } from 'node:util';
import { sparseOf } from '../src-core/data/sparse-images';
import { actCode } from '../src-core/mlp/activation';
import { lossCode } from '../src-core/mlp/loss';
import { initPyTorch, paramList } from '../src-core/mlp/params';
import { FastNet } from '../src-core/mlp/wasm/fast-net';
import { createWorkspace } from '../src-core/mlp/workspace';
import { loadDataset } from '../src-core/node/load-dataset';
import { builtinMnistFiles } from '../src-core/node/mnist';
import { rngFor, STREAMS } from '../src-core/rng';
import { evalChunk, startEvalPass } from '../src-core/train/evaluate';
import { FlipStats } from '../src-core/train/sharpness/flip-stats';
import { SharpnessMeter } from '../src-core/train/sharpness/meter';
import { sharpnessData, sharpnessSet } from '../src-core/train/sharpness/sharpness-set';

const { values: flags } = parseArgs({
  options: {
    n: { type: 'string', default: '1000' },
    repeats: { type: 'string', default: '3' },
    ends: { type: 'string', default: 'max' },
  },
});
const N = Number(flags.n);
const repeats = Math.max(1, Number(flags.repeats));
const ends = flags.ends === 'both' ? 'both' : 'max';
const H = 64;
const BS = 32;
const LR = 0.1;
const act = actCode('relu');
const loss = lossCode('ce');
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];
/** CPU time of this (single-threaded) process in ms: robust to other processes sharing the cores, unlike the wall clock. */
const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const ms = (x: number) => `${x.toFixed(1)} ms`;

const { data } = loadDataset(builtinMnistFiles());
const inputs = data.rows * data.cols;
const net = FastNet.create({
  inputs,
  hidden: H,
  maxBatch: BS,
  train: { images: data.trainImages, count: data.trainCount, only: null },
  test: { images: data.testImages, count: data.testCount },
  testLabels: data.testLabels,
  evalSlots: 1,
  evalChunk: 256,
});
if (!net) throw new Error('this host has no WebAssembly SIMD: the fast path the trainer uses is not available');
initPyTorch(net.params, rngFor(1, STREAMS.init));
const order = Int32Array.from({ length: data.trainCount }, (_, i) => i);
rngFor(1, STREAMS.order).shuffle(order);
let cursor = 0;
const trainSteps = (k: number) => {
  for (let t = 0; t < k; t++) {
    if (cursor + BS > order.length) cursor = 0;
    net.lossGrad(act, loss, data.trainLabels, order, cursor, BS);
    net.stepHeavyBall(LR, 0);
    cursor += BS;
  }
};

// W's step time (fast path), measured over 2,000 steps after a warm-up.
trainSteps(200);
let t0 = cpuNow();
trainSteps(2000);
const stepMs = (cpuNow() - t0) / 2000;

// One W evaluation: the full test pass.
const evalFast: number[] = [];
const evalTs: number[] = [];
const test = sparseOf(data.testImages, data.testCount, inputs);
const testIdx = Int32Array.from({ length: data.testCount }, (_, i) => i);
const ws = createWorkspace(256, H, 10);
for (let r = 0; r < repeats + 1; r++) {
  t0 = cpuNow();
  net.snapshot(0);
  const job = net.evalJob(0, act, loss);
  for (let from = 0; from < job.count; from += job.chunk)
    net.evalRows(job, from, Math.min(job.chunk, job.count - from));
  net.evalResult(0);
  if (r > 0) evalFast.push(cpuNow() - t0);
  t0 = cpuNow();
  const pass = startEvalPass(data.testCount);
  while (!evalChunk(pass, net.params, act, loss, test, data.testLabels, testIdx, ws));
  if (r > 0) evalTs.push(cpuNow() - t0);
}

// λ_max estimates at several points of training: cold (a new meter each time) and warm (one meter carried along).
const set = sharpnessSet(data.trainCount, N);
const sd = sharpnessData(data.trainImages, data.trainLabels, inputs, set);
const warmMeter = new SharpnessMeter(sd, act, loss, { ends });
const rows: string[] = [];
const coldMs: number[] = [];
const warmMs: number[] = [];
const warmProducts: number[] = [];
const coldProducts: number[] = [];
const checkpoints = [0, 200, 400, 1000, 2000, 4000];
// Back to the initial weights for a clean path through training.
initPyTorch(net.params, rngFor(1, STREAMS.init));
cursor = 0;
let done = 0;
for (const at of checkpoints) {
  trainSteps(at - done);
  done = at;
  const snap = {
    inputs,
    hidden: H,
    outputs: 10,
    w1: net.params.w1.slice(),
    b1: net.params.b1.slice(),
    w2: net.params.w2.slice(),
    b2: net.params.b2.slice(),
  };
  const cold: number[] = [];
  let c = null;
  for (let r = 0; r < repeats; r++) {
    t0 = cpuNow();
    c = new SharpnessMeter(sd, act, loss, { ends }).measure(snap);
    cold.push(cpuNow() - t0);
  }
  t0 = cpuNow();
  const w = warmMeter.measure(snap);
  const wms = cpuNow() - t0;
  coldMs.push(median(cold));
  coldProducts.push(c!.hvps);
  if (w.warm) {
    warmMs.push(wms);
    warmProducts.push(w.hvps);
  }
  rows.push(
    `  iter ${String(at).padStart(5)}: λ_max ${c!.sharpness.toFixed(3).padStart(8)} (cold, ${String(c!.hvps).padStart(2)} products, ${ms(median(cold)).padStart(9)})  ${w.sharpness.toFixed(3).padStart(8)} (${w.warm ? 'warm' : 'cold'}, ${String(w.hvps).padStart(2)} products, ${ms(wms).padStart(9)})  λ_min ${c!.sharpnessMin === null ? '—' : c!.sharpnessMin.toFixed(3)}`,
  );
}

// Flip statistics inside W's loop (fast path): gradients(g, w) after the backward pass, moved(w) after the step
// (the fast path's velocity lives in WebAssembly memory; w_after − w_before is the same step), take() every 200 steps.
// Blocks of 1,000 steps with and without, interleaved; the accumulator's own time is also timed directly.
const stats = new FlipStats(net.params, LR);
const plist = paramList(net.params);
const glist = paramList(net.grads);
const withStats: number[] = [];
const without: number[] = [];
let statSteps = 0;
for (let block = 0; block < 2 * Math.max(3, repeats); block++) {
  const on = block % 2 === 1;
  const b0 = cpuNow();
  for (let t = 0; t < 1000; t++) {
    if (cursor + BS > order.length) cursor = 0;
    net.lossGrad(act, loss, data.trainLabels, order, cursor, BS);
    cursor += BS;
    if (on) stats.gradients(glist, plist);
    net.stepHeavyBall(LR, 0);
    if (on) {
      stats.moved(plist);
      if (++statSteps % 200 === 0) stats.take();
    }
  }
  (on ? withStats : without).push((cpuNow() - b0) / 1000);
}
// The accumulator alone: one real mini-batch gradient, its sign flipped on a few entries per step, and the stand-in
// velocity -lr·g (20,000 steps, take() every 200).
net.lossGrad(act, loss, data.trainLabels, order, 0, BS);
const g0 = glist.map((a) => a.slice());
const v0 = g0.map((a) => a.map((x) => -LR * x));
const alone = new FlipStats(net.params, LR);
const a0 = cpuNow();
for (let t = 0; t < 20000; t++) {
  g0[0][(t * 7919) % g0[0].length] *= -1;
  alone.gradients(g0);
  alone.velocities(v0);
  if (t % 200 === 199) alone.take();
}
const inStats = cpuNow() - a0;
statSteps = 20000;
const flipUs = (inStats / statSteps) * 1000;
const loopOverhead = median(withStats) / median(without) - 1;

const evalMs = median(evalFast);
const estimate = median(warmMs.length ? warmMs : coldMs);
const wIters = 7500;
const wEvals = 38;
const wMs = wIters * stepMs + wEvals * evalMs;
console.log(
  `Sharpness cost (784-${H}-10 ReLU CE, N = ${set.indices.length} images, Lanczos ends '${ends}', median of ${repeats}; CPU time of this process)`,
);
console.log(
  `W step (fast path): ${(stepMs * 1000).toFixed(0)} µs; W evaluation (10,000 test images): ${ms(evalMs)} fast kernels, ${ms(median(evalTs))} TypeScript kernels`,
);
console.log(rows.join('\n'));
console.log(
  `one λ_max estimate: cold median ${ms(median(coldMs))} (${median(coldProducts)} products), warm median ${ms(estimate)} (${median(warmProducts.length ? warmProducts : coldProducts)} products)`,
);
console.log(
  `  = ${(median(coldMs) / evalMs).toFixed(1)}x (cold) / ${(estimate / evalMs).toFixed(1)}x (warm) a W evaluation (fast kernels)`,
);
console.log(
  `  --sharpness-every 1 on W (38 estimates, warm) ≈ ${((wEvals * estimate) / 1000).toFixed(1)} s on top of W's ≈ ${(wMs / 1000).toFixed(1)} s single-thread compute (${((100 * wEvals * estimate) / wMs).toFixed(0)} %); every 2nd: ${((100 * 19 * estimate) / wMs).toFixed(0)} %, every 5th: ${((100 * 8 * estimate) / wMs).toFixed(0)} %`,
);
console.log(
  `flip statistics (${stats.sampleOf('fc1').array.length} + ${stats.sampleOf('fc2').array.length} sampled parameters): ${flipUs.toFixed(1)} µs per step alone = ${((100 * flipUs) / (stepMs * 1000)).toFixed(1)} % of a W step; W's loop with / without: ${(median(withStats) * 1000).toFixed(0)} / ${(median(without) * 1000).toFixed(0)} µs per step (${(100 * loopOverhead).toFixed(1)} %)`,
);
