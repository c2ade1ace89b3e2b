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

/** Starts the evaluation thread for net from entry (the eval-thread entry; see entry-file.ts). */
export function startEvalThread(net: FastNet, sharpness: SharpnessSetup | null, entry: EntryFile): EvalRunner {
  const { script, eval: isEval } = threadScript(entry);
  const workerData: EvalThreadData = { module: net.module, memory: net.memory, sharpness };
  const worker = new Worker(script, { eval: isEval, workerData });
  worker.unref();
  const waiting = new Map<number, { resolve: (s: SharpnessEstimate | null) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let dead: Error | null = null;
  const failAll = (err: Error) => {
    dead = err;
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
  };
  worker.on('message', (m: EvalThreadReply) => {
    const w = waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id);
    if (m.ok) w.resolve(m.sharpness);
    else w.reject(new Error(`evaluation thread: ${m.message}`));
  });
  worker.on('error', (err) => failAll(err instanceof Error ? err : new Error(String(err))));
  worker.on('exit', (code) => failAll(new Error(`evaluation thread exited (code ${code})`)));
  return {
    run(task: EvalTask): Promise<SharpnessEstimate | null> {
      if (dead) return Promise.reject(dead);
      const id = nextId++;
      return new Promise<SharpnessEstimate | null>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.ref();
        const request: EvalThreadRequest = { id, jobs: task.jobs, sharpness: task.sharpness };
        worker.postMessage(request);
      }).finally(() => {
        if (waiting.size === 0) worker.unref();
      });
    },
    close(): void {
      dead ??= new Error('evaluation thread closed');
      void worker.terminate();
    },
  };
}
