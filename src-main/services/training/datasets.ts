import {
  DigitsRequestSchema,
  LabelsRequestSchema,
  type DatasetInfo,
  type DigitsResponse,
} from '../../../src-core/contracts/dataset';
import { LabError } from '../../../src-core/contracts/lab-error';
import type { DatasetFiles } from '../../../src-core/contracts/train-protocol';
import { parseOrThrow } from '../../../src-core/contracts/validate';
import { builtinMnistInfo, loadDataset } from '../../../src-core/node/load-dataset';
import { readIdx } from '../../../src-core/node/idx';
import { builtinMnistFiles, isBuiltinMnist } from '../../../src-core/node/mnist';
import type { TrainData } from '../../../src-core/train/trainer';

interface Loaded {
  files: DatasetFiles;
  info: DatasetInfo;
  data: TrainData;
}

/**
 * The dataset the lab trains on now. Loads lazily and keeps the pixels in the
 * main process only to answer digits() for the galleries; the trainer worker
 * reads the files itself.
 */
export class DatasetService {
  #files: DatasetFiles;
  #loaded: Loaded | null = null;
  /** The built-in dataset's info, read from labels and headers alone (no pixels). */
  #builtinInfo: DatasetInfo | null = null;

  constructor(files: DatasetFiles = builtinMnistFiles()) {
    this.#files = files;
  }

  get files(): DatasetFiles {
    return this.#files;
  }

  #load(): Loaded {
    if (!this.#loaded) {
      const { data, info } = loadDataset(this.#files);
      this.#loaded = { files: this.#files, info, data };
    }
    return this.#loaded;
  }

  info(): DatasetInfo {
    if (this.#loaded) return this.#loaded.info;
    if (isBuiltinMnist(this.#files)) return (this.#builtinInfo ??= builtinMnistInfo());
    return this.#load().info;
  }

  /**
   * Images in the training file, without reading its pixels when they are not loaded yet (the labels file, or the
   * built-in dataset's headers): what the CLI needs before a run, whose worker reads the dataset itself.
   */
  trainCount(): number {
    if (this.#loaded || isBuiltinMnist(this.#files)) return this.info().trainCount;
    return readIdx(this.#files.trainLabels, 1).data.length;
  }

  /** Validate a new IDX quadruple completely before switching to it; on error nothing changes. */
  open(files: DatasetFiles): DatasetInfo {
    const { data, info } = loadDataset(files);
    this.#files = files;
    this.#loaded = { files, info, data };
    return info;
  }

  /** Back to the built-in MNIST (trusted: its info comes from labels and headers; pixels load when digits() needs them). */
  useBuiltin(): DatasetInfo {
    this.#files = builtinMnistFiles();
    this.#loaded = null;
    return this.info();
  }

  labels(payload: unknown): Uint8Array {
    const req = parseOrThrow(LabelsRequestSchema, payload, 'labels');
    const { data } = this.#load();
    return (req.split === 'train' ? data.trainLabels : data.testLabels).slice();
  }

  digits(payload: unknown): DigitsResponse {
    const req = parseOrThrow(DigitsRequestSchema, payload, 'digits');
    const { data } = this.#load();
    const size = data.rows * data.cols;
    const images = req.split === 'train' ? data.trainImages : data.testImages;
    const labels = req.split === 'train' ? data.trainLabels : data.testLabels;
    const count = labels.length;
    const pixels = new Uint8Array(req.indices.length * size);
    const out = new Uint8Array(req.indices.length);
    req.indices.forEach((index, k) => {
      if (index >= count)
        throw new LabError('invalid-input', `digits: index ${index} is outside the ${req.split} set (${count} images)`);
      pixels.set(images.subarray(index * size, (index + 1) * size), k * size);
      out[k] = labels[index];
    });
    return { rows: data.rows, cols: data.cols, pixels, labels: out };
  }
}
