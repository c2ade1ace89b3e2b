import type { DatasetInfo } from './dataset';
import type { TrainConfig } from './train-config';

// Messages between the main process and a trainer worker. Every message is
// tagged with its run id; a receiver drops messages of runs it no longer
// follows. Typed arrays travel by structured clone (utilityProcess, and
// child_process with serialization: 'advanced').

export const NUM_CLASSES = 10;

/**
 * 'collapsed': the run went through all its iterations (or stopped early) but its accuracy ended at chance
 * (src-core/analysis/collapse.ts): it learned nothing, and says so instead of 'finished'.
 */
export type RunStatus = 'running' | 'finished' | 'collapsed' | 'cancelled' | 'diverged' | 'failed' | 'interrupted';
/** How a run ended. Workers send finished | collapsed | cancelled | diverged | failed; the main process writes 'interrupted' for a worker that died without ending its run. */
export type EndStatus = Exclude<RunStatus, 'running'>;

/** Paths of an IDX image/label pair for training and for testing. */
export interface DatasetFiles {
  trainImages: string;
  trainLabels: string;
  testImages: string;
  testLabels: string;
}

/** One evaluation: the running train metrics and a full pass over the test set. */
export interface EvalPoint {
  /** Iterations (mini-batch steps) done when this evaluation was taken. */
  iter: number;
  /** Fractional epochs done: iter * batchSize / trainSize. */
  epoch: number;
  /** Training examples seen so far: iter * batchSize (the last batch of an epoch may be short). */
  examples: number;
  /** Mean mini-batch loss over the iterations since the previous evaluation (a running mean, not a full pass). */
  trainLoss: number;
  /** Mean mini-batch accuracy over the same iterations. */
  trainAcc: number;
  /** Mean loss over the full test set. */
  testLoss: number;
  /** Accuracy over the full test set, in [0, 1]. */
  testAcc: number;
  /**
   * Mean loss and accuracy over the validation set (training images the run never trains on), the curve early
   * stopping and the best point are chosen on. Absent when the run has no validation set (validation 0, or
   * recorded before validation sets existed).
   */
  valLoss?: number;
  valAcc?: number;
  /** Wall milliseconds since the run started. */
  elapsedMs: number;
  /**
   * Sharpness: λ_max of the training-loss Hessian on the sharpness set at this evaluation's weights (float64, exact
   * Hessian-vector products, Lanczos). Present only at the evaluations that measured it (config.sharpnessEvery);
   * NaN if the weights were not finite.
   */
  sharpness?: number;
  /** The smallest Ritz value of the same estimate when it is negative (an upper bound on λ_min), else null. With sharpness. */
  sharpnessMin?: number | null;
  /** Hessian-vector products the estimate used (at most 20). With sharpness. */
  hvps?: number;
  /** Sign flips and velocity ratios per layer over the steps since the previous evaluation (absent on a restored early-stop point). */
  layers?: LayerPoint[];
}

/** The network's layers as the flip statistics name them: fc1 = W1 and b1, fc2 = W2 and b2. */
export const LAYER_NAMES = ['fc1', 'fc2'] as const;
export type LayerName = (typeof LAYER_NAMES)[number];

/** One layer's flip statistics over an evaluation interval (src-core/train/sharpness/flip-stats.ts), on a fixed sample of its parameters. */
export interface LayerPoint {
  layer: LayerName;
  /** Fraction of (sampled parameter, step) pairs whose mini-batch gradient changed sign from the step before; null without pairs. */
  flipFraction: number | null;
  /** Median of |step| / (lr |g|): the step taken over a plain gradient step; null without a nonzero gradient. */
  velocityRatio: number | null;
}

/** Per-test-image results of one evaluation. */
export interface EvalDetail {
  /** Predicted class of every test image. */
  predicted: Uint8Array;
  /** Probability the model gave its predicted class, per test image. */
  confidence: Float32Array;
  /** Row-major testSize x 10 class probabilities. */
  probs: Float32Array;
  /** Row-major 10 x 10 counts: row = true class, column = predicted class. */
  confusion: Int32Array;
}

export type TrainerRequest =
  | {
      type: 'start';
      runId: string;
      config: TrainConfig;
      dataset: DatasetFiles;
      /**
       * Threads per training step (absent: 1). 2: a lone run may take both cores (src-core/mlp/wasm/step-split.ts; the
       * same numbers) where the trainer allows it (MOMENTUM_LAB_STEP_THREADS=2, two cores, shared memory, width > 4).
       */
      stepThreads?: 1 | 2;
    }
  | { type: 'cancel'; runId: string };

export type TrainerMessage =
  | {
      type: 'started';
      runId: string;
      trainSize: number;
      testSize: number;
      itersPerEpoch: number;
      totalIters: number;
      /** Indices into the training file of the class-balanced subset, or null for all images. */
      subsetIndices: Int32Array | null;
      /** Validation images (optional: absent from trainers older than the validation set; 0 = none). */
      validationSize?: number;
      /** Optional: the images sharpness is measured on, when it is on (config.sharpnessEvery), e.g. "the first 1,000 training images (file order)". */
      sharpnessSet?: { source: 'first-n' | 'subset'; count: number; description: string } | null;
      /**
       * Optional (absent from trainers before it): the dataset as the worker read it, the only process that reads
       * the files of a run. Its id fingerprints the pixels, so whoever records the run need not read them again.
       */
      dataset?: Pick<DatasetInfo, 'id' | 'name' | 'trainCount' | 'testCount'>;
    }
  | {
      /** Mini-batch losses and accuracies of iterations fromIter+1 .. fromIter+loss.length. */
      type: 'batch';
      runId: string;
      fromIter: number;
      loss: Float32Array;
      acc: Float32Array;
      /** Iterations done, fractional epoch and elapsed wall time at the end of this batch of messages. */
      iter: number;
      epoch: number;
      elapsedMs: number;
    }
  | { type: 'eval'; runId: string; point: EvalPoint; detail: EvalDetail }
  | {
      /**
       * Optional (receivers may ignore it): the first-layer weights at an evaluation, sent right after that
       * evaluation's 'eval' message. w1 is hidden x inputs, unit-major: w1[j * inputs + i] is the weight from
       * input pixel i (row-major rows x cols image) into hidden unit j (PyTorch's fc1.weight layout).
       */
      type: 'weights';
      runId: string;
      iter: number;
      hidden: number;
      inputs: number;
      w1: Float32Array;
      /**
       * The rest of the network at the same iteration (optional: absent from trainers before issue 15's full export):
       * b1 (hidden), w2 (outputs x hidden, PyTorch's fc2.weight layout), b2 (outputs).
       */
      b1?: Float32Array;
      w2?: Float32Array;
      b2?: Float32Array;
    }
  | {
      type: 'end';
      runId: string;
      status: EndStatus;
      /** Iterations done; for 'diverged', the iteration whose loss or weights became non-finite or exploded. */
      iter: number;
      elapsedMs: number;
      /** Human-readable reason, e.g. "diverged at iteration 12: loss is Infinity". */
      message: string;
      /** Optional (absent when the main process writes the end): the iteration early stopping stopped at, or null. */
      stoppedAt?: number | null;
      /** Optional: the best point's iteration by the stopping rule on the validation loss (the restored weights' when it stopped early); null without a validation set. */
      bestIter?: number | null;
      /** Optional: for 'collapsed', the iteration of the first evaluation of the final stretch at chance. */
      collapsedAt?: number | null;
    };
