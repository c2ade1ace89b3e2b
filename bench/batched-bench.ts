// Models batched per step (issue 18, target 3): K models of W's shape (784-64-10, batch 32, on MNIST) trained on the
// same mini-batches, each alone on its own FastNet against all K together on one BatchedNet (their first layers side
// by side, one call of the wide kernels per batch; src-core/mlp/wasm/batched-net.ts), and a 10,000-image test pass of K
// models alone against one pass for all. Also where one model's step goes (forward + loss head + backward, then
// the step). Interleaved, medians of this thread's CPU time (process.cpuUsage: steadier than wall time on a shared
// machine). Not a test; the numbers' equality is batched-net.test.ts's job.
//   npx tsx bench/batched-bench.ts [--repeats 5] [--models 6] [--momentum 0]
import { parseArgs } from 'node:util';
import { loadDataset } from '../src-core/node/load-dataset';
import { builtinMnistFiles } from '../src-core/node/mnist';
import { paramList } from '../src-core/mlp/params';
import { randomParams } from '../src-core/mlp/test-helpers';
import { BatchedNet } from '../src-core/mlp/wasm/batched-net';
import { evalJobRows } from '../src-core/mlp/wasm/eval-rows';
import { FastNet } from '../src-core/mlp/wasm/fast-net';
import { benchSets } from './mnist-sets';

const { values } = parseArgs({
  options: {
    repeats: { type: 'string', default: '5' },
    models: { type: 'string', default: '6' },
    momentum: { type: 'string', default: '0' },
  },
});
const K = Number(values.models);
const d = Number(values.momentum);
const ITERS = 1000;
const H = 64;
const { data } = loadDataset(builtinMnistFiles());
const sets = benchSets(data);
const settings = Array.from({ length: K }, (_, m) => ({ lr: 0.01 * (m + 1), d }));
const alone = settings.map((_, m) => {
  const net = FastNet.create({ ...sets, hidden: H, evalSlots: 1, firstLayer: 'sparse' })!;
  paramList(net.params).forEach((a, i) => a.set(paramList(randomParams(784, H, 1 + m))[i]));
  return net;
});
const many = BatchedNet.create({ ...sets, hidden: H, models: K })!;
settings.forEach((_, m) => many.setParams(m, randomParams(784, H, 1 + m)));
const order = Int32Array.from({ length: data.trainCount }, (_, i) => (i * 7919) % data.trainCount);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const timed = (fn: () => void): number => {
  const t0 = cpuMs();
  fn();
  return cpuMs() - t0;
};
const t = { alone: [] as number[], many: [] as number[], evalAlone: [] as number[], evalMany: [] as number[] };
const parts = { grad: [] as number[], step: [] as number[] };
for (let r = 0; r < Number(values.repeats); r++) {
  t.alone.push(
    timed(() => {
      for (let it = 0; it < ITERS; it++) {
        const from = (it * 32) % (data.trainCount - 32);
        settings.forEach(({ lr }, m) => {
          alone[m].lossGrad(0, 0, data.trainLabels, order, from, 32);
          alone[m].stepHeavyBall(lr, d);
        });
      }
    }) / ITERS,
  );
  t.many.push(
    timed(() => {
      for (let it = 0; it < ITERS; it++) {
        many.lossGrad(0, 0, data.trainLabels, order, (it * 32) % (data.trainCount - 32), 32);
        many.step(settings);
      }
    }) / ITERS,
  );
  // One model's step in its two parts.
  const one = alone[0];
  let grad = 0;
  let step = 0;
  for (let it = 0; it < ITERS; it++) {
    grad += timed(() => one.lossGrad(0, 0, data.trainLabels, order, (it * 32) % (data.trainCount - 32), 32));
    step += timed(() => one.stepHeavyBall(0.01, d));
  }
  parts.grad.push(grad / ITERS);
  parts.step.push(step / ITERS);
  t.evalAlone.push(
    timed(() => {
      for (const net of alone) {
        net.snapshot(0);
        evalJobRows(net.k, net.evalJob(0, 0, 0));
      }
    }),
  );
  t.evalMany.push(timed(() => many.evaluate(0, 0)));
}
const [a, m, ea, em] = [median(t.alone), median(t.many), median(t.evalAlone), median(t.evalMany)];
console.log(
  `${K} models of W's shape, momentum ${d}, medians of ${values.repeats} (CPU ms of this thread):\n` +
    `  training step, ${K} alone ${a.toFixed(3)}  together ${m.toFixed(3)}  (together/alone ${(m / a).toFixed(2)}; ` +
    `one model alone ${(a / K).toFixed(3)}, together per model ${(m / K).toFixed(3)})\n` +
    `  one model's step: forward + head + backward ${median(parts.grad).toFixed(3)}, ` +
    `step ${median(parts.step).toFixed(3)}\n` +
    `  10,000-image test pass, ${K} alone ${ea.toFixed(0)}  together ${em.toFixed(0)}  (${(em / ea).toFixed(2)})`,
);
