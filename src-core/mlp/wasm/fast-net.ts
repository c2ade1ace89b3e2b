import { GREY_TO_UNIT, type SparseImages } from '../../data/sparse-images';
import type { ActCode } from '../activation';
import type { LossCode } from '../loss';
import type { MlpParams } from '../params';
import { lossGradBatch } from '../sparse-backward';
import type { Workspace } from '../workspace';
import { createSharedMemory, instantiate, kernelsModule, type KernelExports, type WasmMemory, type WasmModule } from './instance';

// One run's network, data and scratch laid out in a single fixed-size shared
// WebAssembly memory, driven by the SIMD kernels of assembly/kernels.ts. The
// parameters and gradients are Float32Array views into that memory, so the
// TypeScript optimizers (Adam, Nesterov) and the finiteness probes work on
// them unchanged. Evaluation runs on a snapshot of the weights in one of a few
// slots, so a worker thread can evaluate while this thread trains.

/** Where one evaluation's inputs and outputs live (byte offsets): what an eval worker needs to run forward() on it. */
export interface EvalJob {
  slot: number;
  a: number;
  z: number;
  H: number;
  w1: number;
  b1: number;
  w2: number;
  b2: number;
  start: number;
  index: number;
  grey: number;
  unit: number;
  idx: number;
  count: number;
  chunk: number;
  act: number;
}

interface SparseAt {
  start: number;
  index: number;
  grey: number;
  count: number;
}

interface ParamsAt {
  w1: number;
  b1: number;
  w2: number;
  b2: number;
}

const PAGE = 65536;

class Layout {
  top = PAGE; // the first page is left to the compiler's statics
  take(bytes: number): number {
    const at = this.top;
    this.top += Math.ceil(bytes / 16) * 16;
    return at;
  }
}

export interface FastNetOptions {
  inputs: number;
  hidden: number;
  maxBatch: number;
  train: SparseImages;
  test: SparseImages;
  /** Snapshots of the weights that can be under evaluation at once. */
  evalSlots: number;
  /** Test images per forward() call of an evaluation. */
  evalChunk: number;
}

export class FastNet {
  readonly module: WasmModule;
  readonly memory: WasmMemory;
  readonly k: KernelExports;
  readonly params: MlpParams;
  readonly grads: MlpParams;
  readonly inputs: number;
  readonly hidden: number;
  readonly maxBatch: number;
  readonly testCount: number;
  readonly evalChunk: number;
  private readonly at: {
    unit: number; p: ParamsAt; g: ParamsAt; v: ParamsAt; train: SparseAt; test: SparseAt; testIdx: number;
    idx: number; a: number; z: number; dz: number; dh: number; mark: number; list: number; listLen: number;
    slots: { p: ParamsAt; a: number; z: number }[];
  };
  private readonly paramBytes: number;
  private readonly idxView: Int32Array;
  private readonly zView: Float32Array;
  private readonly dzView: Float32Array;
  private readonly u8: Uint8Array;

  /** null where the host lacks WebAssembly SIMD or shared memory. */
  static create(o: FastNetOptions): FastNet | null {
    const module = kernelsModule();
    return module ? new FastNet(module, o) : null;
  }

  private constructor(module: WasmModule, o: FastNetOptions) {
    const { inputs: I, hidden: H, maxBatch: B } = o;
    for (const [name, v] of [['inputs', I], ['hidden', H], ['maxBatch', B], ['evalSlots', o.evalSlots], ['evalChunk', o.evalChunk]] as const) {
      if (!Number.isInteger(v) || v < 1) throw new RangeError(`FastNet: ${name} must be a positive integer, got ${v}`);
    }
    if (o.train.pixels !== I || o.test.pixels !== I) throw new RangeError(`FastNet: images have ${o.train.pixels}/${o.test.pixels} pixels, the network ${I} inputs`);
    this.module = module;
    this.inputs = I;
    this.hidden = H;
    this.maxBatch = B;
    this.testCount = o.test.count;
    this.evalChunk = Math.min(o.evalChunk, o.test.count);
    const L = new Layout();
    const params = (): ParamsAt => {
      const w1 = L.take(I * H * 4);
      const b1 = L.take(H * 4);
      const w2 = L.take(10 * H * 4);
      const b2 = L.take(40);
      return { w1, b1, w2, b2 };
    };
    const sparse = (s: SparseImages): SparseAt => ({ start: L.take((s.count + 1) * 4), index: L.take(s.index.length * 2), grey: L.take(s.grey.length), count: s.count });
    const unit = L.take(256 * 4);
    const p = params();
    this.paramBytes = L.top - p.w1;
    const g = params();
    const v = params();
    const train = sparse(o.train);
    const test = sparse(o.test);
    const testIdx = L.take(o.test.count * 4);
    const idx = L.take(B * 4);
    const a = L.take(B * H * 4);
    const z = L.take(B * 40);
    const dz = L.take(B * 40);
    const dh = L.take(B * H * 4);
    const mark = L.take(I);
    const list = L.take(I * 4);
    const listLen = L.take(4);
    const slots = Array.from({ length: o.evalSlots }, () => ({ p: params(), a: L.take(this.evalChunk * H * 4), z: L.take(o.test.count * 40) }));
    this.at = { unit, p, g, v, train, test, testIdx, idx, a, z, dz, dh, mark, list, listLen, slots };

    this.memory = createSharedMemory(Math.ceil(L.top / PAGE));
    this.k = instantiate(module, this.memory);
    const buf = this.memory.buffer;
    const f32 = (at: number, n: number) => new Float32Array(buf, at, n);
    const view = (q: ParamsAt): MlpParams => ({ inputs: I, hidden: H, outputs: 10, w1: f32(q.w1, I * H), b1: f32(q.b1, H), w2: f32(q.w2, 10 * H), b2: f32(q.b2, 10) });
    this.params = view(p);
    this.grads = view(g);
    this.u8 = new Uint8Array(buf);
    f32(unit, 256).set(GREY_TO_UNIT);
    for (const [s, q] of [[o.train, train], [o.test, test]] as const) {
      new Int32Array(buf, q.start, s.count + 1).set(s.start);
      new Uint16Array(buf, q.index, s.index.length).set(s.index);
      this.u8.set(s.grey, q.grey);
    }
    const ti = new Int32Array(buf, testIdx, o.test.count);
    for (let i = 0; i < ti.length; i++) ti[i] = i;
    this.idxView = new Int32Array(buf, idx, B);
    this.zView = f32(z, B * 10);
    this.dzView = f32(dz, B * 10);
  }

  /**
   * One mini-batch of training images order[from .. from+count): forward, loss head (float64, as the
   * TypeScript path), backward into this.grads. Returns the mean loss; ws.correct = right answers.
   * ws is a TypeScript workspace used for the loss head only (its z and dz).
   */
  lossGrad(act: ActCode, loss: LossCode, labels: Uint8Array, order: Int32Array, from: number, count: number, ws: Workspace): number {
    if (!Number.isInteger(count) || count < 1 || count > this.maxBatch || count > ws.maxBatch) throw new RangeError(`FastNet.lossGrad: count must be in [1, ${this.maxBatch}], got ${count}`);
    if (!Number.isInteger(from) || from < 0 || from + count > order.length) throw new RangeError('FastNet.lossGrad: rows outside the order');
    const t = this.at.train;
    for (let b = 0; b < count; b++) {
      const n = order[from + b];
      if (!(n >= 0 && n < t.count)) throw new RangeError(`FastNet.lossGrad: image index ${n} out of range`);
      this.idxView[b] = n;
    }
    const { p, g } = this.at;
    const H = this.hidden;
    this.k.forward(this.at.a, this.at.z, H, p.w1, p.b1, p.w2, p.b2, t.start, t.index, t.grey, this.at.unit, this.at.idx, count, act);
    const zv = this.zView;
    const wz = ws.z;
    for (let i = 0; i < count * 10; i++) wz[i] = zv[i];
    const l = lossGradBatch(loss, labels, order, from, count, ws);
    const dzv = this.dzView;
    const wdz = ws.dz;
    for (let i = 0; i < count * 10; i++) dzv[i] = wdz[i];
    this.k.backward(this.at.a, this.at.dz, this.at.dh, H, p.w2, g.w1, g.b1, g.w2, g.b2, t.start, t.index, t.grey, this.at.unit, this.at.idx, count, act, this.at.mark, this.at.list, this.at.listLen);
    return l;
  }

  /**
   * Heavy-ball step (v <- d*v - lr*g; w <- w + v; bit for bit as HeavyBall.step) on every parameter, and zeroes the
   * gradients. With d = 0 only the rows of w1 the last backward touched are visited (the others have g = 0 and do not change).
   * Returns false if some parameter became non-finite.
   */
  stepHeavyBall(lr: number, d: number): boolean {
    const { p, g, v, mark, list, listLen } = this.at;
    const H = this.hidden;
    let ok = d === 0 ? this.k.stepRows(p.w1, g.w1, v.w1, H, lr, d, mark, list, listLen) : (this.k.clearRows(mark, list, listLen), this.k.step(p.w1, g.w1, v.w1, this.inputs * H, lr, d));
    ok &= this.k.step(p.b1, g.b1, v.b1, H, lr, d);
    ok &= this.k.step(p.w2, g.w2, v.w2, 10 * H, lr, d);
    ok &= this.k.step(p.b2, g.b2, v.b2, 10, lr, d);
    return ok === 1;
  }

  /** After another optimizer stepped on this.params from this.grads: zeroes the first-layer gradient for the next backward. */
  clearGrads(): void {
    this.grads.w1.fill(0);
    this.k.clearRows(this.at.mark, this.at.list, this.at.listLen);
  }

  /** Copies the current weights into evaluation slot s. */
  snapshot(slot: number): void {
    const s = this.slot(slot);
    this.u8.copyWithin(s.p.w1, this.at.p.w1, this.at.p.w1 + this.paramBytes);
  }

  /** The forward() calls of a full test pass on slot s's weights (run by evalForward here, or by an eval worker thread). */
  evalJob(slot: number, act: ActCode): EvalJob {
    const s = this.slot(slot);
    const t = this.at.test;
    return { slot, a: s.a, z: s.z, H: this.hidden, ...s.p, start: t.start, index: t.index, grey: t.grey, unit: this.at.unit, idx: this.at.testIdx, count: t.count, chunk: this.evalChunk, act };
  }

  /** Runs forward() on test images [from, from+count) of job on this thread. */
  evalForward(job: EvalJob, from: number, count: number): void {
    if (!Number.isInteger(from) || !Number.isInteger(count) || from < 0 || count < 1 || count > job.chunk || from + count > job.count) throw new RangeError('FastNet.evalForward: rows out of range');
    this.k.forward(job.a, job.z + from * 40, job.H, job.w1, job.b1, job.w2, job.b2, job.start, job.index, job.grey, job.unit, job.idx + from * 4, count, job.act);
  }

  /** Slot s's test logits (testCount x 10), valid once its evaluation ran. */
  logits(slot: number): Float32Array {
    return new Float32Array(this.memory.buffer, this.slot(slot).z, this.testCount * 10);
  }

  get slots(): number {
    return this.at.slots.length;
  }

  private slot(s: number) {
    const r = this.at.slots[s];
    if (!r) throw new RangeError(`FastNet: no evaluation slot ${s}`);
    return r;
  }
}

/** Runs evaluation jobs of one FastNet on another thread (src-core/node/eval-thread.ts); jobs finish in the order given. */
export interface EvalRunner {
  run(job: EvalJob): Promise<void>;
  close(): void;
}
