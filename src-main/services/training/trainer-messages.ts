import type { TrainConfig } from '../../../src-core/contracts/train-config';
import type { TrainerMessage } from '../../../src-core/contracts/train-protocol';
import { loadDataset } from '../../../src-core/node/load-dataset';
import { builtinMnistFiles } from '../../../src-core/node/mnist';
import { runTraining } from '../../../src-core/train/trainer';

/** Every message of a real run on MNIST, trained in this process on a fake clock (3 ms a step), for tests. */
export async function trainerMessages(runId: string, config: TrainConfig): Promise<TrainerMessage[]> {
  const mnist = loadDataset(builtinMnistFiles()).data;
  const out: TrainerMessage[] = [];
  let t = 0;
  await runTraining(runId, config, mnist, {
    emit: (m) => out.push(m),
    shouldStop: () => false,
    yieldNow: () => Promise.resolve(),
    now: () => (t += 3),
  });
  return out;
}
