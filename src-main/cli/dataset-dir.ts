import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { LabError } from '../../src-core/contracts/lab-error';
import type { DatasetFiles } from '../../src-core/contracts/train-protocol';
import { RegularFileRefusal, statRegularFile } from '../../src-core/node/regular-file';

// Finds an IDX quadruple in a folder by the usual MNIST file names
// (train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte,
// t10k-labels-idx1-ubyte), with or without .gz, with '-' or '.' before "idx".
// Each must be a regular file (symlinks followed): a FIFO or a device with a
// dataset's name is refused here, before anything opens it.

const ROLES: Record<keyof DatasetFiles, RegExp> = {
  trainImages: /^train-images[-.]idx3-ubyte(\.gz)?$/,
  trainLabels: /^train-labels[-.]idx1-ubyte(\.gz)?$/,
  testImages: /^(t10k|test)-images[-.]idx3-ubyte(\.gz)?$/,
  testLabels: /^(t10k|test)-labels[-.]idx1-ubyte(\.gz)?$/,
};

export function datasetFilesIn(dir: string): DatasetFiles {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new LabError('bad-dataset', `--data: ${dir} is not a folder`);
  const names = readdirSync(dir);
  const found = {} as DatasetFiles;
  for (const role of Object.keys(ROLES) as (keyof DatasetFiles)[]) {
    const name = names.find((n) => ROLES[role].test(n));
    if (!name) throw new LabError('bad-dataset', `--data: no file matching ${ROLES[role].source} in ${dir}`);
    const path = join(dir, name);
    try {
      statRegularFile(path);
    } catch (err) {
      if (err instanceof RegularFileRefusal)
        throw new LabError('bad-dataset', `--data: ${name} in ${dir}: ${err.message}`);
      throw err;
    }
    found[role] = path;
  }
  return found;
}
