import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { actCode } from '../mlp/activation';
import { lossCode } from '../mlp/loss';
import { initPyTorch } from '../mlp/params';
import { FastNet } from '../mlp/wasm/fast-net';
import { rngFor } from '../rng';
import { entryFile } from './entry-file';
import { openEvalThread } from './eval-thread';
import { loadDataset } from './load-dataset';
import { builtinMnistFiles } from './mnist';

// The evaluation thread opened before its run (as the trainer process opens it when it boots, issue 18): once
// given the run, it evaluates a snapshot exactly as the training thread does; a thread that cannot start, or is
// closed, or is given two runs, says so instead of hanging.

const TRAINER_ENTRY = fileURLToPath(new URL('../../src-main/workers/trainer-entry.ts', import.meta.url));
const entry = entryFile('eval-thread', TRAINER_ENTRY);

function smallNet(): FastNet {
  const { data } = loadDataset(builtinMnistFiles());
  const net = FastNet.create({
    inputs: 784,
    hidden: 16,
    maxBatch: 8,
    train: { images: data.trainImages, count: data.trainCount, only: Int32Array.from({ length: 50 }, (_, i) => i) },
    test: { images: data.testImages, count: data.testCount },
    testLabels: data.testLabels,
    evalSlots: 2,
    evalChunk: 256,
  });
  if (!net) throw new Error('this host has no WebAssembly kernels');
  initPyTorch(net.params, rngFor(5, 'init'));
  return net;
}

describe('openEvalThread', () => {
  it('opened before the dataset is loaded, evaluates a snapshot bit for bit as the training thread does', async () => {
    const opened = openEvalThread(entry);
    // The thread boots (tsx, its modules) while this thread loads MNIST and packs it, as in the trainer process.
    await new Promise((r) => setTimeout(r, 500));
    const net = smallNet();
    const act = actCode('tanh');
    const loss = lossCode('ce');
    net.snapshot(0);
    const job0 = net.evalJob(0, act, loss);
    for (let from = 0; from < job0.count; from += job0.chunk)
      net.evalRows(job0, from, Math.min(job0.chunk, job0.count - from));
    const runner = opened.start(net, null);
    try {
      net.snapshot(1);
      expect(await runner.run({ jobs: [net.evalJob(1, act, loss)], sharpness: false })).toBeNull();
      const inline = net.evalResult(0);
      const threaded = net.evalResult(1);
      expect(threaded.correct).toBe(inline.correct);
      expect(threaded.lossSum).toBe(inline.lossSum);
      expect(threaded.probs).toEqual(inline.probs);
      expect(() => opened.start(net, null)).toThrow(/already has its run/);
    } finally {
      runner.close();
    }
    await expect(runner.run({ jobs: [], sharpness: false })).rejects.toThrow(/closed/);
  });

  it('a thread whose entry is missing fails its run with an error, and nothing is thrown unhandled meanwhile', async () => {
    const opened = openEvalThread({ file: '/nonexistent/eval-thread-worker.mjs', source: false });
    await new Promise((r) => setTimeout(r, 300)); // its failure arrives before it is given a run
    const runner = opened.start(smallNet(), null);
    await expect(runner.run({ jobs: [], sharpness: false })).rejects.toThrow(/Cannot find module|exited/);
    runner.close();
  });

  it('a thread closed before its run rejects the run instead of waiting for it', async () => {
    const opened = openEvalThread(entry);
    opened.close();
    const runner = opened.start(smallNet(), null);
    await expect(runner.run({ jobs: [], sharpness: false })).rejects.toThrow(/closed/);
  });
});
