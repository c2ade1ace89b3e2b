import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { constants as zc, gunzipSync } from 'node:zlib';
import type { DroppedFile } from '../../../src-core/contracts/api-desktop';
import { LabError } from '../../../src-core/contracts/lab-error';
import type { DatasetFiles } from '../../../src-core/contracts/train-protocol';
import { parseIdxHeader } from '../../../src-core/node/idx';
import { writeFileAtomic } from '../shared/atomic-file';

// Four IDX files dropped on the window arrive as bytes (a sandboxed renderer
// sees no paths). Sniff each header, work out which file is which, then store
// them under the lab's data folder so the trainer worker can read them like
// any other IDX quadruple. Full validation is DatasetService.open's job.

export interface SniffedIdx {
  name: string;
  kind: 'images' | 'labels';
  count: number;
}

const fmt = (n: number) => n.toLocaleString('en-US');

/** The first bytes of a file, inflated if it is gzip (at most ~1 MB inflated from its first KB). */
function headBytes(file: DroppedFile): Uint8Array {
  const b = file.bytes;
  if (b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b) {
    try {
      return new Uint8Array(gunzipSync(b.subarray(0, 1024), { finishFlush: zc.Z_SYNC_FLUSH }));
    } catch {
      throw new LabError('bad-dataset', `${file.name}: not a readable gzip file`);
    }
  }
  return b.subarray(0, 64);
}

/** Which IDX file this is: images (3 dimensions) or labels (1), and how many items it declares. */
export function sniffIdx(file: DroppedFile): SniffedIdx {
  const head = headBytes(file);
  const nd = head[3];
  if (head.length < 4 || head[0] !== 0 || head[1] !== 0 || (nd !== 1 && nd !== 3)) {
    // Let the header parser word the error (magic, type or dimensions).
    parseIdxHeader(file.name, head, nd === 1 ? 1 : 3);
    throw new LabError('bad-dataset', `${file.name}: not an IDX image (3 dimensions) or label (1 dimension) file`);
  }
  const header = parseIdxHeader(file.name, head, nd);
  if (!header) throw new LabError('bad-dataset', `${file.name}: truncated header`);
  return { name: file.name, kind: nd === 3 ? 'images' : 'labels', count: header.dims[0] };
}

const hint = (name: string): 'train' | 'test' | null =>
  /t10k|test/i.test(name) ? 'test' : /train/i.test(name) ? 'train' : null;

/** Order a pair as [train, test]: by name (train…, t10k…/test…) when the names say, else the larger is the training set. */
function trainFirst(pair: SniffedIdx[]): [SniffedIdx, SniffedIdx] {
  const [a, b] = pair;
  const ha = hint(a.name);
  const hb = hint(b.name);
  if (ha && hb && ha !== hb) return ha === 'train' ? [a, b] : [b, a];
  if (a.count !== b.count) return a.count > b.count ? [a, b] : [b, a];
  throw new LabError(
    'bad-dataset',
    `cannot tell the training files from the test files: name them train-… and t10k-… (or test-…)`,
  );
}

/** Assign four sniffed files to train/test images/labels; throws LabError('bad-dataset') saying what is missing. */
export function assignQuadruple(files: readonly SniffedIdx[]): {
  trainImages: SniffedIdx;
  trainLabels: SniffedIdx;
  testImages: SniffedIdx;
  testLabels: SniffedIdx;
} {
  const images = files.filter((f) => f.kind === 'images');
  const labels = files.filter((f) => f.kind === 'labels');
  if (files.length !== 4 || images.length !== 2 || labels.length !== 2) {
    throw new LabError(
      'bad-dataset',
      `drop two image files (IDX3) and two label files (IDX1); got ${images.length} image and ${labels.length} label file${labels.length === 1 ? '' : 's'}`,
    );
  }
  const [trainImages, testImages] = trainFirst(images);
  let [trainLabels, testLabels] = trainFirst(labels);
  if (trainImages.count !== trainLabels.count || testImages.count !== testLabels.count) {
    // Names may disagree with sizes; pair labels with images by count.
    const byCount = (n: number) => labels.find((l) => l.count === n);
    const tl = byCount(trainImages.count);
    const sl = labels.find((l) => l !== tl && l.count === testImages.count);
    if (!tl || !sl) {
      throw new LabError(
        'bad-dataset',
        `the label files do not match the image files: ${trainImages.name} has ${fmt(trainImages.count)} images, ${testImages.name} ${fmt(testImages.count)}; the label files have ${fmt(labels[0].count)} and ${fmt(labels[1].count)} labels`,
      );
    }
    [trainLabels, testLabels] = [tl, sl];
  }
  return { trainImages, trainLabels, testImages, testLabels };
}

const safeName = (name: string) =>
  name
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .replace(/^\.+/, '_')
    .slice(0, 120) || 'file';

/** Store the files under dir/dropped-<content hash>/ and return their paths (same content, same folder). */
export function storeDroppedDataset(dir: string, files: readonly DroppedFile[]): DatasetFiles {
  const sniffed = files.map(sniffIdx);
  const roles = assignQuadruple(sniffed);
  const hash = createHash('sha256');
  for (const f of files) hash.update(f.name).update(f.bytes);
  const folder = join(dir, `dropped-${hash.digest('hex').slice(0, 12)}`);
  mkdirSync(folder, { recursive: true });
  const pathOf = (s: SniffedIdx) => {
    const file = files[sniffed.indexOf(s)];
    const path = join(folder, safeName(file.name));
    writeFileAtomic(path, file.bytes);
    return path;
  };
  return {
    trainImages: pathOf(roles.trainImages),
    trainLabels: pathOf(roles.trainLabels),
    testImages: pathOf(roles.testImages),
    testLabels: pathOf(roles.testLabels),
  };
}
