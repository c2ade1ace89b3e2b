import { denseSet, PX } from '../train/sharpness/test-helpers';
import { sharpnessData, sharpnessSet } from '../train/sharpness/sharpness-set';
import { loadDataset } from './load-dataset';
import { builtinMnistFiles } from './mnist';

// Real MNIST for the sharpness tests (they run in Node; the sharpness code itself reads no files).

/** The lab's sharpness set of n real MNIST training images (sd), the same images dense for the reference path (x,
 * y), and the loaded dataset. */
export function mnistSharpnessSet(n: number) {
  const { data } = loadDataset(builtinMnistFiles());
  const set = sharpnessSet(data.trainCount, n);
  const sd = sharpnessData(data.trainImages, data.trainLabels, PX, set);
  return { data, sd, ...denseSet(data.trainImages, data.trainLabels, set.indices) };
}
