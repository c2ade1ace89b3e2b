// The first layer's two kernels side by side (issue 18): training steps (lossGrad + SGD step, batch 32, hidden 64)
// and test passes with the sparse kernels (packed nonzeros) and the dense ones (grey bytes, 4-image tiles), on MNIST
// and Fashion-MNIST, interleaved, medians of this thread's CPU time (process.cpuUsage: less sensitive than wall
// time to other load on a shared machine). It sets DENSE_FROM_NONZERO (src-core/mlp/wasm/fast-net.ts).
//   npx tsx bench/first-layer-bench.ts [--repeats 5]
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { DatasetFiles } from '../src-core/contracts/train-protocol';
import { loadDataset } from '../src-core/node/load-dataset';
import { builtinMnistFiles } from '../src-core/node/mnist';
import { FastNet, type FirstLayer } from '../src-core/mlp/wasm/fast-net';
import { randomParams } from '../src-core/mlp/test-helpers';
import { paramList } from '../src-core/mlp/params';
import { benchSets } from './mnist-sets';

const { values } = parseArgs({ options: { repeats: { type: 'string', default: '5' } } });
const FM = '/usr/share/datasets/fashion-mnist';
const sets: [string, DatasetFiles][] = [['MNIST', builtinMnistFiles()]];
if (existsSync(`${FM}/train-images-idx3-ubyte.gz`)) {
  const at = (f: string) => `${FM}/${f}-ubyte.gz`;
  sets.push([
    'Fashion-MNIST',
    {
      trainImages: at('train-images-idx3'),
      trainLabels: at('train-labels-idx1'),
      testImages: at('t10k-images-idx3'),
      testLabels: at('t10k-labels-idx1'),
    },
  ]);
} else console.log(`note: Fashion-MNIST not installed (${FM}); MNIST only`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ITERS = 1000;
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
for (const [name, files] of sets) {
  const { data } = loadDataset(files);
  const p = randomParams(784, 64, 1);
  const nets = Object.fromEntries(
    (['sparse', 'dense'] as FirstLayer[]).map((m) => {
      const net = FastNet.create({ ...benchSets(data), hidden: 64, evalSlots: 1, firstLayer: m })!;
      paramList(net.params).forEach((a, k) => a.set(paramList(p)[k]));
      return [m, net];
    }),
  ) as Record<FirstLayer, FastNet>;
  const order = Int32Array.from({ length: data.trainCount }, (_, i) => (i * 7919) % data.trainCount);
  const t: Record<string, number[]> = { 'sparse train': [], 'dense train': [], 'sparse eval': [], 'dense eval': [] };
  for (let r = 0; r < Number(values.repeats); r++) {
    for (const m of ['sparse', 'dense'] as FirstLayer[]) {
      const net = nets[m];
      let t0 = cpuMs();
      for (let it = 0; it < ITERS; it++) {
        net.lossGrad(0, 0, data.trainLabels, order, (it * 32) % (data.trainCount - 32), 32);
        net.stepHeavyBall(0.1, 0);
      }
      t[`${m} train`].push((cpuMs() - t0) / ITERS);
      t0 = cpuMs();
      net.snapshot(0);
      const job = net.evalJob(0, 0, 0);
      for (let from = 0; from < job.count; from += job.chunk) {
        net.evalRows(job, from, Math.min(job.chunk, job.count - from));
      }
      t[`${m} eval`].push(cpuMs() - t0);
    }
  }
  const tr = [median(t['sparse train']), median(t['dense train'])];
  const ev = [median(t['sparse eval']), median(t['dense eval'])];
  console.log(
    `${name} (nonzero fraction ${nets.sparse.nonzeroFraction.toFixed(3)}): ` +
      `training step ms sparse ${tr[0].toFixed(3)} dense ${tr[1].toFixed(3)} ` +
      `(dense/sparse ${(tr[1] / tr[0]).toFixed(2)}); ` +
      `10,000-image test pass ms sparse ${ev[0].toFixed(0)} dense ${ev[1].toFixed(0)} (${(ev[1] / ev[0]).toFixed(2)})`,
  );
}
