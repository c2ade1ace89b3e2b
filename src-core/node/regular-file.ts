import { closeSync, constants, fstatSync, openSync, readSync, statSync, writeSync, type Stats } from 'node:fs';

// Opening a file a stranger named (a dataset, a session file) must not hang
// the lab. open(2) on a FIFO blocks until a writer appears, and reading a
// character device (/dev/zero, a terminal) never ends or never starts. So:
//   1. stat the path (following symlinks) and refuse anything that is not a
//      regular file, naming what it is, before opening it;
//   2. open with O_NONBLOCK, so that if the path was swapped for a FIFO
//      between the stat and the open, the open still returns at once;
//   3. fstat the descriptor: it must be a regular file, the same one (device
//      and inode) that was checked, and within the caller's size bound.
// Reads then stop at the size fstat gave, so the time they take is bounded by
// a size the caller accepted (a regular file cannot block a read forever,
// except on a dead network mount, which no check in this process can cure).

export type RefusalKind = 'not-found' | 'not-regular' | 'too-large' | 'unreadable' | 'changed';

/** Why a path could not be opened as a regular file; callers turn it into their own LabError. */
export class RegularFileRefusal extends Error {
  constructor(
    readonly kind: RefusalKind,
    message: string,
  ) {
    super(message);
  }
}

/** What a stat says a path is, in words ("a FIFO (named pipe)", "a folder", …). */
export function kindOfFile(st: Stats): string {
  if (st.isFile()) return 'a regular file';
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

/** Refuses (RegularFileRefusal) unless path names a regular file (symlinks followed); returns its stat. Never opens it. */
export function statRegularFile(path: string): Stats {
  let st: Stats;
  try {
    st = statSync(path);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new RegularFileRefusal('not-found', 'no such file');
    throw new RegularFileRefusal('unreadable', `cannot read it (${code ?? String(err)})`);
  }
  if (!st.isFile()) throw new RegularFileRefusal('not-regular', `it is ${kindOfFile(st)}, not a regular file`);
  return st;
}

export interface OpenedFile {
  fd: number;
  size: number;
}

/**
 * Opens a regular file for reading without ever blocking on the open: checks
 * as above; size over maxBytes is refused ('too-large'). The caller closes fd.
 */
export function openRegularFile(path: string, maxBytes: number = Number.MAX_SAFE_INTEGER): OpenedFile {
  const before = statRegularFile(path);
  if (before.size > maxBytes)
    throw new RegularFileRefusal('too-large', `it is ${before.size} bytes; the limit is ${maxBytes}`);
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | (constants.O_NOCTTY ?? 0));
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ENOENT') throw new RegularFileRefusal('not-found', 'no such file');
    throw new RegularFileRefusal('unreadable', `cannot open it (${code ?? String(err)})`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new RegularFileRefusal('not-regular', `it is ${kindOfFile(st)}, not a regular file`);
    if (st.ino !== before.ino || st.dev !== before.dev)
      throw new RegularFileRefusal('changed', 'it was replaced while it was being opened');
    if (st.size > maxBytes)
      throw new RegularFileRefusal('too-large', `it is ${st.size} bytes; the limit is ${maxBytes}`);
    return { fd, size: st.size };
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}

/**
 * Copies a regular file (at most maxBytes) to a new file at dest, through the
 * checked descriptor: exactly the size fstat gave, or 'changed' if it shrank
 * while being copied. Returns the bytes copied. dest is created (mode 0600) and must not exist.
 */
export function copyRegularFile(path: string, dest: string, maxBytes: number): number {
  const { fd, size } = openRegularFile(path, maxBytes);
  try {
    const out = openSync(dest, 'wx', 0o600);
    try {
      const chunk = Buffer.allocUnsafe(Math.min(size, 1 << 20) || 1);
      let done = 0;
      while (done < size) {
        const n = readSync(fd, chunk, 0, Math.min(chunk.length, size - done), done);
        if (n === 0)
          throw new RegularFileRefusal('changed', `it shrank while it was being read (${done} of ${size} bytes)`);
        let w = 0;
        while (w < n) w += writeSync(out, chunk, w, n - w);
        done += n;
      }
      return done;
    } finally {
      closeSync(out);
    }
  } finally {
    closeSync(fd);
  }
}
