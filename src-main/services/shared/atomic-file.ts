import {
  closeSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { LabError } from '../../../src-core/contracts/lab-error';
import { pidExists } from '../../../src-core/node/store/liveness';

// Every file the lab writes for the user (figures, CSV, reports, session
// files, dropped files, window state) goes through here: written to a
// temporary file beside the target, then renamed over it — and the rename
// only ever replaces a regular file. The temporary name says whose it is
// (.<name>.momentum-lab-<pid>-<random>.tmp), so one a killed process left
// is removed the next time the lab writes into that folder.

const TEMP_RE = /^\.(.+)\.momentum-lab-(\d+)-[a-z0-9]+\.tmp(\.partial-\d+)?$/; // (.partial-<pid>: the session export's own copy step)

function tempPathFor(path: string): string {
  return join(
    dirname(path),
    `.${basename(path)}.momentum-lab-${process.pid}-${Math.random().toString(36).slice(2, 10)}.tmp`,
  );
}

/** Remove temporaries in `dir` that a process now gone left behind. Never throws. */
export function sweepStaleWrites(dir: string): string[] {
  const removed: string[] = [];
  try {
    for (const name of readdirSync(dir)) {
      const m = TEMP_RE.exec(name);
      if (!m || Number(m[2]) === process.pid || pidExists(Number(m[2]))) continue;
      const p = join(dir, name);
      try {
        if (lstatSync(p).isFile()) {
          rmSync(p, { force: true });
          removed.push(p);
        }
      } catch {
        /* gone meanwhile */
      }
    }
  } catch {
    /* folder unreadable: nothing to sweep */
  }
  return removed;
}

/** Rename `tmp` onto `target`, but only if `target` is absent or a regular file (never a FIFO, device, folder or link). */
export function replaceRegularFile(tmp: string, target: string): void {
  let st;
  try {
    st = lstatSync(target);
  } catch (err) {
    if ((err as { code?: string }).code !== 'ENOENT') throw err;
  }
  if (st && !st.isFile()) {
    rmSync(tmp, { force: true });
    throw new LabError('invalid-input', `${target} is not a regular file; it is left as it is`);
  }
  renameSync(tmp, target);
}

function writeError(err: unknown, path: string): LabError {
  if (err instanceof LabError) return err;
  const code = (err as { code?: string }).code;
  if (code === 'ENOSPC') return new LabError('disk-full', `no space left to write ${path}`);
  return new LabError('internal', `could not write ${path}: ${(err as Error).message}`);
}

/** Let `fill(tmp)` write a temporary file beside `path`, then move it into place atomically. */
export function writeVia<T>(path: string, fill: (tmp: string) => T): T {
  sweepStaleWrites(dirname(path));
  const tmp = tempPathFor(path);
  try {
    const result = fill(tmp);
    replaceRegularFile(tmp, path);
    return result;
  } catch (err) {
    rmSync(tmp, { force: true });
    throw writeError(err, path);
  }
}

/** Write a file so that a crash leaves either the old or the new content, never half of it. */
export function writeFileAtomic(path: string, text: string | Uint8Array, mode = 0o600): number {
  mkdirSync(dirname(path), { recursive: true });
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  writeVia(path, (tmp) => {
    const fd = openSync(tmp, 'wx', mode);
    try {
      for (let off = 0; off < bytes.length;) off += writeSync(fd, bytes, off, bytes.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  });
  return bytes.byteLength;
}
