import { statSync } from 'node:fs';
import type { DatasetFiles } from '../contracts/train-protocol';
import { loadDataset, type LoadedDataset } from './load-dataset';

// A trainer process serving several runs keeps the dataset it loaded (read, checked, fingerprinted) for the next
// run on the same files. The same files means the same paths whose device, inode, size and change times have not
// moved since they were read; anything else (or a file that cannot be stat'ed) is loaded afresh by loadDataset,
// with its checks and its errors. (A file rewritten to the same size within one tick of the kernel's file clock,
// a few milliseconds, after it was read would keep its stamps; datasets are not replaced that fast.)

export class DatasetKeeper {
  #last: { key: string; loaded: LoadedDataset } | null = null;

  load(files: DatasetFiles): LoadedDataset {
    const key = filesKey(files);
    if (key !== null && this.#last?.key === key) return this.#last.loaded;
    this.#last = null; // let the old pixels go before reading the new ones
    const loaded = loadDataset(files);
    // Stat'ed before the read: a file replaced while being read gets a new key next time, never a stale hit.
    if (key !== null) this.#last = { key, loaded };
    return loaded;
  }
}

function filesKey(files: DatasetFiles): string | null {
  try {
    const paths = [files.trainImages, files.trainLabels, files.testImages, files.testLabels];
    return paths
      .map((p) => {
        const s = statSync(p, { bigint: true });
        return [p, s.dev, s.ino, s.size, s.mtimeNs, s.ctimeNs].join('\u0000');
      })
      .join('\u0001');
  } catch {
    return null;
  }
}
