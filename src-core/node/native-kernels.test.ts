import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { actCode } from '../mlp/activation';
import { lossCode } from '../mlp/loss';
import { initPyTorch } from '../mlp/params';
import { FastNet, type FastNetOptions } from '../mlp/wasm/fast-net';
import { nativeKernels, useNativeKernels } from '../mlp/wasm/native-kernels';
import { rngFor } from '../rng';
import { loadDataset } from './load-dataset';
import { builtinMnistFiles } from './mnist';
import { nativeKernelsAbsent, useNativeKernelsIfBuilt } from './native-kernels';

// The native first-layer kernels (native/kernels.c) against the WebAssembly kernels on real MNIST: nets trained and
// evaluated with each give the same numbers bit for bit (every mini-batch loss, the weights, test and validation
// passes), for hidden widths that use every part of the vector loops (full passes, single vectors, single lanes),
// both activations' paths and both steps (the touched-row list of plain SGD); and a call that would touch bytes
// outside the memory throws and writes nothing.

const { data } = loadDataset(builtinMnistFiles());
afterAll(() => useNativeKernels(null));

function options(hidden: number): FastNetOptions {
  return {
    inputs: 784,
    hidden,
    maxBatch: 32,
    firstLayer: 'sparse',
    train: { images: data.trainImages, count: data.trainCount, only: null },
    validation: {
      images: Int32Array.from({ length: 300 }, (_, i) => 50_000 + i),
      labels: data.trainLabels.slice(50_000, 50_300),
    },
    test: { images: data.testImages, count: data.testCount },
    testLabels: data.testLabels,
    evalSlots: 2,
    evalChunk: 1000,
  };
}

/** 40 steps from seed's weights, then a test and a validation pass: everything the run computed. */
function train(hidden: number, act: 'relu' | 'tanh', loss: 'ce' | 'mse', d: number, seed: number) {
  const net = FastNet.create(options(hidden))!;
  const a = actCode(act);
  const l = lossCode(loss);
  initPyTorch(net.params, rngFor(seed, 'init'));
  const order = Int32Array.from({ length: 40 * 32 }, (_, i) => (i * 7919) % data.trainCount);
  const losses: number[] = [];
  for (let s = 0; s < 40; s++) {
    losses.push(net.lossGrad(a, l, data.trainLabels, order, s * 32, 32), net.correct);
    net.stepHeavyBall(0.05, d);
  }
  net.snapshot(1);
  for (const job of [net.evalJob(1, a, l), net.valJob(1, a, l)!])
    for (let f = 0; f < job.count; f += job.chunk) net.evalRows(job, f, Math.min(job.chunk, job.count - f));
  const { w1, b1, w2, b2 } = net.params;
  return {
    losses,
    w1: w1.slice(),
    b1: b1.slice(),
    w2: w2.slice(),
    b2: b2.slice(),
    ...net.evalResult(1),
    val: net.valResult(1),
  };
}

describe('native first-layer kernels', () => {
  it('are built and load on this machine (Linux with a C compiler: npm install builds them)', () => {
    const native = useNativeKernelsIfBuilt({});
    expect(nativeKernelsAbsent).toBeNull();
    expect(native).not.toBeNull();
    const avx2 = /\bavx2\b/.test(readFileSync('/proc/cpuinfo', 'utf8'));
    expect(native!.vectors).toBe(avx2 ? '256-bit (AVX2)' : '128-bit');
    useNativeKernelsIfBuilt({ MOMENTUM_KERNELS: 'wasm' });
    expect(nativeKernels()).toBeNull();
    expect(nativeKernelsAbsent).toBe('MOMENTUM_KERNELS=wasm');
  });

  it('train and evaluate bit for bit as the WebAssembly kernels', () => {
    for (const [hidden, act, loss, d] of [
      [64, 'relu', 'ce', 0.9],
      [64, 'relu', 'ce', 0],
      [37, 'tanh', 'mse', 0],
      [100, 'relu', 'ce', 0.5],
    ] as const) {
      useNativeKernels(null);
      const wasm = train(hidden, act, loss, d, hidden);
      expect(useNativeKernelsIfBuilt({})).not.toBeNull();
      const native = train(hidden, act, loss, d, hidden);
      expect(native, `hidden ${hidden}, ${act}/${loss}, d ${d}`).toEqual(wasm);
      expect(wasm.losses.every(Number.isFinite)).toBe(true);
    }
  });

  it('step as the WebAssembly step, bit for bit, overflow and NaN gradients included', () => {
    const native = useNativeKernelsIfBuilt({})!;
    useNativeKernels(null);
    const net = FastNet.create(options(64))!; // its kernels: WebAssembly alone
    const at = net.at;
    const n = 784 * 64 + 3; // past the vector loops' tails
    const rng = rngFor(5, 'step');
    const mem = new Uint8Array(net.memory.buffer);
    const f32 = (o: number) => new Float32Array(net.memory.buffer, o, n);
    for (const [lr, d, extreme] of [
      [0.1, 0, false],
      [0.05, 0.9, false],
      [1e30, 0.5, true],
      [0.3, 1.2, true],
    ] as const) {
      const fill = () => {
        for (const [o, scale] of [
          [at.p.w1, 0.1],
          [at.g.w1, 1],
          [at.v.w1, 0.01],
        ] as const) {
          const a = f32(o);
          for (let i = 0; i < n; i++) a[i] = (rng.nextFloat() - 0.5) * scale;
        }
        if (extreme) {
          const g = f32(at.g.w1);
          g[7] = 3e38;
          g[8] = NaN;
          g[n - 1] = -Infinity;
        }
        return mem.slice(at.p.w1, at.v.w1 + 4 * n);
      };
      const start = fill();
      const okWasm = net.k.step(at.p.w1, at.g.w1, at.v.w1, n, lr, d);
      const wasm = mem.slice(at.p.w1, at.v.w1 + 4 * n);
      mem.set(start, at.p.w1);
      const okNative = native.step(mem, at.p.w1, at.g.w1, at.v.w1, n, lr, d);
      expect(okNative ? 1 : 0, `lr ${lr} d ${d}`).toBe(okWasm);
      expect(okWasm).toBe(extreme ? 0 : 1);
      expect(Buffer.from(mem.slice(at.p.w1, at.v.w1 + 4 * n)).equals(Buffer.from(wasm)), `lr ${lr} d ${d}`).toBe(true);
    }
  });

  it('refuse a call that would touch bytes outside the memory, writing nothing', () => {
    const native = useNativeKernelsIfBuilt({})!;
    const net = FastNet.create(options(64))!;
    const at = net.at;
    const mem = new Uint8Array(net.memory.buffer);
    const before = mem.slice();
    const H = 64;
    const n = mem.byteLength;
    // Activations past the end; an image list past the end; a W1 offset whose rows would run past the end.
    expect(() =>
      native.gather(mem, n - 16, H, at.p.w1, at.p.b1, at.train.start, at.train.packed, at.unit, at.idx, 1),
    ).toThrow(RangeError);
    expect(() =>
      native.gather(mem, at.a, H, at.p.w1, at.p.b1, at.train.start, at.train.packed, at.unit, n - 2, 1),
    ).toThrow(RangeError);
    expect(() =>
      native.gather(mem, at.a, H, n - 1000, at.p.b1, at.train.start, at.train.packed, at.unit, at.idx, 1),
    ).toThrow(RangeError);
    expect(() =>
      native.scatter(
        mem,
        at.g.w1,
        H,
        at.dh,
        at.train.start,
        at.train.packed,
        at.unit,
        at.idx,
        1,
        n,
        at.list,
        at.listLen,
      ),
    ).toThrow(RangeError);
    expect(() => native.step(mem, n - 8, at.g.w1, at.v.w1, 4, 0.1, 0.9)).toThrow(RangeError);
    expect(() => native.step(mem, at.p.w1, at.g.w1, n - 8, 4, 0.1, 0.9)).toThrow(RangeError);
    new DataView(net.memory.buffer).setInt32(at.listLen, 1, true);
    new DataView(net.memory.buffer).setInt32(at.list, n, true); // a listed row past the end
    expect(() => native.stepRows(mem, at.p.w1, at.g.w1, at.v.w1, H, 0.1, 0, at.mark, at.list, at.listLen)).toThrow(
      RangeError,
    );
    new DataView(net.memory.buffer).setInt32(at.listLen, 0, true);
    new DataView(net.memory.buffer).setInt32(at.list, 0, true);
    // The second image of a batch forged (past the start table): refused before the first is touched.
    new DataView(net.memory.buffer).setInt32(at.idx + 4, 1 << 30, true);
    const second = mem.slice();
    expect(() =>
      native.gather(mem, at.a, H, at.p.w1, at.p.b1, at.train.start, at.train.packed, at.unit, at.idx, 2),
    ).toThrow(RangeError);
    expect(() =>
      native.scatter(
        mem,
        at.g.w1,
        H,
        at.dh,
        at.train.start,
        at.train.packed,
        at.unit,
        at.idx,
        2,
        at.mark,
        at.list,
        at.listLen,
      ),
    ).toThrow(RangeError);
    expect(Buffer.from(mem).equals(Buffer.from(second))).toBe(true);
    new DataView(net.memory.buffer).setInt32(at.idx + 4, 0, true);
    // An image number past the start table.
    new DataView(net.memory.buffer).setInt32(at.idx, 1 << 30, true);
    const forged = mem.slice();
    expect(() =>
      native.gather(mem, at.a, H, at.p.w1, at.p.b1, at.train.start, at.train.packed, at.unit, at.idx, 1),
    ).toThrow(RangeError);
    expect(Buffer.from(mem).equals(Buffer.from(forged))).toBe(true);
    new DataView(net.memory.buffer).setInt32(at.idx, 0, true);
    expect(Buffer.from(mem).equals(Buffer.from(before))).toBe(true);
    // Not a byte view of the memory, or a count that is not a whole number: a TypeError.
    expect(() => native.gather(new Float32Array(4) as unknown as Uint8Array, 0, H, 0, 0, 0, 0, 0, 0, 1)).toThrow(
      TypeError,
    );
    expect(() =>
      native.gather(mem, at.a, H, at.p.w1, at.p.b1, at.train.start, at.train.packed, at.unit, at.idx, 1.5),
    ).toThrow(TypeError);
  });
});
