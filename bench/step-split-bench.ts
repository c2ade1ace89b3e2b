// Two step threads against one on one run (issue 18, "both cores on one run"): wall time per training step of a
// W-shaped run (hidden 64, batch 32, real MNIST, no evaluations), for each spin count given, interleaved.
//   npx tsx bench/step-split-bench.ts [--steps 3000] [--repeats 3] [--spin 0,2000,20000] [--momentum 0.9] [--adapt]
// (--adapt: the per-window chooser of one or two threads, as the trainer runs it; without: every step on two)
import { loadDataset } from '../src-core/node/load-dataset';
import { builtinMnistFiles } from '../src-core/node/mnist';
import { openStepThread } from '../src-core/node/step-thread';
import { SOURCE_STEP_ENTRY, waitUntil } from '../src-core/node/step-thread-test-helpers';
import { rngFor } from '../src-core/rng';
import { initPyTorch } from '../src-core/mlp/params';
import { FastNet } from '../src-core/mlp/wasm/fast-net';
import { actCode } from '../src-core/mlp/activation';
import { lossCode } from '../src-core/mlp/loss';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const STEPS = Number(arg('steps', '3000'));
const REPEATS = Number(arg('repeats', '3'));
const SPINS = arg('spin', '0,2000,20000').split(',').map(Number);
const D = Number(arg('momentum', '0'));
const H = Number(arg('hidden', '64'));
const ADAPT = process.argv.includes('--adapt');
const { data } = loadDataset(builtinMnistFiles());

function makeNet(): FastNet {
  const net = FastNet.create({
    inputs: 784,
    hidden: H,
    maxBatch: 32,
    train: { images: data.trainImages, count: data.trainCount },
    test: { images: data.testImages, count: data.testCount },
    testLabels: data.testLabels,
    evalSlots: 1,
    evalChunk: 256,
  })!;
  initPyTorch(net.params, rngFor(1, 'init'));
  return net;
}

function run(net: FastNet): { ms: number; cpu: number; last: number } {
  const order = Int32Array.from({ length: data.trainCount }, (_, i) => i);
  rngFor(1, 'order').shuffle(order);
  const act = actCode('relu');
  const loss = lossCode('ce');
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let l = 0;
  for (let s = 0; s < STEPS; s++) {
    l = net.lossGrad(act, loss, data.trainLabels, order, (s * 32) % 59968, 32);
    net.stepHeavyBall(0.1, D);
  }
  const c = process.cpuUsage(c0);
  return { ms: (performance.now() - t0) / STEPS, cpu: (c.user + c.system) / 1000 / STEPS, last: l };
}

const one = makeNet();
/** A fresh net split with the spin under test, its thread ready; close() ends the thread. */
async function splitNet(spin: number) {
  const net = makeNet();
  const t = openStepThread(SOURCE_STEP_ENTRY);
  const split = net.splitSteps.bind(net);
  net.splitSteps = () => split({ spin, now: ADAPT ? () => performance.now() : null });
  t.start(net);
  await waitUntil(() => net.splitLive, 60_000);
  return { net, close: () => t.close() };
}
for (let r = 0; r < REPEATS; r++) {
  initPyTorch(one.params, rngFor(1, 'init'));
  const a = run(one);
  console.log(`one thread: ${a.ms.toFixed(4)} ms/step wall (process CPU ${a.cpu.toFixed(4)} ms/step)`);
  for (const spin of SPINS) {
    const t = await splitNet(spin);
    const b = run(t.net);
    const split = (t.net as unknown as { split: { ping(): void } }).split;
    const p0 = performance.now();
    for (let i = 0; i < 20000; i++) split.ping();
    const pingUs = ((performance.now() - p0) * 1000) / 20000;
    t.close();
    const c = (t.net as unknown as { split: { chooser: { steps: number[]; cost: number[] } | null } }).split.chooser;
    const how = c ? ` [steps one/two ${c.steps.join('/')}, last ms ${c.cost.map((x) => x.toFixed(3)).join('/')}]` : '';
    console.log(
      `two threads, spin ${spin}: ${b.ms.toFixed(4)} ms/step wall (process CPU ${b.cpu.toFixed(4)} ms/step)${how}; ` +
        `one barrier round trip ${pingUs.toFixed(2)} µs`,
    );
  }
}
