import type { ActCode } from '../mlp/activation';
import type { LossCode } from '../mlp/loss';
import type { EvalJob } from '../mlp/wasm/fast-net';
import type { SharpnessEstimate } from './sharpness/meter';
import type { SharpnessData } from './sharpness/sharpness-set';

// The contract between the trainer and a second thread that evaluates
// snapshots of the weights while training goes on (src-core/node/eval-thread.ts
// starts one in the trainer process): the evaluation passes, and the sharpness
// of the same snapshot when the evaluation measures it.

/** What the thread needs to measure sharpness: the sharpness set, the loss, and the meter's seed. */
export interface SharpnessSetup {
  data: SharpnessData;
  act: ActCode;
  loss: LossCode;
  seed: number;
  /** The network's shape: a snapshot's weights are read from the slot's offsets with it. */
  inputs: number;
  hidden: number;
}

/** One evaluation of a snapshot: its passes in order (test, then validation), then optionally its sharpness. */
export interface EvalTask {
  jobs: readonly EvalJob[];
  /** Measure λ_max of the training-loss Hessian on the sharpness set at the snapshot's weights (those of jobs[0]). */
  sharpness: boolean;
}

/** Runs evaluation tasks of one FastNet on another thread; tasks finish in the order given. */
export interface EvalRunner {
  /** Resolves when the task is done, with its sharpness estimate (null when it did not measure). */
  run(task: EvalTask): Promise<SharpnessEstimate | null>;
  close(): void;
}
