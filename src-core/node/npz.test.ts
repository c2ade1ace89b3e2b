import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { npyBytes, npzBytes, weightsNpz } from './npz';
import { parseNpy } from './npz-test-helpers';

// Round trip: the archive is opened with fflate and each .npy parsed HERE by the format's rules (magic, version,
// header length, dict, alignment, data); then, where python3 has NumPy, numpy.load reads the same file.

const sha = (a: Float32Array) =>
  createHash('sha256')
    .update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength))
    .digest('hex');
const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

const hasNumpy = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'mlab-npz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function matrix(h: number, n: number): Float32Array {
  const w = Float32Array.from({ length: h * n }, (_, k) => Math.sin(k) * 0.1 + Math.floor(k / n));
  w[5] = NaN;
  w[6] = -0;
  w[7] = Infinity;
  return w;
}

describe('.npy and .npz writing', () => {
  it('writes headers by the format rules, for 1-D and 2-D shapes, and the values bit for bit', () => {
    const w = matrix(3, 7);
    const two = parseNpy(npyBytes(w, [3, 7]));
    expect(two).toMatchObject({ descr: '<f4', fortran: false, shape: [3, 7] });
    expect(bits(two.data)).toEqual(bits(w));
    const one = parseNpy(npyBytes(Float32Array.of(1, 2, 3), [3]));
    expect(one.shape).toEqual([3]);
    expect(Array.from(one.data)).toEqual([1, 2, 3]);
    expect(new TextDecoder().decode(npyBytes(Float32Array.of(1, 2, 3), [3]).subarray(10, 90))).toContain(
      "'shape': (3,), }",
    );
  });

  it('refuses a shape that does not fit the data, bad names and duplicates', () => {
    expect(() => npyBytes(new Float32Array(6), [4, 2])).toThrow(/holds 8 values, the data 6/);
    expect(() => npyBytes(new Float32Array(2), [2.5])).toThrow(/non-negative integer/);
    expect(() => npzBytes([{ name: '../x', data: new Float32Array(1), shape: [1] }])).toThrow(/not a valid array name/);
    expect(() =>
      npzBytes([
        { name: 'a', data: new Float32Array(1), shape: [1] },
        { name: 'a', data: new Float32Array(1), shape: [1] },
      ]),
    ).toThrow(/twice/);
    expect(() => npzBytes([])).toThrow(/no arrays/);
  });

  it('the weights archive holds W1 (hidden x inputs) and names what is missing; the same weights give the same bytes', () => {
    const w1 = matrix(16, 784);
    const res = weightsNpz({ hidden: 16, inputs: 784, w1 });
    expect(res.missing).toEqual(['b1', 'W2', 'b2']);
    expect(res.arrays).toEqual([{ name: 'W1', shape: [16, 784] }]);
    const files = unzipSync(res.bytes);
    expect(Object.keys(files)).toEqual(['W1.npy']);
    const W1 = parseNpy(files['W1.npy']);
    expect(W1.shape).toEqual([16, 784]);
    expect(bits(W1.data)).toEqual(bits(w1));
    expect(weightsNpz({ hidden: 16, inputs: 784, w1 }).bytes).toEqual(res.bytes);
    const full = weightsNpz({
      hidden: 2,
      inputs: 3,
      w1: new Float32Array(6),
      b1: new Float32Array(2),
      w2: new Float32Array(20),
      b2: new Float32Array(10),
    });
    expect(full.missing).toEqual([]);
    expect(Object.keys(unzipSync(full.bytes)).sort()).toEqual(['W1.npy', 'W2.npy', 'b1.npy', 'b2.npy']);
    expect(parseNpy(unzipSync(full.bytes)['W2.npy']).shape).toEqual([10, 2]);
  });

  it.skipIf(!hasNumpy)(
    "numpy.load reads it: shapes, dtype, C order, every bit, and W1[j, i] = unit j's weight from pixel i",
    () => {
      const w1 = matrix(16, 784);
      const file = join(dir, 'w.npz');
      writeFileSync(file, weightsNpz({ hidden: 16, inputs: 784, w1 }).bytes);
      const two = join(dir, 'two.npz');
      writeFileSync(
        two,
        npzBytes([
          { name: 'b1', data: Float32Array.of(0.5, -2), shape: [2] },
          { name: 'W1', data: w1, shape: [16, 784] },
        ]),
      );
      const py = `
import hashlib, json, sys, numpy as np
z = np.load(sys.argv[1])
a = z['W1']
z2 = np.load(sys.argv[2])
print(json.dumps({'keys': sorted(z.files), 'shape': list(a.shape), 'dtype': str(a.dtype), 'c': bool(a.flags['C_CONTIGUOUS']),
  'sha': hashlib.sha256(a.astype('<f4').tobytes()).hexdigest(), 'w_3_100': float(a[3, 100]), 'keys2': sorted(z2.files), 'b1': z2['b1'].tolist()}))
`;
      const r = spawnSync('python3', ['-c', py, file, two], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      const got = JSON.parse(r.stdout);
      expect(got).toMatchObject({
        keys: ['W1'],
        shape: [16, 784],
        dtype: 'float32',
        c: true,
        sha: sha(w1),
        keys2: ['W1', 'b1'],
        b1: [0.5, -2],
      });
      expect(got.w_3_100).toBe(w1[3 * 784 + 100]);
    },
  );
});
