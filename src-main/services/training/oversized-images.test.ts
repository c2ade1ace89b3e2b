import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LabError } from '../../../src-core/contracts/lab-error';
import { sniffIdx } from '../desktop/dropped-dataset';
import { DatasetService } from './datasets';
import { IDX_MAX_IMAGE_PIXELS, IDX_MAX_ITEMS, readIdx } from '../../../src-core/node/idx';
import { builtinMnistFiles } from '../../../src-core/node/mnist';

// Images the trainer cannot take (more than 65,536 pixels each, or more than
// a million of them) are refused when the file is opened, from its header,
// with the reason; before, a 2000 x 2000 dataset was accepted and every run
// on it failed with "encodeSparse: images of 4000000 pixels exceed …".

let dir: string;
const u32 = (n: number) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
const header = (dims: number[]) => Uint8Array.from([0, 0, 8, dims.length, ...dims.flatMap(u32)]);

/** A plain IDX file with the given dims; its data is a sparse hole (so 60 MB costs nothing to write). */
function idxFile(path: string, dims: number[]): string {
  const fd = openSync(path, 'w');
  const h = header(dims);
  writeSync(fd, h, 0, h.length, 0);
  const data = dims.reduce((a, b) => a * b, 1);
  writeSync(fd, Uint8Array.of(0), 0, 1, h.length + data - 1);
  closeSync(fd);
  return path;
}

function refusal(fn: () => unknown): LabError {
  try {
    fn();
  } catch (err) {
    if (err instanceof LabError) return err;
    throw err;
  }
  throw new Error('expected a LabError');
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'momentum-lab-idx-bounds-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('IDX image bounds', () => {
  it('refuses images of more than 65,536 pixels and files of more than 1,000,000 items, from the header, with the reason', () => {
    const refused: [number[], number, RegExp][] = [
      [
        [1, 257, 256],
        3,
        /images of 257 x 256 = 65,792 pixels are too large: the lab trains on images of at most 65,536 pixels/,
      ],
      [[20, 2000, 2000], 3, /images of 2,000 x 2,000 = 4,000,000 pixels are too large/],
      [[1, 65537, 1], 3, /65,537 pixels are too large/],
      [[1, 1, 70000], 3, /70,000 pixels are too large/],
      [[15, 2000, 2000], 3, /4,000,000 pixels are too large/], // 60 MB: within the 100 MB data limit
      [[IDX_MAX_ITEMS + 1, 1, 1], 3, /declares 1,000,001 images; the lab reads at most 1,000,000 per file/],
      [[IDX_MAX_ITEMS + 1], 1, /declares 1,000,001 items/],
    ];
    for (const [dims, nd, reason] of refused) {
      const path = idxFile(join(dir, `x-${dims.join('x')}`), dims);
      const before = process.memoryUsage().arrayBuffers;
      const err = refusal(() => readIdx(path, nd));
      expect(err.code, dims.join('x')).toBe('bad-dataset');
      expect(err.message, dims.join('x')).toMatch(reason);
      expect(process.memoryUsage().arrayBuffers - before, 'nothing the size of the data was allocated').toBeLessThan(
        4_000_000,
      );
    }
    // Gzip: the header is inflated first and refused before the rest is.
    const gz = join(dir, 'big.gz');
    writeFileSync(gz, gzipSync(Uint8Array.from([...header([3, 300, 300]), ...new Uint8Array(270_000)])));
    expect(refusal(() => readIdx(gz, 3)).message).toMatch(
      /^big\.gz: images of 300 x 300 = 90,000 pixels are too large/,
    );
    // The bounds themselves are accepted.
    for (const dims of [
      [1, 256, 256],
      [2, 65536, 1],
      [1, 1, IDX_MAX_IMAGE_PIXELS],
      [IDX_MAX_ITEMS, 1, 1],
    ]) {
      expect(readIdx(idxFile(join(dir, `ok-${dims.join('x')}`), dims), 3).dims, dims.join('x')).toEqual(dims);
    }
  });

  it('a dropped file and "Open dataset…" (DatasetService.open) refuse them too, and the lab keeps its dataset', () => {
    const big = {
      name: 'train-images-idx3-ubyte',
      bytes: Uint8Array.from([...header([1, 300, 300]), ...new Uint8Array(90_000)]),
    };
    expect(refusal(() => sniffIdx(big)).message).toMatch(
      /^train-images-idx3-ubyte: images of 300 x 300 = 90,000 pixels are too large/,
    );
    const mnist = builtinMnistFiles();
    const service = new DatasetService();
    const d = join(dir, 'open');
    mkdirSync(d);
    const files = { ...mnist, testImages: idxFile(join(d, 't10k-images-idx3-ubyte'), [1_000, 300, 300]) };
    const err = refusal(() => service.open(files));
    expect(err.message).toBe(
      't10k-images-idx3-ubyte: images of 300 x 300 = 90,000 pixels are too large: the lab trains on images of at most 65,536 pixels (256 x 256)',
    );
    expect(service.files).toEqual(mnist);
  });

  it('the CLI refuses such a dataset before training: exit 1, one line with the reason, no internal message', () => {
    const d = join(dir, 'cli');
    mkdirSync(d);
    idxFile(join(d, 'train-images-idx3-ubyte'), [20, 2000, 2000]);
    idxFile(join(d, 't10k-images-idx3-ubyte'), [10, 2000, 2000]);
    const labels = (name: string, count: number) =>
      writeFileSync(
        join(d, name),
        Uint8Array.from([...header([count]), ...Array.from({ length: count }, (_, i) => i % 10)]),
      );
    labels('train-labels-idx1-ubyte', 20);
    labels('t10k-labels-idx1-ubyte', 10);
    const r = spawnSync(
      process.execPath,
      [resolve('bin/momentum-lab.mjs'), 'train', '--data', d, '--epochs', '1', '--json'],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(r.status, r.stderr).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd()).toBe(
      'momentum-lab train: train-images-idx3-ubyte: images of 2,000 x 2,000 = 4,000,000 pixels are too large: the lab trains on images of at most 65,536 pixels (256 x 256)',
    );
    expect(r.stderr).not.toMatch(/encodeSparse|internal/);
  });
});
