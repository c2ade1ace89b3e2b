import { Worker } from 'node:worker_threads';
import type { EvalJob, EvalRunner, FastNet } from '../mlp/wasm/fast-net';

// A worker thread that runs a FastNet's test-set evaluations (forward passes
// and the evaluation head: probabilities, predictions, confusion, loss) on its
// own instance of the same kernels over the same shared memory, so evaluation
// on a snapshot of the weights overlaps training on the main thread (both cores).
// The thread's code is plain JavaScript in a string: it needs no file path, so
// it runs the same under tsx, vitest and the Electron bundle.

const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { module, memory } = workerData;
const k = new WebAssembly.Instance(module, { env: { memory }, kernels: { hostExp: Math.exp, hostTanh: Math.tanh, hostLog: Math.log } }).exports;
parentPort.on('message', (m) => {
  try {
    // As FastNet.evalRows, job after job (a test pass, then a validation pass), chunk by chunk: the forward pass,
    // then the evaluation head into the slot.
    for (const j of m.jobs) {
      for (let from = 0; from < j.count; from += j.chunk) {
        const n = Math.min(j.chunk, j.count - from);
        if (j.dense) k.forwardDense(j.a, j.z + from * 40, j.H, j.w1, j.b1, j.w2, j.b2, j.dense, j.inputs, j.unit, j.idx + from * 4, n, j.act, j.xs, 0);
        else k.forward(j.a, j.z + from * 40, j.H, j.w1, j.b1, j.w2, j.b2, j.start, j.packed, j.unit, j.idx + from * 4, n, j.act);
        k.evalHead(j.z, j.y, from, n, j.loss, j.probs, j.predicted, j.confidence, j.confusion, j.out, j.pr);
      }
    }
    parentPort.postMessage({ id: m.id, ok: true });
  } catch (err) {
    parentPort.postMessage({ id: m.id, ok: false, message: String(err && err.message || err) });
  }
});
`;

/** Starts the evaluation thread for net. */
export function startEvalThread(net: FastNet): EvalRunner {
  const worker = new Worker(THREAD_SOURCE, { eval: true, workerData: { module: net.module, memory: net.memory } });
  worker.unref();
  const waiting = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let dead: Error | null = null;
  const failAll = (err: Error) => {
    dead = err;
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
  };
  worker.on('message', (m: { id: number; ok: boolean; message?: string }) => {
    const w = waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id);
    if (m.ok) w.resolve();
    else w.reject(new Error(`evaluation thread: ${m.message}`));
  });
  worker.on('error', (err) => failAll(err instanceof Error ? err : new Error(String(err))));
  worker.on('exit', (code) => failAll(new Error(`evaluation thread exited (code ${code})`)));
  return {
    run(job: EvalJob | readonly EvalJob[]): Promise<void> {
      if (dead) return Promise.reject(dead);
      const id = nextId++;
      return new Promise<void>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.ref();
        worker.postMessage({ id, jobs: Array.isArray(job) ? job : [job] });
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
