// Whole runs with and without the step thread, in this process (issue 18, "both cores on one run"): the W settings
// (the defaults, no validation set) or W-mom (--momentum 0.9 --lr 0.01), the real evaluation thread beside them, as
// the trainer process runs them; interleaved. Prints the training wall time and, for the split runs, how many steps
// the chooser ran on one thread and on two.
//   npx tsx bench/step-split-run.ts [--repeats 3] [--momentum 0.9 --lr 0.01] [--epochs 5] [--fixed]
// (--fixed: every step on two threads, no chooser)
import { DEFAULT_TRAIN_CONFIG } from '../src-core/contracts/train-config';
import type { FastNet } from '../src-core/mlp/wasm/fast-net';
import { sourceEvalThread } from '../src-core/node/eval-thread-test-helpers';
import { openStepThread } from '../src-core/node/step-thread';
import { SOURCE_STEP_ENTRY, waitUntil } from '../src-core/node/step-thread-test-helpers';
import { mnistData } from '../src-core/node/train-test-helpers';
import { runTraining } from '../src-core/train/trainer';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const REPEATS = Number(arg('repeats', '3'));
const config = {
  ...DEFAULT_TRAIN_CONFIG,
  validation: 0,
  momentum: Number(arg('momentum', String(DEFAULT_TRAIN_CONFIG.momentum))),
  lr: Number(arg('lr', String(DEFAULT_TRAIN_CONFIG.lr))),
  epochs: Number(arg('epochs', String(DEFAULT_TRAIN_CONFIG.epochs))),
};
const data = mnistData();

async function run(threads: 1 | 2): Promise<string> {
  const thread =
    threads === 2 ? openStepThread(SOURCE_STEP_ENTRY, { adaptive: !process.argv.includes('--fixed') }) : null;
  let net: FastNet | null = null;
  // The thread boots from the sources (tsx): wait for it before timing, as the bundled trainer's thread is ready
  // before the dataset is loaded.
  let t0 = 0;
  let acc = NaN;
  const c0 = process.cpuUsage();
  await runTraining('bench', config, data, {
    emit: (m) => {
      if (m.type === 'eval') acc = m.point.testAcc;
    },
    shouldStop: () => false,
    yieldNow: async () => {
      if (net && thread && t0 === 0) {
        await waitUntil(() => net!.splitLive, 60_000);
      }
      if (t0 === 0) t0 = performance.now();
      await new Promise((r) => setImmediate(r));
    },
    now: () => performance.now(),
    evalThread: sourceEvalThread,
    ...(thread ? { stepThread: (n: FastNet) => void ((net = n), thread.start(n)) } : {}),
  });
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  thread?.close();
  const counts = net ? (net as FastNet).splitCounts : null;
  const how = counts ? `, steps on one/two threads ${counts.one}/${counts.two}` : '';
  const cpu = ((c.user + c.system) / 1e6).toFixed(2);
  return `${threads} step thread(s): train ${wall.toFixed(2)} s wall, process CPU ${cpu} s, acc ${acc}${how}`;
}

for (let r = 0; r < REPEATS; r++) {
  for (const t of [1, 2] as const)
    console.log(`rep ${r + 1}: ${await run(t)} (load ${(await import('node:os')).loadavg()[0].toFixed(2)})`);
}
