// How numbers and typed arrays go in and out of SQLite without losing
// anything. Scalars: finite numbers as REAL; NaN, +-Infinity and -0 as text
// (SQLite stores NaN as NULL, and REAL -0 may come back as 0). Arrays: their
// bytes, little-endian, as a BLOB (Float32 NaN payloads survive untouched).

export type SqlNumber = number | string;

/** x -> a value SQLite keeps exactly. */
export function encodeNumber(x: number): SqlNumber {
  if (Number.isFinite(x) && !Object.is(x, -0)) return x;
  return Object.is(x, -0) ? '-0' : String(x);
}

/** Inverse of encodeNumber; null stays null (a column never written). */
export function decodeNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string') {
    if (v === 'NaN' || v === 'Infinity' || v === '-Infinity' || v === '-0') return Number(v);
    throw new RangeError(`not a stored number: ${JSON.stringify(v.slice(0, 40))}`);
  }
  throw new RangeError(`not a stored number: ${String(v)}`);
}

export function decodeNullableNumber(v: unknown): number | null {
  return v === null || v === undefined ? null : decodeNumber(v);
}

type Typed = Uint8Array | Int32Array | Float32Array;

/** A typed array's bytes as a Buffer (no copy). */
export function toBlob(a: Typed): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

function bytesOf(blob: unknown, elementSize: number, what: string): ArrayBuffer {
  if (!(blob instanceof Uint8Array)) throw new RangeError(`${what}: not a blob`);
  if (blob.byteLength % elementSize !== 0) throw new RangeError(`${what}: ${blob.byteLength} bytes is not a whole number of ${elementSize}-byte values`);
  // Copy: the Buffer may share an unaligned pool.
  return blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength) as ArrayBuffer;
}

export const fromBlob = {
  u8: (b: unknown, what = 'blob'): Uint8Array => new Uint8Array(bytesOf(b, 1, what)),
  i32: (b: unknown, what = 'blob'): Int32Array => new Int32Array(bytesOf(b, 4, what)),
  f32: (b: unknown, what = 'blob'): Float32Array => new Float32Array(bytesOf(b, 4, what)),
};
