import { zipSync } from 'fflate';

// NumPy's file formats, written without NumPy, so a network trained in the lab
// loads elsewhere (numpy.load, then torch.from_numpy):
//
// .npy (format version 1.0, numpy.lib.format):
//   bytes 0-5   the magic string \x93NUMPY
//   bytes 6-7   format version: 1, 0
//   bytes 8-9   HEADER_LEN, little-endian uint16
//   header      an ASCII Python dict literal
//                 {'descr': '<f4', 'fortran_order': False, 'shape': (64, 784), }
//               padded with spaces and ended by '\n' so that 10 + HEADER_LEN
//               is a multiple of 64 (the data then starts aligned)
//   data        the values in C order (last index fastest), here little-endian
//               float32, copied bit for bit (NaN payloads and -0 included)
// .npz: a zip archive of .npy files, one per array, named <key>.npy; numpy.load
//   returns a mapping from each key to its array. Like numpy.savez, the
//   entries are stored uncompressed. The zip container is fflate's.

/** An array to write: float32 values in C order and their shape. */
export interface NpyArray {
  /** The key numpy.load gives it (letters, digits, underscore). */
  name: string;
  data: Float32Array;
  shape: readonly number[];
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93 N U M P Y
const ALIGN = 64;
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** The Python literal of a shape tuple: (), (3,), (64, 784). */
function shapeLiteral(shape: readonly number[]): string {
  if (shape.length === 1) return `(${shape[0]},)`;
  return `(${shape.join(', ')})`;
}

/** One .npy file (format 1.0) holding data (float32, C order) with the given shape. */
export function npyBytes(data: Float32Array, shape: readonly number[]): Uint8Array {
  let count = 1;
  for (const n of shape) {
    if (!Number.isInteger(n) || n < 0)
      throw new RangeError(`npy: shape ${shapeLiteral(shape)} has a dimension that is not a non-negative integer`);
    count *= n;
  }
  if (count !== data.length)
    throw new RangeError(`npy: shape ${shapeLiteral(shape)} holds ${count} values, the data ${data.length}`);
  const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shapeLiteral(shape)}, }`;
  const unpadded = MAGIC.length + 2 + 2 + dict.length + 1;
  const headerLen = dict.length + 1 + ((ALIGN - (unpadded % ALIGN)) % ALIGN);
  if (headerLen > 0xffff) throw new RangeError('npy: the header is too long for format 1.0');
  const start = MAGIC.length + 4 + headerLen;
  const out = new Uint8Array(start + data.length * 4);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  out[8] = headerLen & 0xff;
  out[9] = headerLen >>> 8;
  for (let i = 0; i < headerLen - 1; i++) out[10 + i] = i < dict.length ? dict.charCodeAt(i) : 0x20;
  out[start - 1] = 0x0a;
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (LITTLE_ENDIAN) out.set(bytes, start);
  else for (let i = 0; i < bytes.length; i += 4) for (let k = 0; k < 4; k++) out[start + i + k] = bytes[i + 3 - k];
  return out;
}

/** An .npz archive of the arrays (entries <name>.npy, stored, fixed timestamps so the same arrays give the same bytes). */
export function npzBytes(arrays: readonly NpyArray[]): Uint8Array {
  if (arrays.length === 0) throw new RangeError('npz: no arrays to write');
  const files: Record<string, [Uint8Array, { level: 0; mtime: Date }]> = {};
  for (const a of arrays) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(a.name)) throw new RangeError(`npz: "${a.name}" is not a valid array name`);
    const key = `${a.name}.npy`;
    if (key in files) throw new RangeError(`npz: the array name "${a.name}" is used twice`);
    files[key] = [npyBytes(a.data, a.shape), { level: 0, mtime: new Date(1980, 0, 1) }];
  }
  return zipSync(files);
}

/** A network's parameters as the lab's session store keeps them: W1 always; b1, W2, b2 when stored. */
export interface StoredWeights {
  hidden: number;
  inputs: number;
  /** hidden x inputs, unit-major: PyTorch's fc1.weight. */
  w1: Float32Array;
  b1?: Float32Array | null;
  /** 10 x hidden: PyTorch's fc2.weight. */
  w2?: Float32Array | null;
  b2?: Float32Array | null;
}

/**
 * The weights as an .npz in PyTorch's nn.Linear layout: W1 (hidden x inputs), b1 (hidden), W2 (10 x hidden), b2 (10);
 * arrays that are not given are left out and named in `missing`.
 */
export function weightsNpz(w: StoredWeights): {
  bytes: Uint8Array;
  arrays: { name: string; shape: number[] }[];
  missing: string[];
} {
  const H = w.hidden;
  const arrays: NpyArray[] = [{ name: 'W1', data: w.w1, shape: [H, w.inputs] }];
  const missing: string[] = [];
  const O = w.b2?.length ?? 10;
  for (const [name, data, shape] of [
    ['b1', w.b1, [H]],
    ['W2', w.w2, [O, H]],
    ['b2', w.b2, [O]],
  ] as const) {
    if (data) arrays.push({ name, data, shape });
    else missing.push(name);
  }
  return { bytes: npzBytes(arrays), arrays: arrays.map((a) => ({ name: a.name, shape: [...a.shape] })), missing };
}
