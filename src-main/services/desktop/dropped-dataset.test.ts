import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { LabError } from '../../../src-core/contracts/lab-error';
import { assignQuadruple, sniffIdx, storeDroppedDataset } from './dropped-dataset';
import { idxBytes } from '../../../src-core/node/idx-test-helpers';

const idx = (dims: number[]) => idxBytes(dims, (i) => i % 10);

const quad = (train = 30, test = 10) => [
  { name: 't10k-labels-idx1-ubyte', bytes: idx([test]) },
  { name: 'train-images-idx3-ubyte.gz', bytes: new Uint8Array(gzipSync(idx([train, 28, 28]))) },
  { name: 'train-labels-idx1-ubyte', bytes: idx([train]) },
  { name: 't10k-images-idx3-ubyte', bytes: idx([test, 28, 28]) },
];

describe('dropped IDX files', () => {
  it('are told apart by their headers, plain or gzip', () => {
    expect(quad().map(sniffIdx)).toEqual([
      { name: 't10k-labels-idx1-ubyte', kind: 'labels', count: 10 },
      { name: 'train-images-idx3-ubyte.gz', kind: 'images', count: 30 },
      { name: 'train-labels-idx1-ubyte', kind: 'labels', count: 30 },
      { name: 't10k-images-idx3-ubyte', kind: 'images', count: 10 },
    ]);
  });

  it('are assigned train and test by name, or by size when the names say nothing', () => {
    const byName = assignQuadruple(quad().map(sniffIdx));
    expect([byName.trainImages.name, byName.trainLabels.name, byName.testImages.name, byName.testLabels.name]).toEqual([
      'train-images-idx3-ubyte.gz',
      'train-labels-idx1-ubyte',
      't10k-images-idx3-ubyte',
      't10k-labels-idx1-ubyte',
    ]);
    const anonymous = assignQuadruple([
      { name: 'a', kind: 'images', count: 5 },
      { name: 'b', kind: 'labels', count: 50 },
      { name: 'c', kind: 'images', count: 50 },
      { name: 'd', kind: 'labels', count: 5 },
    ]);
    expect([
      anonymous.trainImages.name,
      anonymous.trainLabels.name,
      anonymous.testImages.name,
      anonymous.testLabels.name,
    ]).toEqual(['c', 'b', 'a', 'd']);
  });

  it('are refused with a clear message when they are not two image and two label files', () => {
    const files = quad().map(sniffIdx);
    files[0] = { ...files[0], kind: 'images' };
    expect(() => assignQuadruple(files)).toThrow(
      /two image files \(IDX3\) and two label files \(IDX1\); got 3 image and 1 label file/,
    );
  });

  it('are refused when the label counts match no image file', () => {
    const files = quad().map(sniffIdx);
    files[2] = { ...files[2], count: 31 };
    expect(() => assignQuadruple(files)).toThrow(/label files do not match the image files/);
  });

  it('that are not IDX files are refused before anything is written', () => {
    const png = { name: 'digit.png', bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]) };
    expect(() => sniffIdx(png)).toThrow(LabError);
    expect(() => sniffIdx(png)).toThrow(/digit\.png: not an IDX file/);
    expect(() => sniffIdx({ name: 'x.gz', bytes: new Uint8Array([0x1f, 0x8b, 1, 2, 3]) })).toThrow(/x\.gz/);
  });

  it('are stored in one folder per content, with their bytes intact', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlab-drop-'));
    const files = quad();
    const paths = storeDroppedDataset(dir, files);
    expect(basename(paths.trainImages)).toBe('train-images-idx3-ubyte.gz');
    expect(basename(paths.testLabels)).toBe('t10k-labels-idx1-ubyte');
    expect(new Uint8Array(readFileSync(paths.trainImages))).toEqual(files[1].bytes);
    expect(storeDroppedDataset(dir, files)).toEqual(paths);
  });
});
