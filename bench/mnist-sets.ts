import type { TrainData } from '../src-core/train/train-data';

/** The FastNet / BatchedNet options the kernel benches share: W's batch, every image of data, test chunks of 1,000. */
export function benchSets(data: TrainData) {
  return {
    inputs: 784,
    maxBatch: 32,
    train: { images: data.trainImages, count: data.trainCount },
    test: { images: data.testImages, count: data.testCount },
    testLabels: data.testLabels,
    evalChunk: 1000,
  };
}
