import type { MessagePort } from 'node:worker_threads';
import { instantiate, type WasmMemory, type WasmModule } from '../mlp/wasm/instance';
import { serveStepSplit, type StepSplitPlan } from '../mlp/wasm/step-split';

// The step thread's side (started by step-thread.ts through the entry src-main/workers/step-thread-entry.ts): its
// first message is the run (compiled kernels, shared memory, the split's plan); it then serves the run thread's
// half-steps (src-core/mlp/wasm/step-split.ts) until told to exit, and the thread ends.

export interface StepThreadData {
  module: WasmModule;
  memory: WasmMemory;
  plan: StepSplitPlan;
}

/** Waits for the run, then serves its steps on this thread until the run thread says exit. */
export function serveStepThread(port: MessagePort): void {
  port.once('message', (data: StepThreadData) => {
    const k = instantiate(data.module, data.memory);
    serveStepSplit(k, data.memory, data.plan);
    port.close();
  });
}
