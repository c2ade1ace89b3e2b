import { createHash } from 'node:crypto';
import { basename, dirname } from 'node:path';
import { LabError } from '../contracts/lab-error';
import type { DatasetInfo } from '../contracts/dataset';
import type { DatasetFiles } from '../contracts/train-protocol';
import { classCounts } from '../data/subset';
import type { TrainData } from '../train/train-data';
import { peekIdxHeader, readIdx, readIdxPair, type IdxFile, type IdxPair } from './idx';
import { builtinMnistFiles, builtinMnistId, isBuiltinMnist } from './mnist';
import { grouped } from '../grouped';

export interface LoadedDataset {
  data: TrainData;
  info: DatasetInfo;
}

const fmt = grouped;

/**
 * A short content id for four IDX files: the first 16 hex digits of
 * sha-256 over each file's decompressed header, data length and data. (Headers
 * and sizes alone would not do: MNIST and Fashion-MNIST have identical ones.)
 */
export function datasetFingerprint(files: readonly IdxFile[]): string {
  const h = createHash('sha256');
  for (const f of files) {
    h.update(f.header);
    h.update(`:${f.dataBytes}:`);
    h.update(f.data);
  }
  return h.digest('hex').slice(0, 16);
}

/** The four files read and checked: the images and labels of each split (see readIdxPair). */
function readSplits(files: DatasetFiles): { train: IdxPair; test: IdxPair } {
  for (const key of ['trainImages', 'trainLabels', 'testImages', 'testLabels'] as const) {
    if (typeof files?.[key] !== 'string' || files[key].length === 0)
      throw new LabError('invalid-input', `dataset: ${key} must be a file path`);
  }
  const train = readIdxPair(files.trainImages, files.trainLabels);
  const test = readIdxPair(files.testImages, files.testLabels);
  if (train.rows !== test.rows || train.cols !== test.cols) {
    throw new LabError(
      'bad-dataset',
      `${basename(files.testImages)}: test images are ${test.rows} x ${test.cols} but training images (${basename(files.trainImages)}) are ${train.rows} x ${train.cols}`,
    );
  }
  return { train, test };
}

function trainDataOf(train: IdxPair, test: IdxPair): TrainData {
  return {
    rows: train.rows,
    cols: train.cols,
    trainCount: train.count,
    trainImages: train.images.data,
    trainLabels: train.labels.data,
    testCount: test.count,
    testImages: test.images.data,
    testLabels: test.labels.data,
  };
}

/** Reads and checks a train/test pair of IDX image/label files into TrainData and its DatasetInfo. */
export function loadDataset(files: DatasetFiles): LoadedDataset {
  const { train, test } = readSplits(files);
  const data = trainDataOf(train, test);
  const builtin = isBuiltinMnist(files);
  const sizes = `${fmt(train.count)} train / ${fmt(test.count)} test`;
  const info: DatasetInfo = {
    id: builtin
      ? builtinMnistId()
      : `files:${datasetFingerprint([train.images, train.labels, test.images, test.labels])}`,
    name: builtin
      ? `MNIST (${sizes})`
      : `${basename(dirname(files.trainImages))}/${basename(files.trainImages)} (${sizes})`,
    source: builtin ? 'builtin' : 'files',
    trainCount: train.count,
    testCount: test.count,
    rows: train.rows,
    cols: train.cols,
    trainClassCounts: classCounts(data.trainLabels),
  };
  return { data, info };
}

/**
 * The built-in MNIST's DatasetInfo from its label files and image headers only (no pixels read or decoded):
 * its id names the package version, so nothing depends on the pixels. Other files need loadDataset (their id
 * fingerprints the pixels).
 */
export function builtinMnistInfo(): DatasetInfo {
  const files = builtinMnistFiles();
  const split = (imagesPath: string, labelsPath: string) => {
    const h = peekIdxHeader(imagesPath, 3);
    const labels = readIdx(labelsPath, 1).data;
    const dims = h ? h.dims : readIdx(imagesPath, 3).dims;
    if (dims[0] !== labels.length)
      throw new LabError(
        'bad-dataset',
        `${basename(imagesPath)} has ${fmt(dims[0])} images but ${basename(labelsPath)} has ${fmt(labels.length)} labels`,
      );
    return { count: dims[0], rows: dims[1], cols: dims[2], labels };
  };
  const train = split(files.trainImages, files.trainLabels);
  const test = split(files.testImages, files.testLabels);
  return {
    id: builtinMnistId(),
    name: `MNIST (${fmt(train.count)} train / ${fmt(test.count)} test)`,
    source: 'builtin',
    trainCount: train.count,
    testCount: test.count,
    rows: train.rows,
    cols: train.cols,
    trainClassCounts: classCounts(train.labels),
  };
}
