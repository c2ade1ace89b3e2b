import { describe, expect, it } from 'vitest';
import { openEvalThread } from './eval-thread';
import { snapshotPair, SOURCE_EVAL_ENTRY } from './eval-thread-test-helpers';

// The evaluation thread opened before its run (as the trainer process opens it when it boots, issue 18): once
// given the run, it evaluates a snapshot exactly as the training thread does; a thread that cannot start, or is
// closed, or is given a second run while the first is open, says so instead of hanging; once the first run is
// closed, the same thread serves the next run (a trainer process serving several runs) on that run's memory.

describe('openEvalThread', () => {
  it('opened before the dataset is loaded, evaluates a snapshot bit for bit as the training thread does', async () => {
    const opened = openEvalThread(SOURCE_EVAL_ENTRY);
    // The thread boots (tsx, its modules) while this thread loads MNIST and packs it, as in the trainer process.
    await new Promise((r) => setTimeout(r, 500));
    const { net, evalJob1, results } = snapshotPair(5, 'tanh');
    const runner = opened.start(net, null);
    try {
      expect(await runner.run({ jobs: [evalJob1()], sharpness: false })).toBeNull();
      const [inline, threaded] = results();
      expect(threaded.lossSum).toBe(inline.lossSum);
      expect(threaded).toEqual(inline); // predictions, confidences, probabilities, confusion matrix, correct
      expect(() => opened.start(net, null)).toThrow(/already has its run/);
    } finally {
      runner.close();
    }
    await expect(runner.run({ jobs: [], sharpness: false })).rejects.toThrow(/closed/);
    opened.close();
  });

  it('serves runs one after another, each on its own memory, bit for bit as the training thread', async () => {
    const opened = openEvalThread(SOURCE_EVAL_ENTRY);
    try {
      for (const [seed, act] of [
        [7, 'relu'],
        [8, 'tanh'],
        [7, 'relu'],
      ] as const) {
        const { net, evalJob1, results } = snapshotPair(seed, act);
        const runner = opened.start(net, null);
        const done = runner.run({ jobs: [evalJob1()], sharpness: false });
        runner.close(); // a run may end with its last evaluation in flight: the thread finishes it
        await opened.idle();
        await done;
        const [inline, threaded] = results();
        expect(threaded.lossSum).toBe(inline.lossSum);
        expect(threaded).toEqual(inline);
        expect(opened.alive()).toBe(true);
      }
    } finally {
      opened.close();
    }
    expect(opened.alive()).toBe(false);
  });

  it('a thread whose entry is missing fails its run with an error, and nothing is thrown unhandled meanwhile', async () => {
    const opened = openEvalThread({ file: '/nonexistent/eval-thread-worker.mjs', source: false });
    await new Promise((r) => setTimeout(r, 300)); // its failure arrives before it is given a run
    const runner = opened.start(snapshotPair(6, 'relu').net, null);
    await expect(runner.run({ jobs: [], sharpness: false })).rejects.toThrow(/Cannot find module|exited/);
    runner.close();
  });

  it('a thread closed before its run rejects the run instead of waiting for it', async () => {
    const opened = openEvalThread(SOURCE_EVAL_ENTRY);
    opened.close();
    const runner = opened.start(snapshotPair(6, 'relu').net, null);
    await expect(runner.run({ jobs: [], sharpness: false })).rejects.toThrow(/closed/);
  });
});
