import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { FastNet } from '../mlp/wasm/fast-net';
import { threadScript, type EntryFile } from './entry-file';
import type { StepThreadData } from './step-thread-main';

// The trainer's side of its step thread: a worker thread that takes half of every training step of the run
// (src-core/mlp/wasm/step-split.ts), on its own instance of the kernels over the run's shared memory. Opened as the
// trainer process boots, like the evaluation thread, so its start overlaps the loading of the dataset; until it
// says it is ready the run steps on one thread (the same numbers).

/** A step thread started ahead of its run: start splits the run's steps with it (once); close ends it. */
export interface OpenStepThread {
  /** Splits net's steps with the thread; false: the run steps on one thread (see FastNet.splitSteps). */
  start(net: FastNet): boolean;
  close(): void;
}

/**
 * True where a run asked for two step threads gets them: turned on with MOMENTUM_LAB_STEP_THREADS=2 (off by default:
 * on the machine measured, two vCPUs give arithmetic-bound kernels about 1.3x, and whole runs were 4-10 % slower with
 * the thread; docs/PERFORMANCE.md, "Both cores on one run"), at least two cores, shared memory.
 */
export function canSplitSteps(): boolean {
  if (process.env.MOMENTUM_LAB_STEP_THREADS !== '2') return false;
  return availableParallelism() >= 2 && typeof SharedArrayBuffer === 'function';
}

/**
 * Starts a step thread from entry (the step-thread entry beside the trainer's; see entry-file.ts). adaptive (default
 * true): each window of steps runs on two threads or one, whichever measured faster (step-split.ts, TwoOrOne);
 * false: every step on two.
 */
export function openStepThread(entry: EntryFile, o: { adaptive?: boolean } = {}): OpenStepThread {
  const { script, eval: isEval } = threadScript(entry);
  const worker = new Worker(script, { eval: isEval });
  worker.unref();
  let net: FastNet | null = null;
  let closed = false;
  // A thread that fails to start never says it is ready: the run keeps stepping on one thread.
  worker.on('error', (err) => console.error('momentum-lab: the step thread failed:', err));
  return {
    start(n: FastNet): boolean {
      if (net || closed) throw new Error('openStepThread: the thread already had its run');
      net = n;
      const plan = n.splitSteps({ now: o.adaptive === false ? null : () => performance.now() });
      if (!plan) {
        void worker.terminate();
        return false;
      }
      const data: StepThreadData = { module: n.module, memory: n.memory, plan };
      worker.postMessage(data);
      return true;
    },
    close(): void {
      if (closed) return;
      closed = true;
      net?.unsplit();
      void worker.terminate();
    },
  };
}
