import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { autoEvalEveryFor } from '../../src-core/contracts/eval-interval';
import type { TrainConfig } from '../../src-core/contracts/train-config';
import { builtinMnistFiles } from '../../src-core/node/mnist';
import { SessionStore } from '../../src-core/node/store/session-store';
import { DatasetService } from '../services/training/datasets';

// `train --data DIR` with a gzipped quadruple: only the trainer worker reads (and decompresses) the dataset; the
// CLI takes the size from the labels and the dataset's identity from the worker's 'started' message.

const dir = mkdtempSync(join(tmpdir(), 'train-data-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TRAIN = 1_000;
const TEST = 200;

/** The first `count` items of an MNIST IDX file (header rewritten), as plain bytes. */
function head(path: string, count: number, itemBytes: number, headerBytes: number): Buffer {
  const src = readFileSync(path);
  const out = Buffer.from(src.subarray(0, headerBytes + count * itemBytes));
  out.writeUInt32BE(count, 4);
  return out;
}

const mnist = builtinMnistFiles();
const plain = {
  trainImages: head(mnist.trainImages, TRAIN, 784, 16),
  trainLabels: head(mnist.trainLabels, TRAIN, 1, 8),
  testImages: head(mnist.testImages, TEST, 784, 16),
  testLabels: head(mnist.testLabels, TEST, 1, 8),
};
const data = join(dir, 'small-mnist');
mkdirSync(data);
const gz = {
  trainImages: join(data, 'train-images-idx3-ubyte.gz'),
  trainLabels: join(data, 'train-labels-idx1-ubyte.gz'),
  testImages: join(data, 't10k-images-idx3-ubyte.gz'),
  testLabels: join(data, 't10k-labels-idx1-ubyte.gz'),
};
for (const role of ['trainImages', 'trainLabels', 'testImages', 'testLabels'] as const)
  writeFileSync(gz[role], gzipSync(plain[role]));

/** The lab's content id of the four files, computed here from the plain bytes: sha-256 over header, size and data. */
function expectedId(): string {
  const h = createHash('sha256');
  for (const [bytes, headerBytes] of [
    [plain.trainImages, 16],
    [plain.trainLabels, 8],
    [plain.testImages, 16],
    [plain.testLabels, 8],
  ] as const) {
    h.update(bytes.subarray(0, headerBytes));
    h.update(`:${bytes.length - headerBytes}:`);
    h.update(bytes.subarray(headerBytes));
  }
  return `files:${h.digest('hex').slice(0, 16)}`;
}

describe('train --data DIR (a .gz quadruple)', () => {
  it("trains, and names the dataset by the worker's reading: the --json id and the recorded run's are the content id", () => {
    const db = join(dir, 'runs.db');
    const r = spawnSync(
      process.execPath,
      [resolve('bin/momentum-lab.mjs'), 'train', '--data', data, '--epochs', '1', '--val', '0', '--json', '--db', db],
      { encoding: 'utf8', timeout: 120_000 },
    );
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      status: string;
      config: TrainConfig;
      dataset: { id: string; name: string; trainCount: number; testCount: number };
      savedTo: { runId: string };
    };
    expect(out.status).toBe('finished');
    expect(out.dataset).toEqual({
      id: expectedId(),
      name: `small-mnist/train-images-idx3-ubyte.gz (1,000 train / 200 test)`,
      trainCount: TRAIN,
      testCount: TEST,
    });
    // --eval-every auto from the training set's size, read from the labels before the run.
    expect(out.config.evalEvery).toBe(autoEvalEveryFor(out.config, TRAIN));
    const store = new SessionStore(db);
    try {
      const run = store.listRuns(store.currentSessionId()).find((x) => x.id === out.savedTo.runId);
      expect(run?.datasetId).toBe(expectedId());
      expect(run?.datasetName).toBe(out.dataset.name);
    } finally {
      store.close();
    }
  }, 130_000);

  it('the dataset service counts the training images from the labels alone (the images are not read)', () => {
    const noImages = { ...gz, trainImages: join(dir, 'missing-images.gz'), testImages: join(dir, 'missing-t10k.gz') };
    expect(new DatasetService(noImages).trainCount()).toBe(TRAIN);
    expect(() => new DatasetService(noImages).info()).toThrow(/missing-images\.gz/);
  });
});
