// Test helper (not part of the library): reads a .npy by the format's rules, independently of npz.ts.
import { expect } from 'vitest';

/** Parses a format-1.0 .npy of little-endian float32: the header dict's fields and the data bytes. */
export function parseNpy(b: Uint8Array): {
  descr: string;
  fortran: boolean;
  shape: number[];
  data: Float32Array;
  headerLen: number;
} {
  expect(Array.from(b.subarray(0, 6))).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]);
  expect([b[6], b[7]]).toEqual([1, 0]);
  const headerLen = b[8] | (b[9] << 8);
  expect((10 + headerLen) % 64).toBe(0);
  const header = new TextDecoder('latin1').decode(b.subarray(10, 10 + headerLen));
  expect(header.endsWith('\n')).toBe(true);
  const m = /^\{'descr': '([^']+)', 'fortran_order': (True|False), 'shape': \(([\d, ]*)\), \} *\n$/.exec(header);
  expect(m, header).not.toBeNull();
  const shape = m![3]
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  const raw = b.slice(10 + headerLen);
  return {
    descr: m![1],
    fortran: m![2] === 'True',
    shape,
    data: new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4),
    headerLen,
  };
}
