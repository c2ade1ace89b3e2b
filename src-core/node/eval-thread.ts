import { Worker } from 'node:worker_threads';
import type { FastNet } from '../mlp/wasm/fast-net';
import type { SharpnessEstimate } from '../train/sharpness/meter';
import type { EvalRunner, EvalTask, SharpnessSetup } from '../train/eval-runner';
import { threadScript, type EntryFile } from './entry-file';
import type { EvalThreadData, EvalThreadReply, EvalThreadRequest } from './eval-thread-main';

// The trainer's side of its evaluation thread: the thread (eval-thread-main.ts,
// run through the entry src-main/workers/eval-thread-entry.ts) gets its own
// instance of the same kernels over the run's shared memory, so the evaluation
// of a snapshot of the weights, and its sharpness, overlap training on the main
// thread (both cores). The trainer passes the entry it finds beside itself
// (entry-file.ts), so the same code runs from the sources and from a bundle.
//
// Opening the thread and giving it its run are two steps: the trainer process opens it as it boots, so the
// thread's own start (a new V8 isolate, its bundle) overlaps the process's wait for its run and the loading of
// the dataset, instead of following the packing of the images. The run's compiled module, shared memory and
// sharpness set are then posted as the thread's first message (a WebAssembly.Module and a shared memory are
// shared with the thread, not copied).

/**
 * An evaluation thread started ahead of its run. start gives it a run; the runner's close ends that run's use of
 * the thread, which may then be given the next run (a trainer process serving several runs keeps its thread);
 * close ends the thread.
 */
export interface OpenEvalThread {
  start(net: FastNet, sharpness: SharpnessSetup | null): EvalRunner;
  /** Resolves once no task is in flight (a run cancelled mid-evaluation leaves its last ones running a moment). */
  idle(): Promise<void>;
  /** False once the thread has failed, exited or been closed. */
  alive(): boolean;
  close(): void;
}

/** Starts an evaluation thread from entry (the eval-thread entry; see entry-file.ts) that waits for its run. */
export function openEvalThread(entry: EntryFile): OpenEvalThread {
  const { script, eval: isEval } = threadScript(entry);
  const worker = new Worker(script, { eval: isEval });
  worker.unref();
  const waiting = new Map<number, { resolve: (s: SharpnessEstimate | null) => void; reject: (e: Error) => void }>();
  let idleWaiters: (() => void)[] = [];
  let nextId = 1;
  let dead: Error | null = null;
  let runOpen = false;
  const settled = () => {
    if (waiting.size > 0) return;
    worker.unref();
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const w of waiters) w();
  };
  const failAll = (err: Error) => {
    dead ??= err;
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
    settled();
  };
  worker.on('message', (m: EvalThreadReply) => {
    const w = waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id);
    if (m.ok) w.resolve(m.sharpness);
    else w.reject(new Error(`evaluation thread: ${m.message}`));
    settled();
  });
  worker.on('error', (err) => failAll(err instanceof Error ? err : new Error(String(err))));
  worker.on('exit', (code) => failAll(new Error(`evaluation thread exited (code ${code})`)));
  const close = (): void => {
    dead ??= new Error('evaluation thread closed');
    void worker.terminate();
  };
  const runnerOf = (): EvalRunner => {
    let closed = false;
    return {
      run(task: EvalTask): Promise<SharpnessEstimate | null> {
        if (dead) return Promise.reject(dead);
        if (closed) return Promise.reject(new Error('evaluation thread closed for this run'));
        const id = nextId++;
        return new Promise<SharpnessEstimate | null>((resolve, reject) => {
          waiting.set(id, { resolve, reject });
          worker.ref();
          const request: EvalThreadRequest = { id, jobs: task.jobs, sharpness: task.sharpness };
          worker.postMessage(request);
        });
      },
      close() {
        if (closed) return;
        closed = true;
        runOpen = false;
      },
    };
  };
  return {
    start(net: FastNet, sharpness: SharpnessSetup | null): EvalRunner {
      if (runOpen) throw new Error('openEvalThread: the thread already has its run');
      runOpen = true;
      if (!dead) {
        const setup: EvalThreadData = { type: 'run', module: net.module, memory: net.memory, sharpness };
        worker.postMessage(setup);
      }
      return runnerOf();
    },
    idle: () => (waiting.size === 0 ? Promise.resolve() : new Promise<void>((r) => idleWaiters.push(r))),
    alive: () => dead === null,
    close,
  };
}

/** Starts the evaluation thread for net from entry (the eval-thread entry; see entry-file.ts); close ends the thread. */
export function startEvalThread(net: FastNet, sharpness: SharpnessSetup | null, entry: EntryFile): EvalRunner {
  const opened = openEvalThread(entry);
  const runner = opened.start(net, sharpness);
  return {
    run: (task) => runner.run(task),
    close: () => {
      runner.close();
      opened.close();
    },
  };
}
