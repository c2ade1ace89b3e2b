import type { RunStudy } from './run-study';
import type { TrainConfig } from './train-config';
import type { EvalPoint, RunStatus } from './train-protocol';

// What the session store answers: sessions, their runs with key numbers, and
// the recorded curves. Non-finite numbers (NaN, +-Infinity) come back as such.

export interface SessionSummary {
  id: number;
  name: string;
  /** Unix milliseconds. */
  createdAt: number;
  updatedAt: number;
  runCount: number;
  /** Saved momentum-simulator runs. */
  simCount: number;
  /** True for the session new runs are saved into (reopened on start). */
  current: boolean;
  /** Set when the session's own row is damaged (why, naming the column); it can only be deleted. */
  damaged?: string;
}

export interface RunSummary {
  id: string;
  sessionId: number;
  name: string;
  notes: string;
  status: RunStatus;
  /** How it ended, in words ("diverged at iteration 12: loss is Infinity"). */
  message: string;
  config: TrainConfig;
  datasetId: string;
  datasetName: string;
  appVersion: string;
  /** Unix milliseconds. */
  startedAt: number;
  endedAt: number | null;
  trainSize: number;
  testSize: number;
  itersPerEpoch: number;
  totalIters: number;
  itersDone: number;
  elapsedMs: number;
  evalCount: number;
  finalTestAcc: number | null;
  finalTestLoss: number | null;
  /**
   * The best point and the test accuracy there (reported only). With a validation set: the evaluation with the
   * lowest validation loss (the lab's stopping rule's best point). Runs without one (recorded before validation
   * sets existed, or validation 0): the highest test accuracy — chosen on the test set, so optimistic; bestOn says which.
   */
  bestTestAcc: number | null;
  bestIter: number | null;
  /** What the best point was chosen on (optional: absent in summaries built elsewhere). */
  bestOn?: 'validation' | 'test' | null;
  sweepId: string | null;
  /** The study the run belongs to (schema v9 fields; null: none). Optional: absent in summaries built elsewhere. */
  study?: RunStudy | null;
  /** Runs of one study value repeated over seeds share it ("LR 0.1"); null outside a study. */
  seedGroup?: string | null;
}

export interface SessionDetail {
  session: SessionSummary;
  /** The session's runs in recording order: all of them, or the page asked for (session.runCount is the total). */
  runs: RunSummary[];
  sims: SimRecord[];
}

/** The evaluation curve of one run, for comparing. */
export interface RunCurves {
  run: RunSummary;
  points: EvalPoint[];
}

/** What one evaluation saw on the test set. */
export interface EvalSnapshot {
  iter: number;
  /** Row-major 10 x 10: row = true class, column = predicted class. */
  confusion: Int32Array;
  /** Predicted class of every test image (empty when not recorded). */
  predicted: Uint8Array;
  /** Test indices the model got wrong, with its prediction and its confidence in it. */
  misclassified: Int32Array;
  misPredicted: Uint8Array;
  misConfidence: Float32Array;
}

/**
 * First-layer weights of a recorded run at one evaluation (hidden x inputs,
 * unit-major, as the trainer's 'weights' message), with the iterations whose
 * weights the store keeps: the latest and a log-spaced history.
 */
export interface RunWeights {
  iter: number;
  hidden: number;
  inputs: number;
  w1: Float32Array;
  /** The rest of the network (schema v9 on; null for weights recorded before): b1 (hidden), w2 (outputs x hidden), b2 (outputs). */
  rest: { outputs: number; b1: Float32Array; w2: Float32Array; b2: Float32Array } | null;
  /** Iterations with kept weights, ascending (the last is the latest evaluation's). */
  iters: number[];
}

/** Everything recorded for one run. */
export interface RunDetail extends RunCurves {
  /** Indices into the training file of the class-balanced subset, or null for all images. */
  subsetIndices: Int32Array | null;
  /** Per-iteration mini-batch loss and accuracy (index i = iteration i + 1; gaps are NaN). */
  iterLoss: Float32Array;
  iterAcc: Float32Array;
  /** The last evaluation's test-set snapshot. */
  last: EvalSnapshot | null;
}

/** What one optimizer of a saved simulation reached. */
export interface SimRunSummary {
  kind: string;
  lr: number;
  d: number;
  status: string;
  /** Points computed (steps + 1 unless stopped). */
  length: number;
  stoppedAt: number | null;
  message: string;
  /** The last position and objective value (non-finite when it diverged). */
  final: number[];
  finalF: number;
  rate: number | null;
}

/** A momentum-simulator run saved in a session: the request (which reproduces it exactly) and what each optimizer reached. */
export interface SimRecord {
  id: string;
  sessionId: number;
  name: string;
  notes: string;
  /** The validated SimulateRequest (objective, start, steps, optimizers). */
  request: {
    objective: { name: string; params: Record<string, number> };
    start: number[];
    steps: number;
    runs: { kind: string; lr: number; d: number; beta2: number; eps: number }[];
  };
  runs: SimRunSummary[];
  appVersion: string;
  createdAt: number;
}
