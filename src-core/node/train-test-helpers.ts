import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from '../contracts/train-config';
import type { TrainerMessage } from '../contracts/train-protocol';
import { loadDataset } from './load-dataset';
import { builtinMnistFiles } from './mnist';
import { runTraining, type TrainData, type TrainHooks, type TrainOptions } from '../train/trainer';

// The trainer as the training tests run it: on the real MNIST files, with a counting clock, never stopped, never
// waiting; every message it emits is kept in order.

let mnist: TrainData | undefined;

/** The built-in MNIST set, read once per test file. */
export function mnistData(): TrainData {
  mnist ??= loadDataset(builtinMnistFiles()).data;
  return mnist;
}

/** Train `runId` with the defaults overridden by `config` on MNIST; every message the trainer emitted. */
export async function trainMessages(
  runId: string,
  config: Partial<TrainConfig>,
  options: TrainOptions = {},
  hooks: Partial<TrainHooks> = {},
): Promise<TrainerMessage[]> {
  const messages: TrainerMessage[] = [];
  let t = 0;
  await runTraining(
    runId,
    { ...DEFAULT_TRAIN_CONFIG, ...config },
    mnistData(),
    {
      emit: (m) => messages.push(m),
      shouldStop: () => false,
      yieldNow: () => Promise.resolve(),
      now: () => t++,
      ...hooks,
    },
    options,
  );
  return messages;
}
