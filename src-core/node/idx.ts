import { closeSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { constants as zc, gunzipSync } from 'node:zlib';
import { LabError } from '../contracts/lab-error';
import { grouped } from '../grouped';
import { openRegularFile, RegularFileRefusal } from './regular-file';

// IDX files (LeCun & Cortes, http://yann.lecun.com/exdb/mnist/): a big-endian
// header  00 00 <type> <ndims>  then ndims uint32 sizes, then the data. The lab
// reads unsigned-byte files (type 0x08) only: images with 3 dimensions
// (count, rows, cols) and labels with 1 (count). Plain and gzip-compressed
// files alike; everything is validated before the data buffer is allocated,
// and a gzip stream is never inflated (beyond one zlib chunk) past the
// header + data length its header declares.

/** The largest data section the lab accepts: 100 MB (MNIST's training images are 47 MB). */
export const IDX_MAX_DATA_BYTES = 100_000_000;

/**
 * The largest image the lab can train on: 65,536 pixels (256 x 256, or any
 * rows x cols with that product). The trainer stores each image's ink as
 * (pixel index, grey level) pairs with 16-bit indices (src-core/data/sparse-images.ts).
 */
export const IDX_MAX_IMAGE_PIXELS = 65_536;

/** The most images (or labels) in one file: 1,000,000 (MNIST has 60,000 training images; EMNIST ByClass 697,932). */
export const IDX_MAX_ITEMS = 1_000_000;

const TYPE_NAMES: Record<number, string> = {
  0x08: 'unsigned byte',
  0x09: 'signed byte',
  0x0b: 'short',
  0x0c: 'int',
  0x0d: 'float',
  0x0e: 'double',
};

export interface IdxHeader {
  dims: number[];
  /** Header length in bytes: 4 + 4 * dims.length. */
  headerBytes: number;
  /** Product of the dims: bytes of data. */
  dataBytes: number;
}

export interface IdxFile extends IdxHeader {
  /** The data section (dataBytes bytes), row-major. */
  data: Uint8Array;
  /** The raw header bytes (after decompression). */
  header: Uint8Array;
  /** Size of the file on disk. */
  fileBytes: number;
  gzip: boolean;
}

const hex = (b: number) => `0x${b.toString(16).padStart(2, '0')}`;
const fmt = grouped;

/**
 * Parses an IDX header from the first bytes of a (decompressed) file. Returns null if
 * more bytes are needed; throws LabError('bad-dataset', "<name>: ...") if it is invalid.
 */
export function parseIdxHeader(
  name: string,
  bytes: Uint8Array,
  expectedDims: number,
  maxDataBytes: number = IDX_MAX_DATA_BYTES,
): IdxHeader | null {
  if (!Number.isInteger(expectedDims) || expectedDims < 1)
    throw new RangeError(`parseIdxHeader: expectedDims must be a positive integer, got ${expectedDims}`);
  const bad = (what: string) => new LabError('bad-dataset', `${name}: ${what}`);
  if (bytes.length >= 2 && (bytes[0] !== 0 || bytes[1] !== 0)) {
    throw bad(`not an IDX file: magic bytes ${hex(bytes[0])} ${hex(bytes[1])}, expected 0x00 0x00`);
  }
  if (bytes.length < 4) return null;
  const type = bytes[2];
  if (type !== 0x08) {
    const known = TYPE_NAMES[type];
    throw bad(
      `unsupported IDX data type ${hex(type)}${known ? ` (${known})` : ''}; only 0x08 (unsigned byte) is supported`,
    );
  }
  const nd = bytes[3];
  const what = expectedDims === 3 ? 'an image file' : expectedDims === 1 ? 'a label file' : 'this file';
  if (nd !== expectedDims) throw bad(`has ${nd} dimension${nd === 1 ? '' : 's'}, expected ${expectedDims} for ${what}`);
  const headerBytes = 4 + 4 * nd;
  if (bytes.length < headerBytes) return null;
  const dims: number[] = [];
  let product = 1;
  for (let i = 0; i < nd; i++) {
    const o = 4 + 4 * i;
    const d = ((bytes[o] << 24) | (bytes[o + 1] << 16) | (bytes[o + 2] << 8) | bytes[o + 3]) >>> 0;
    if (d === 0) throw bad(`dimension ${i + 1} is 0; every dimension must be at least 1`);
    dims.push(d);
    product *= d;
  }
  if (product > maxDataBytes) {
    throw bad(
      `dimensions ${dims.join(' x ')} declare ${fmt(product)} bytes of data, more than the limit of ${fmt(maxDataBytes)}`,
    );
  }
  // Bounds that make an image file trainable, checked from the header before any data is read.
  if (dims[0] > IDX_MAX_ITEMS)
    throw bad(
      `declares ${fmt(dims[0])} ${expectedDims === 3 ? 'images' : 'items'}; the lab reads at most ${fmt(IDX_MAX_ITEMS)} per file`,
    );
  if (expectedDims === 3) {
    const pixels = dims[1] * dims[2];
    if (pixels > IDX_MAX_IMAGE_PIXELS) {
      throw bad(
        `images of ${fmt(dims[1])} x ${fmt(dims[2])} = ${fmt(pixels)} pixels are too large: the lab trains on images of at most ${fmt(IDX_MAX_IMAGE_PIXELS)} pixels (256 x 256)`,
      );
    }
  }
  return { dims, headerBytes, dataBytes: product };
}

function truncated(name: string, h: IdxHeader, actual: number): LabError {
  return new LabError(
    'bad-dataset',
    `${name}: truncated: the header declares ${h.dims.join(' x ')} = ${fmt(h.dataBytes)} bytes of data, but only ${fmt(actual)} follow`,
  );
}

function extended(name: string, h: IdxHeader, actual?: number): LabError {
  const tail = actual === undefined ? 'but the data runs past that' : `but ${fmt(actual)} follow`;
  return new LabError(
    'bad-dataset',
    `${name}: extended: the header declares ${h.dims.join(' x ')} = ${fmt(h.dataBytes)} bytes of data, ${tail}`,
  );
}

function readAt(fd: number, into: Uint8Array, position: number): number {
  let off = 0;
  while (off < into.length) {
    const n = readSync(fd, into, off, into.length - off, position + off);
    if (n === 0) break;
    off += n;
  }
  return off;
}

function readPlain(fd: number, name: string, expectedDims: number, maxDataBytes: number, fileBytes: number): IdxFile {
  const head = new Uint8Array(Math.min(fileBytes, 4 + 4 * expectedDims));
  readAt(fd, head, 0);
  const h = parseIdxHeader(name, head, expectedDims, maxDataBytes);
  if (!h) throw new LabError('bad-dataset', `${name}: too short for an IDX header (${fileBytes} bytes)`);
  const inFile = fileBytes - h.headerBytes;
  if (inFile < h.dataBytes) throw truncated(name, h, inFile);
  if (inFile > h.dataBytes) throw extended(name, h, inFile);
  const data = new Uint8Array(h.dataBytes);
  const got = readAt(fd, data, h.headerBytes);
  if (got !== h.dataBytes) throw truncated(name, h, got);
  return { ...h, data, header: head.slice(0, h.headerBytes), fileBytes, gzip: false };
}

/** The largest file (plain or gzip) that can hold an accepted IDX file of expectedDims dimensions. */
const fileLimit = (expectedDims: number, maxDataBytes: number) =>
  4 + 4 * expectedDims + maxDataBytes + (maxDataBytes >>> 6) + 65536;

/**
 * Opens an IDX file without blocking: a FIFO, device, socket or folder is refused
 * before it is opened (see regular-file.ts), and so is a file larger than limit.
 */
function openIdx(path: string, name: string, limit: number): { fd: number; size: number } {
  try {
    return openRegularFile(path, limit);
  } catch (e) {
    if (!(e instanceof RegularFileRefusal)) throw e;
    if (e.kind === 'not-found') throw new LabError('not-found', `${name}: no such file (${path})`);
    if (e.kind === 'too-large')
      throw new LabError('bad-dataset', `${name}: ${e.message}, larger than any accepted IDX file`);
    throw new LabError('bad-dataset', `${name}: ${e.message}`);
  }
}

const isTooLarge = (e: unknown) => (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError;

/**
 * Gzip: first inflate growing prefixes of the compressed bytes (256, 512, ...;
 * partial input allowed by Z_SYNC_FLUSH, output capped) until the header is
 * known; then inflate the whole file with maxOutputLength = header + data + 1,
 * so zlib stops (throws) as soon as the stream runs past it, and a stream that
 * ends early is refused as truncated.
 */
function readGzip(fd: number, name: string, expectedDims: number, maxDataBytes: number, fileBytes: number): IdxFile {
  const maxHeader = 4 + 4 * expectedDims;
  // A valid gzip of at most header + limit bytes is not much larger than that.
  const compressedLimit = maxHeader + maxDataBytes + (maxDataBytes >>> 6) + 65536;
  if (fileBytes > compressedLimit)
    throw new LabError(
      'bad-dataset',
      `${name}: the compressed file (${fmt(fileBytes)} bytes) is larger than any accepted IDX file`,
    );
  const gz = new Uint8Array(fileBytes);
  if (readAt(fd, gz, 0) !== fileBytes) throw new LabError('bad-dataset', `${name}: the file changed while it was read`);
  let h: IdxHeader | null = null;
  for (let n = 256; h === null; n *= 2) {
    const take = Math.min(n, fileBytes);
    let head: Uint8Array;
    try {
      // Output of a deflate prefix is bounded (~1032 x input), and capped here anyway.
      head = gunzipSync(gz.subarray(0, take), { finishFlush: zc.Z_SYNC_FLUSH, maxOutputLength: take * 1100 + 1024 });
    } catch (e) {
      throw new LabError('bad-dataset', `${name}: corrupt gzip data (${(e as Error).message})`);
    }
    h = parseIdxHeader(name, head.subarray(0, maxHeader), expectedDims, maxDataBytes);
    if (h === null && take === fileBytes)
      throw new LabError(
        'bad-dataset',
        `${name}: too short for an IDX header (${head.length} bytes after decompression)`,
      );
  }
  const total = h.headerBytes + h.dataBytes;
  let out: Buffer;
  try {
    // Z_FINISH: a gzip stream that stops early is refused even when the bytes it
    // does hold happen to fill the header's size (the rest may have been more data).
    out = gunzipSync(gz, { maxOutputLength: total + 1 });
  } catch (e) {
    if (isTooLarge(e)) throw extended(name, h);
    if ((e as { code?: string }).code === 'Z_BUF_ERROR' || /unexpected end/i.test((e as Error).message)) {
      let held = 0;
      try {
        held = gunzipSync(gz, { maxOutputLength: total + 1, finishFlush: zc.Z_SYNC_FLUSH }).length;
      } catch {
        /* nothing readable: say it is cut */
      }
      if (held < total) throw truncated(name, h, Math.max(0, held - h.headerBytes));
      throw new LabError(
        'bad-dataset',
        `${name}: truncated: the gzip stream ends early (its end marker is missing, so more data may have been cut off)`,
      );
    }
    throw new LabError('bad-dataset', `${name}: corrupt gzip data (${(e as Error).message})`);
  }
  if (out.length < total) throw truncated(name, h, out.length - h.headerBytes);
  if (out.length > total) throw extended(name, h, out.length - h.headerBytes);
  // A view avoids copying 47 MB; small outputs may sit in Node's shared Buffer pool, so copy those.
  const ownsBuffer = out.byteOffset === 0 && out.buffer.byteLength === out.length;
  const data = ownsBuffer
    ? new Uint8Array(out.buffer, h.headerBytes, h.dataBytes)
    : new Uint8Array(out.subarray(h.headerBytes)); // (Buffer#slice would not copy)
  return { ...h, data, header: new Uint8Array(out.subarray(0, h.headerBytes)), fileBytes, gzip: true };
}

/**
 * Reads an IDX file of unsigned bytes with expectedDims dimensions (3: images,
 * 1: labels), plain or gzip (detected by the magic 1f 8b). Throws
 * LabError('bad-dataset' | 'not-found', "<file name>: <what is wrong>").
 */
export function readIdx(path: string, expectedDims: number, maxDataBytes: number = IDX_MAX_DATA_BYTES): IdxFile {
  if (typeof path !== 'string' || path.length === 0)
    throw new LabError('invalid-input', 'readIdx: path must be a non-empty string');
  if (!Number.isInteger(expectedDims) || expectedDims < 1 || expectedDims > 255)
    throw new RangeError(`readIdx: expectedDims must be in [1, 255], got ${expectedDims}`);
  if (!(maxDataBytes >= 1) || !Number.isFinite(maxDataBytes))
    throw new RangeError(`readIdx: maxDataBytes must be >= 1, got ${maxDataBytes}`);
  const name = basename(path);
  const { fd, size } = openIdx(path, name, fileLimit(expectedDims, maxDataBytes));
  try {
    const fileBytes = size;
    if (fileBytes === 0) throw new LabError('bad-dataset', `${name}: the file is empty`);
    const magic = new Uint8Array(2);
    readAt(fd, magic, 0);
    if (fileBytes >= 2 && magic[0] === 0x1f && magic[1] === 0x8b)
      return readGzip(fd, name, expectedDims, maxDataBytes, fileBytes);
    return readPlain(fd, name, expectedDims, maxDataBytes, fileBytes);
  } finally {
    closeSync(fd);
  }
}

export interface IdxPair {
  count: number;
  rows: number;
  cols: number;
  images: IdxFile;
  labels: IdxFile;
}

/** Reads an image file and its label file; checks labels are 0..9 and the counts agree. */
export function readIdxPair(
  imagesPath: string,
  labelsPath: string,
  maxDataBytes: number = IDX_MAX_DATA_BYTES,
): IdxPair {
  const images = readIdx(imagesPath, 3, maxDataBytes);
  const labels = readIdx(labelsPath, 1, maxDataBytes);
  const [count, rows, cols] = images.dims;
  const lname = basename(labelsPath);
  const l = labels.data;
  for (let i = 0; i < l.length; i++) {
    if (l[i] > 9) throw new LabError('bad-dataset', `${lname}: label ${l[i]} at index ${i} is outside 0..9`);
  }
  if (labels.dims[0] !== count) {
    throw new LabError(
      'bad-dataset',
      `${basename(imagesPath)} has ${fmt(count)} images but ${lname} has ${fmt(labels.dims[0])} labels`,
    );
  }
  return { count, rows, cols, images, labels };
}

/**
 * The header of a plain (not gzip) IDX file, checked against the file's size, without reading its data;
 * null for a gzip file (whose sizes only decompression can check: use readIdx).
 */
export function peekIdxHeader(
  path: string,
  expectedDims: number,
  maxDataBytes: number = IDX_MAX_DATA_BYTES,
): IdxHeader | null {
  const name = basename(path);
  const { fd, size: fileBytes } = openIdx(path, name, fileLimit(expectedDims, maxDataBytes));
  try {
    const head = new Uint8Array(Math.min(fileBytes, 4 + 4 * expectedDims));
    readAt(fd, head, 0);
    if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return null;
    const h = parseIdxHeader(name, head, expectedDims, maxDataBytes);
    if (!h) throw new LabError('bad-dataset', `${name}: too short for an IDX header (${fileBytes} bytes)`);
    const inFile = fileBytes - h.headerBytes;
    if (inFile < h.dataBytes) throw truncated(name, h, inFile);
    if (inFile > h.dataBytes) throw extended(name, h, inFile);
    return h;
  } finally {
    closeSync(fd);
  }
}
