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

type Typed = Uint8Array | Int32Array | Float32Array;

/** A typed array's bytes as a Buffer (no copy). */
export function toBlob(a: Typed): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}
