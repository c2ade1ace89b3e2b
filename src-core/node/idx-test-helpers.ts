// IDX files for the dataset tests, built from their definition: 00 00 08 <ndims>, the dims as big-endian uint32, then
// one unsigned byte per value.

/** Unsigned-byte IDX bytes with the given dims; value i is fill(i). */
export function idxBytes(dims: number[], fill: (i: number) => number): Uint8Array {
  const n = dims.reduce((a, b) => a * b, 1);
  const out = new Uint8Array(4 + 4 * dims.length + n);
  const view = new DataView(out.buffer);
  out[2] = 0x08;
  out[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  for (let i = 0; i < n; i++) out[4 + 4 * dims.length + i] = fill(i);
  return out;
}
