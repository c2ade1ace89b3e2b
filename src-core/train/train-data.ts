import { LabError } from '../contracts/lab-error';
import { NUM_CLASSES } from '../contracts/train-protocol';

/** The images and labels a run trains and evaluates on: grey levels 0..255, row-major count x rows x cols. */
export interface TrainData {
  rows: number;
  cols: number;
  trainCount: number;
  trainImages: Uint8Array;
  trainLabels: Uint8Array;
  testCount: number;
  testImages: Uint8Array;
  testLabels: Uint8Array;
}

/** Throws LabError('bad-dataset') unless every length matches its count and every label is in 0..9. */
export function checkTrainData(d: TrainData): void {
  if (!Number.isInteger(d.rows) || !Number.isInteger(d.cols) || d.rows < 1 || d.cols < 1) {
    throw new LabError('bad-dataset', `dataset: image size ${d.rows} x ${d.cols} is not a positive whole size`);
  }
  const px = d.rows * d.cols;
  for (const [split, count, images, labels] of [
    ['train', d.trainCount, d.trainImages, d.trainLabels],
    ['test', d.testCount, d.testImages, d.testLabels],
  ] as const) {
    if (!Number.isInteger(count) || count < 1)
      throw new LabError('bad-dataset', `dataset: ${split} count must be a positive integer, got ${count}`);
    if (images.length !== count * px)
      throw new LabError(
        'bad-dataset',
        `dataset: ${split} images hold ${images.length} bytes, expected ${count} x ${px}`,
      );
    if (labels.length !== count)
      throw new LabError('bad-dataset', `dataset: ${split} has ${labels.length} labels for ${count} images`);
    for (let i = 0; i < count; i++) {
      if (labels[i] >= NUM_CLASSES)
        throw new LabError('bad-dataset', `dataset: ${split} label ${labels[i]} at index ${i} is outside 0..9`);
    }
  }
}
