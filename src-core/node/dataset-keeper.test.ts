import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DatasetFiles } from '../contracts/train-protocol';
import { DatasetKeeper } from './dataset-keeper';
import { idxBytes } from './idx-test-helpers';

// The keeper on real files: kept while the four files are unchanged, loaded afresh (with loadDataset's checks)
// as soon as any of them is replaced, rewritten in place, removed or named differently.

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Four small IDX files (20 training and 10 test images of 28 x 28) in a fresh directory; pixel i is (i * seed) % 256. */
function writeDataset(seed = 1, dir = mkdtempSync(join(tmpdir(), 'keeper-'))): DatasetFiles {
  if (!dirs.includes(dir)) dirs.push(dir);
  const files: DatasetFiles = {
    trainImages: join(dir, 'train-images-idx3-ubyte'),
    trainLabels: join(dir, 'train-labels-idx1-ubyte'),
    testImages: join(dir, 't10k-images-idx3-ubyte'),
    testLabels: join(dir, 't10k-labels-idx1-ubyte'),
  };
  writeFileSync(
    files.trainImages,
    idxBytes([20, 28, 28], (i) => (i * seed) % 256),
  );
  writeFileSync(
    files.trainLabels,
    idxBytes([20], (i) => i % 10),
  );
  writeFileSync(
    files.testImages,
    idxBytes([10, 28, 28], (i) => (i * seed + 7) % 256),
  );
  writeFileSync(
    files.testLabels,
    idxBytes([10], (i) => i % 10),
  );
  return files;
}

describe('DatasetKeeper', () => {
  it('gives the same loaded dataset while the files are unchanged', () => {
    const files = writeDataset();
    const keeper = new DatasetKeeper();
    const a = keeper.load(files);
    expect(a.info.trainCount).toBe(20);
    expect(keeper.load({ ...files })).toBe(a);
  });

  it('loads afresh when a file is rewritten in place with other pixels', () => {
    const files = writeDataset(1);
    const keeper = new DatasetKeeper();
    const a = keeper.load(files);
    const before = a.info.id;
    // Same size, same path, same inode: only the contents (and so the change times) differ. The kernel stamps
    // files with a clock that ticks every few milliseconds, so the rewrite comes 30 ms after the read.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30);
    writeFileSync(
      files.trainImages,
      idxBytes([20, 28, 28], (i) => (i * 3) % 256),
    );
    const b = keeper.load(files);
    expect(b).not.toBe(a);
    expect(b.info.id).not.toBe(before);
    expect(Array.from(b.data.trainImages.subarray(0, 4))).toEqual([0, 3, 6, 9]);
  });

  it('loads afresh for another set of files, and keeps only the newest', () => {
    const one = writeDataset(1);
    const two = writeDataset(5);
    const keeper = new DatasetKeeper();
    const a = keeper.load(one);
    const b = keeper.load(two);
    expect(b).not.toBe(a);
    expect(b.info.id).not.toBe(a.info.id);
    const a2 = keeper.load(one);
    expect(a2).not.toBe(a); // only the newest is kept
    expect(a2.info.id).toBe(a.info.id);
  });

  it('gives loadDataset’s error for a file that went away or turned bad, and keeps nothing stale', () => {
    const files = writeDataset();
    const keeper = new DatasetKeeper();
    keeper.load(files);
    rmSync(files.testLabels);
    expect(() => keeper.load(files)).toThrow(/t10k-labels|no such file|cannot|not/i);
    writeFileSync(
      files.testLabels,
      idxBytes([9], (i) => i % 10),
    ); // one label short of the 10 images
    expect(() => keeper.load(files)).toThrow();
    writeFileSync(
      files.testLabels,
      idxBytes([10], (i) => i % 10),
    );
    expect(keeper.load(files).info.testCount).toBe(10);
  });
});
