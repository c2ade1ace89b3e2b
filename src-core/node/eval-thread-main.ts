import type { MessagePort } from 'node:worker_threads';
import type { MlpParams } from '../mlp/params';
import { evalJobRows } from '../mlp/wasm/eval-rows';
import type { EvalJob } from '../mlp/wasm/fast-net';
import { instantiate, type KernelExports, type WasmMemory, type WasmModule } from '../mlp/wasm/instance';
import type { EvalTask, SharpnessSetup } from '../train/eval-runner';
import { SharpnessMeter, type SharpnessEstimate } from '../train/sharpness/meter';

// The evaluation thread's side (started by eval-thread.ts through the entry
// src-main/workers/eval-thread-entry.ts): its own instance of the kernels over
// the run's shared memory; each task evaluates a snapshot slot (forward passes
// and the evaluation head, written into the slot) and, when asked, measures the
// sharpness of the same snapshot with this thread's meter (warm-started from
// its previous estimate, as the trainer's inline meter is). The thread starts before its run is known: the run
// (compiled module, shared memory, sharpness set) is its first message. A trainer process that serves several runs
// sends each next run the same way: its tasks then run on that run's kernels and a new meter.

export interface EvalThreadData {
  type: 'run';
  module: WasmModule;
  memory: WasmMemory;
  sharpness: SharpnessSetup | null;
}

export interface EvalThreadRequest extends EvalTask {
  id: number;
}

export type EvalThreadReply =
  { id: number; ok: true; sharpness: SharpnessEstimate | null } | { id: number; ok: false; message: string };

/** The weights of a snapshot slot as float32 views into the shared memory (the offsets of one of its jobs). */
function slotParams(memory: WasmMemory, job: EvalJob, inputs: number, hidden: number): MlpParams {
  const f32 = (at: number, n: number) => new Float32Array(memory.buffer, at, n);
  return {
    inputs,
    hidden,
    outputs: 10,
    w1: f32(job.w1, inputs * hidden),
    b1: f32(job.b1, hidden),
    w2: f32(job.w2, 10 * hidden),
    b2: f32(job.b2, 10),
  };
}

/**
 * Serves tasks from port until the thread is terminated: the first message is a run (EvalThreadData), then its
 * tasks; a later run's message replaces it (tasks come after their run: one port keeps the order).
 */
export function serveEvalThread(port: MessagePort): void {
  let run: ThreadRun | null = null;
  port.on('message', (m: EvalThreadData | EvalThreadRequest) => {
    if ('type' in m && m.type === 'run') {
      const s = m.sharpness;
      run = {
        data: m,
        k: instantiate(m.module, m.memory),
        meter: s ? new SharpnessMeter(s.data, s.act, s.loss, { seed: s.seed }) : null,
      };
      return;
    }
    port.postMessage(serveTask(run, m as EvalThreadRequest));
  });
}

/** The run the thread serves: its kernels over the run's memory, and its sharpness meter. */
interface ThreadRun {
  data: EvalThreadData;
  k: KernelExports;
  meter: SharpnessMeter | null;
}

function serveTask(run: ThreadRun | null, m: EvalThreadRequest): EvalThreadReply {
  try {
    if (!run) throw new Error('a task came before its run');
    const { data, k, meter } = run;
    const s = data.sharpness;
    for (const job of m.jobs) evalJobRows(k, job);
    let sharpness: SharpnessEstimate | null = null;
    if (m.sharpness) {
      if (!meter || !s) throw new Error('asked for sharpness, but the thread was started without a sharpness set');
      sharpness = meter.measure(slotParams(data.memory, m.jobs[0], s.inputs, s.hidden));
    }
    return { id: m.id, ok: true, sharpness };
  } catch (err) {
    return { id: m.id, ok: false, message: err instanceof Error ? err.message : String(err) };
  }
}
