import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { DatasetFiles } from '../contracts/train-protocol';
import { builtinMnistInfo, loadDataset } from './load-dataset';
import { builtinMnistFiles } from './mnist';

describe('the built-in dataset info', () => {
  it('read from labels and image headers alone equals the info of a full load', () => {
    expect(builtinMnistInfo()).toEqual(loadDataset(builtinMnistFiles()).info);
  });
});

// The trainer process's load (loadDataset) against an oracle that does not use
// the lab's IDX reader: each file read whole, gunzipped by zlib if it is gzip, its header skipped.
const FASHION = '/usr/share/datasets/fashion-mnist';
const fashionFiles: DatasetFiles = {
  trainImages: join(FASHION, 'train-images-idx3-ubyte.gz'),
  trainLabels: join(FASHION, 'train-labels-idx1-ubyte.gz'),
  testImages: join(FASHION, 't10k-images-idx3-ubyte.gz'),
  testLabels: join(FASHION, 't10k-labels-idx1-ubyte.gz'),
};

/** The data section of an IDX file: the bytes after its 4 + 4 x ndims header bytes. */
function oracle(path: string): Uint8Array {
  const raw = readFileSync(path);
  const bytes = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw;
  return new Uint8Array(bytes.subarray(4 + 4 * bytes[3]));
}

/** Byte equality of two arrays, compared natively (toEqual walks 47 MB element by element for minutes). */
function expectSameBytes(a: Uint8Array, b: Uint8Array): void {
  expect(a.length).toBe(b.length);
  expect(Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length))).toBe(
    true,
  );
}

const ARRAYS = ['trainImages', 'trainLabels', 'testImages', 'testLabels'] as const;

describe('loadDataset (what a trainer process loads)', () => {
  const cases: [string, () => DatasetFiles, boolean][] = [
    ['the built-in MNIST (plain IDX)', builtinMnistFiles, true],
    ['Fashion-MNIST (gzip, as Debian ships it)', () => fashionFiles, existsSync(fashionFiles.trainImages)],
  ];
  for (const [name, files, present] of cases) {
    it.skipIf(!present)(`holds every byte of the files: ${name}`, () => {
      const f = files();
      const data = loadDataset(f).data;
      for (const key of ARRAYS) expectSameBytes(data[key], oracle(f[key]));
      expect([data.trainCount, data.testCount, data.rows, data.cols]).toEqual([60000, 10000, 28, 28]);
    });
  }

  it('refuses a missing path with a clear error', () => {
    const f = { ...builtinMnistFiles(), testLabels: '' };
    expect(() => loadDataset(f)).toThrow(/dataset: testLabels must be a file path/);
  });
});
