import { GREY_TO_UNIT } from '../../data/sparse-images';
import type { ActCode } from '../activation';
import type { LossCode } from '../loss';
import type { MlpParams } from '../params';
import { evalRows } from './eval-rows';
import {
  createSharedMemory,
  instantiate,
  kernelsModule,
  type KernelExports,
  type WasmMemory,
  type WasmModule,
} from './instance';

// One run's network, data and scratch laid out in a single fixed-size shared
// WebAssembly memory, driven by the SIMD kernels of assembly/kernels.ts. The
// parameters and gradients are Float32Array views into that memory, so the
// TypeScript optimizers (Adam, Nesterov) and the finiteness probes work on
// them unchanged. Evaluation runs on a snapshot of the weights in one of a few
// slots, so a worker thread can evaluate while this thread trains; the slot
// also receives the evaluation's results (probabilities, predictions,
// confusion counts, summed loss), computed by the same thread.

/** Where an evaluation slot's results go (byte offsets): probabilities, predictions, confidences, confusion counts, summed loss and right answers (out), and its scratch (pr). */
export interface SlotOutputs {
  probs: number;
  predicted: number;
  confidence: number;
  confusion: number;
  out: number;
  pr: number;
}

/**
 * Where one evaluation's inputs and outputs live (byte offsets): what an eval worker needs to run it, chunk by
 * chunk: the forward pass of rows [from, from + n) (forward on the packed nonzeros, or forwardDense on the grey
 * bytes when `dense` is not 0), then evalHead(z, y, from, n, loss, probs, predicted, confidence, confusion, out, pr)
 * (see FastNet.evalRows, the one implementation an eval thread must mirror).
 */
export interface EvalJob extends SlotOutputs {
  slot: number;
  a: number;
  z: number;
  H: number;
  w1: number;
  b1: number;
  w2: number;
  b2: number;
  start: number;
  packed: number;
  unit: number;
  idx: number;
  count: number;
  chunk: number;
  act: number;
  loss: number;
  /** Test labels (u8 each). */
  y: number;
  /** Dense first layer: where the images' grey bytes start (0: the sparse kernels on start/packed). */
  dense: number;
  /** Pixels per image (the dense kernels' I). */
  inputs: number;
  /** The dense kernels' scratch for one widened group of four images (inputs * GROUP_BYTES_PER_PIXEL bytes). */
  xs: number;
}

/** The first-layer kernels of a FastNet: over each image's nonzero pixels, or every pixel, four images at a time. */
export type FirstLayer = 'sparse' | 'dense';

/**
 * From this fraction of nonzero pixels in the training images on, `firstLayer: 'auto'` takes the dense kernels.
 * Measured by bench/first-layer-bench.ts (docs/PERFORMANCE.md, "Dense first layer"): at MNIST's 19 % the dense
 * training step costs 2.2x the sparse one, at Fashion-MNIST's 50 % 1.05x (a test pass 1.2x); the cost of the
 * sparse kernels grows with the nonzeros, the dense ones' does not, so they cross at about 55-60 %.
 */
export const DENSE_FROM_NONZERO = 0.6;

/** A finished evaluation read out of its slot (fresh arrays, free to send away). */
export interface EvalResult {
  predicted: Uint8Array;
  confidence: Float32Array;
  probs: Float32Array;
  confusion: Int32Array;
  /** Sum of the per-image losses, chunk sums added in order (as accumulateEval sums them). */
  lossSum: number;
  correct: number;
}

interface SparseAt {
  start: number;
  packed: number;
  count: number;
}

/** Grey-level images (count x pixels bytes), of which only `only` (image numbers) are used if given. */
export interface ImageSet {
  images: Uint8Array;
  count: number;
  only?: ArrayLike<number> | null;
}

interface ParamsAt {
  w1: number;
  b1: number;
  w2: number;
  b2: number;
}

const PAGE = 65536;
/** Ten f32 logits (or probabilities) of one image. */
export const LOGITS_BYTES = 10 * 4;
/** A slot's `out`: the summed loss (f64) and the right answers (i32), padded to 16. */
const OUT_BYTES = 16;
/** The loss heads' scratch: ten f64 probabilities. */
const PR_BYTES = 10 * 8;
/** The 10 x 10 i32 confusion counts. */
const CONFUSION_BYTES = 10 * 10 * 4;
/** Scratch of one widened group of the dense kernels: four images' values per pixel, each splat over 4 f32 lanes. */
const GROUP_BYTES_PER_PIXEL = 4 * 16;

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
  /** Encoded into the memory by the kernels (nonzero pixels only); images outside `only` are left empty. */
  train: ImageSet;
  test: ImageSet;
  /** The test set's labels (0..9), one per test image. */
  testLabels: Uint8Array;
  /** Snapshots of the weights that can be under evaluation at once. */
  evalSlots: number;
  /** Test images per forward() call of an evaluation. */
  evalChunk: number;
  /**
   * Optional validation set: image numbers into the training set (encoded apart, contiguous, whether or not
   * `train.only` holds them) and their labels. Each slot then also holds a validation pass (valJob, valResult).
   */
  validation?: { images: Int32Array; labels: Uint8Array } | null;
  /**
   * The first layer's kernels: 'sparse' (packed nonzero pixels), 'dense' (grey bytes, register-tiled over four
   * images) or 'auto' (default): dense when the training images' nonzero fraction is at least DENSE_FROM_NONZERO.
   * Both give the same numbers (see assembly/kernels.ts); only speed and memory differ.
   */
  firstLayer?: FirstLayer | 'auto';
  /**
   * K models side by side (default 1; src-core/mlp/wasm/batched-net.ts drives them): `hidden` is then their total
   * width K * H, W1, b1, w2 and the batch's hidden rows hold model 0's H units, then model 1's, ..., and the per-model
   * pieces (b2, logits, dz, a slot's results) are K times as large. Only the sparse first layer; lossGrad,
   * stepHeavyBall, snapshot and the evaluation jobs are single-model only.
   */
  models?: number;
  /**
   * Optional: a memory to build in instead of a new one, that of a net no longer used (a trainer process serving
   * several runs: src-core/mlp/wasm/net-keeper.ts). It is zeroed and grown as needed, so the net is as in a new
   * memory, and the process holds one memory instead of one per net it built.
   */
  memory?: WasmMemory;
}

export class FastNet {
  readonly module: WasmModule;
  readonly memory: WasmMemory;
  readonly k: KernelExports;
  readonly params: MlpParams;
  readonly grads: MlpParams;
  readonly inputs: number;
  readonly hidden: number;
  /** Models side by side (FastNetOptions.models). */
  readonly models: number;
  readonly maxBatch: number;
  readonly trainCount: number;
  readonly testCount: number;
  /** Validation images (0: none). */
  readonly valCount: number;
  /** Whether setValidation can give this net another validation split (every training image is packed). */
  readonly validationSwappable: boolean;
  readonly evalChunk: number;
  /** Right answers in the last lossGrad's batch. */
  correct = 0;
  /** The first-layer kernels in use. */
  readonly firstLayer: FirstLayer;
  /** Fraction of nonzero pixels in the training images used (the subset's, with `train.only`). */
  readonly nonzeroFraction: number;
  /** Where everything lies in the memory (byte offsets); BatchedNet drives the kernels on them. */
  readonly at: {
    unit: number;
    p: ParamsAt;
    g: ParamsAt;
    v: ParamsAt;
    train: SparseAt;
    test: SparseAt;
    testIdx: number;
    testY: number;
    idx: number;
    y: number;
    a: number;
    z: number;
    dz: number;
    dh: number;
    mark: number;
    list: number;
    listLen: number;
    hyper: number;
    okFlags: number;
    head: number;
    pr: number;
    valIdx: number;
    valY: number;
    valAt: SparseAt;
    slots: Slot[];
    xs: number;
    trainDense: number;
    testDense: number;
  };
  /** Dense first layer: image number in the training file -> its place among the kept grey images (-1: not kept). */
  private readonly denseSlot: Int32Array | null;
  private readonly paramBytes: number;
  private readonly idxView: Int32Array;
  private readonly yView: Uint8Array;
  private readonly headView: DataView;
  private readonly u8: Uint8Array;
  /** The bytes a run writes (everything below the images but the data set up once): [from, to) ranges, for resetRun. */
  private readonly runBytes: [number, number][];

  /** null where the host lacks WebAssembly SIMD or shared memory, or the first layer is too large for packed row offsets. */
  static create(o: FastNetOptions): FastNet | null {
    const module = kernelsModule();
    return module && o.inputs * o.hidden * 4 < 1 << 24 ? new FastNet(module, o) : null;
  }

  private constructor(module: WasmModule, o: FastNetOptions) {
    const { inputs: I, hidden: H, maxBatch: B } = o;
    const K = o.models ?? 1;
    for (const [name, v] of [
      ['inputs', I],
      ['hidden', H],
      ['models', K],
      ['maxBatch', B],
      ['evalSlots', o.evalSlots],
      ['evalChunk', o.evalChunk],
    ] as const) {
      if (!Number.isInteger(v) || v < 1) throw new RangeError(`FastNet: ${name} must be a positive integer, got ${v}`);
    }
    for (const [name, set] of [
      ['train', o.train],
      ['test', o.test],
    ] as const) {
      if (!Number.isInteger(set.count) || set.count < 1 || set.images.length !== set.count * I)
        throw new RangeError(`FastNet: ${name} images hold ${set.images.length} bytes, expected ${set.count} x ${I}`);
    }
    if (o.testLabels.length !== o.test.count || !o.testLabels.every((y) => y < 10))
      throw new RangeError(`FastNet: expected ${o.test.count} test labels in 0..9`);
    const val = o.validation ?? null;
    if (val) checkValidation(val, o.train.count);
    if (H % K !== 0) throw new RangeError(`FastNet: hidden ${H} is not a multiple of models ${K}`);
    if (K > 1 && o.firstLayer !== 'sparse') throw new RangeError("FastNet: several models need firstLayer 'sparse'");
    this.module = module;
    this.models = K;
    this.inputs = I;
    this.hidden = H;
    this.maxBatch = B;
    this.trainCount = o.train.count;
    this.testCount = o.test.count;
    this.valCount = val ? val.images.length : 0;
    this.evalChunk = Math.min(o.evalChunk, o.test.count);
    const L = new Layout();
    const params = (): ParamsAt => {
      const w1 = L.take(I * H * 4);
      const b1 = L.take(H * 4);
      const w2 = L.take(10 * H * 4);
      const b2 = L.take(40 * K);
      return { w1, b1, w2, b2 };
    };
    const unit = L.take(256 * 4);
    const p = params();
    this.paramBytes = L.top - p.w1;
    const g = params();
    const v = params();
    const trainStart = L.take((o.train.count + 1) * 4);
    const testStart = L.take((o.test.count + 1) * 4);
    // Where the training set is a subset (`train.only`), the validation images (outside it) get their own packed
    // copy, indexed by their number in the training file. Where every training image is packed, the validation pass
    // reads its images from that pack: the same bytes, so the same numbers, and a run with another validation split
    // of the same size can reuse this net (setValidation) instead of packing every image again.
    const valSet: ImageSet | null =
      val && o.train.only ? { images: o.train.images, count: o.train.count, only: val.images } : null;
    this.validationSwappable = !o.train.only;
    const valStart = valSet ? L.take((o.train.count + 1) * 4) : 0;
    const testIdx = L.take(o.test.count * 4);
    const testY = L.take(o.test.count);
    const idx = L.take(B * 4);
    const y = L.take(B);
    const head = L.take(OUT_BYTES);
    const pr = L.take(PR_BYTES);
    const a = L.take(B * H * 4);
    const z = L.take(B * LOGITS_BYTES * K);
    const dz = L.take(B * LOGITS_BYTES * K);
    const dh = L.take(B * H * 4);
    const mark = L.take(I * H);
    const list = L.take(I * 4);
    const listLen = L.take(4);
    // Per model: its (lr, d) as two f64 and its finite flag (i32), for the several-model step (BatchedNet).
    const hyper = L.take(K * 16);
    const okFlags = L.take(K * 4);
    const xs = L.take(Math.ceil(B / 4) * I * GROUP_BYTES_PER_PIXEL);
    const T = o.test.count;
    const V = this.valCount;
    const valIdx = L.take(V * 4);
    const valY = L.take(V);
    const outputs = (n: number): SlotOutputs & { z: number } => ({
      z: L.take(n * LOGITS_BYTES * K),
      probs: L.take(n * LOGITS_BYTES * K),
      predicted: L.take(n * K),
      confidence: L.take(n * 4 * K),
      confusion: L.take(CONFUSION_BYTES * K),
      out: L.take(OUT_BYTES * K),
      pr: L.take(PR_BYTES),
    });
    const slots = Array.from({ length: o.evalSlots }, (): Slot => ({
      p: params(),
      a: L.take(this.evalChunk * H * 4),
      xs: L.take(I * GROUP_BYTES_PER_PIXEL),
      ...outputs(T),
      val: V > 0 ? outputs(V) : null,
    }));
    const SCRATCH_IMAGES = 1024;
    const scratch = L.take(SCRATCH_IMAGES * I);
    const counts = L.take(SCRATCH_IMAGES * 4);
    const fixedTop = L.top;
    // What resetRun keeps: the tables the constructor writes once (grey levels, image starts, test and validation
    // indices and labels); every other byte below the images is the run's and starts at zero.
    const kept: [number, number][] = [
      [unit, 256 * 4],
      [trainStart, (o.train.count + 1) * 4],
      [testStart, (o.test.count + 1) * 4],
      [valStart, valSet ? (o.train.count + 1) * 4 : 0],
      [testIdx, o.test.count * 4],
      [testY, o.test.count],
      [valIdx, this.valCount * 4],
      [valY, this.valCount],
    ];
    kept.sort((x, y) => x[0] - y[0]);
    this.runBytes = [];
    let from = PAGE;
    for (const [at, bytes] of kept) {
      if (at > from) this.runBytes.push([from, at]);
      from = Math.max(from, at + bytes);
    }
    this.runBytes.push([from, fixedTop]);

    // The memory grows once, after counting the nonzero pixels, to hold the images packed or as grey bytes
    // (maximum: 4 GiB of address space).
    this.memory = o.memory ? zeroedMemory(o.memory, fixedTop) : createSharedMemory(Math.ceil(fixedTop / PAGE), 65536);
    this.k = instantiate(module, this.memory);
    const u8 = () => new Uint8Array(this.memory.buffer);
    const i32 = (at: number, n: number) => new Int32Array(this.memory.buffer, at, n);
    // Streams the chosen images through the scratch area, SCRATCH_IMAGES at a time: fn(first image, how many, image numbers).
    const chunks = (set: ImageSet, fn: (numbers: Int32Array, n: number) => void) => {
      const list = set.only ? Int32Array.from(set.only).sort() : null;
      const total = list ? list.length : set.count;
      for (let c = 0; c < total; c += SCRATCH_IMAGES) {
        const n = Math.min(SCRATCH_IMAGES, total - c);
        const numbers = list ? list.subarray(c, c + n) : Int32Array.from({ length: n }, (_, i) => c + i);
        const mem = u8();
        if (list) {
          for (let i = 0; i < n; i++) {
            const k = numbers[i];
            if (!(k >= 0 && k < set.count)) throw new RangeError(`FastNet: image ${k} is outside [0, ${set.count})`);
            mem.set(set.images.subarray(k * I, (k + 1) * I), scratch + i * I);
          }
        } else {
          mem.set(set.images.subarray(c * I, (c + n) * I), scratch);
        }
        fn(numbers, n);
      }
    };
    // Nonzero pixels per image (0 for images outside the set's `only`).
    const nonzeros = (set: ImageSet): Int32Array => {
      const per = new Int32Array(set.count);
      chunks(set, (numbers, n) => {
        this.k.countNonzero(scratch, n, I, counts);
        const c = i32(counts, n);
        for (let i = 0; i < n; i++) per[numbers[i]] = c[i];
      });
      return per;
    };
    const trainNonzeros = nonzeros(o.train);
    const used = o.train.only ? new Set(Array.from(o.train.only)).size : o.train.count;
    let nz = 0;
    for (const c of trainNonzeros) nz += c;
    this.nonzeroFraction = nz / (used * I);
    const mode = o.firstLayer ?? 'auto';
    this.firstLayer = mode === 'auto' ? (this.nonzeroFraction >= DENSE_FROM_NONZERO ? 'dense' : 'sparse') : mode;

    let trainPacked = 0;
    let testPacked = 0;
    let valPacked = 0;
    let trainDense = 0;
    let testDense = 0;
    let denseSlot: Int32Array | null = null;
    if (this.firstLayer === 'sparse') {
      const starts: Int32Array[] = [];
      const perSet: [ImageSet, number, Int32Array][] = [
        [o.train, trainStart, trainNonzeros],
        [o.test, testStart, nonzeros(o.test)],
        ...(valSet ? [[valSet, valStart, nonzeros(valSet)] as [ImageSet, number, Int32Array]] : []),
      ];
      for (const [set, at, per] of perSet) {
        const st = new Int32Array(set.count + 1);
        for (let k = 0; k < set.count; k++) st[k + 1] = st[k] + per[k];
        starts.push(st);
        i32(at, set.count + 1).set(st);
      }
      trainPacked = L.take(starts[0][o.train.count] * 4);
      testPacked = L.take(starts[1][o.test.count] * 4);
      valPacked = valSet ? L.take(starts[2][o.train.count] * 4) : 0;
      const pages = Math.ceil(L.top / PAGE) - this.memory.buffer.byteLength / PAGE;
      if (pages > 0) this.memory.grow(pages);
      const packs: [ImageSet, Int32Array, number][] = [
        [o.train, starts[0], trainPacked],
        [o.test, starts[1], testPacked],
        ...(valSet ? [[valSet, starts[2], valPacked] as [ImageSet, Int32Array, number]] : []),
      ];
      for (const [set, st, packed] of packs) {
        chunks(set, (numbers, n) => {
          const s = i32(counts, n);
          for (let i = 0; i < n; i++) s[i] = st[numbers[i]];
          this.k.packNonzero(scratch, n, I, H * 4, counts, packed);
        });
      }
    } else {
      // Grey bytes of the training images used (the subset and the validation images, in file order) and of the
      // test set.
      const keep = new Uint8Array(o.train.count);
      const only = o.train.only;
      if (only) for (let i = 0; i < only.length; i++) keep[only[i]] = 1;
      else keep.fill(1);
      if (val) for (const k of val.images) keep[k] = 1;
      denseSlot = new Int32Array(o.train.count).fill(-1);
      let kept = 0;
      for (let k = 0; k < o.train.count; k++) if (keep[k]) denseSlot[k] = kept++;
      trainDense = L.take(kept * I);
      testDense = L.take(T * I);
      const pages = Math.ceil(L.top / PAGE) - this.memory.buffer.byteLength / PAGE;
      if (pages > 0) this.memory.grow(pages);
      const mem = u8();
      if (kept === o.train.count) mem.set(o.train.images, trainDense);
      else {
        for (let k = 0; k < o.train.count; k++) {
          if (keep[k]) mem.set(o.train.images.subarray(k * I, (k + 1) * I), trainDense + denseSlot[k] * I);
        }
      }
      mem.set(o.test.images, testDense);
    }
    this.denseSlot = denseSlot;
    const train = { start: trainStart, packed: trainPacked, count: o.train.count };
    const test = { start: testStart, packed: testPacked, count: o.test.count };
    const valAt = valSet ? { start: valStart, packed: valPacked, count: o.train.count } : train;
    this.at = {
      unit,
      p,
      g,
      v,
      train,
      test,
      testIdx,
      testY,
      idx,
      y,
      a,
      z,
      dz,
      dh,
      mark,
      list,
      listLen,
      hyper,
      okFlags,
      head,
      pr,
      valIdx,
      valY,
      valAt,
      slots,
      xs,
      trainDense,
      testDense,
    };

    const buf = this.memory.buffer;
    const f32 = (at: number, n: number) => new Float32Array(buf, at, n);
    const view = (q: ParamsAt): MlpParams => ({
      inputs: I,
      hidden: H,
      outputs: 10,
      w1: f32(q.w1, I * H),
      b1: f32(q.b1, H),
      w2: f32(q.w2, 10 * H),
      b2: f32(q.b2, 10),
    });
    this.params = view(p);
    this.grads = view(g);
    this.u8 = new Uint8Array(buf);
    f32(unit, 256).set(GREY_TO_UNIT);
    const ti = new Int32Array(buf, testIdx, o.test.count);
    for (let i = 0; i < ti.length; i++) ti[i] = i;
    this.u8.set(o.testLabels, testY);
    if (val) this.writeValidation(val);
    this.idxView = new Int32Array(buf, idx, B);
    this.yView = new Uint8Array(buf, y, B);
    this.headView = new DataView(buf, head, OUT_BYTES);
  }

  /**
   * Zeroes everything a run writes (weights, gradients, velocities, scratch, touched-row marks and list, evaluation
   * slots), keeping the packed images and the tables set up once: the memory is then as this constructor left it,
   * and the same options give the same numbers as a new FastNet (a trainer process reuses its net across runs).
   */
  resetRun(): void {
    for (const [from, to] of this.runBytes) this.u8.fill(0, from, to);
    this.correct = 0;
  }

  /**
   * Takes another validation split of the same size (after resetRun, for a run with another seed): only possible
   * where every training image is packed (validationSwappable), since the validation pass then reads its images
   * from the training pack. The same numbers as a new FastNet built with this split.
   */
  setValidation(val: { images: Int32Array; labels: Uint8Array }): void {
    if (!this.validationSwappable) throw new RangeError('FastNet: the validation images have their own packed copy');
    if (val.images.length !== this.valCount)
      throw new RangeError(`FastNet: expected ${this.valCount} validation images, got ${val.images.length}`);
    checkValidation(val, this.trainCount);
    this.writeValidation(val);
  }

  /** The validation pass's image numbers (dense kernels: the kept grey bytes' slots) and labels. */
  private writeValidation(val: { images: Int32Array; labels: Uint8Array }): void {
    const slots = this.denseSlot;
    new Int32Array(this.memory.buffer, this.at.valIdx, this.valCount).set(
      slots ? val.images.map((k) => slots[k]) : val.images,
    );
    this.u8.set(val.labels, this.at.valY);
  }

  /**
   * One mini-batch of training images order[from .. from+count) with labels[image]: forward, the loss head (in
   * float64, bit for bit as lossGradBatch), backward into this.grads. Returns the mean loss; this.correct = right answers.
   */
  lossGrad(act: ActCode, loss: LossCode, labels: Uint8Array, order: Int32Array, from: number, count: number): number {
    this.single('lossGrad');
    this.setBatch(labels, order, from, count);
    const t = this.at.train;
    const { p, g, a, z, dz, dh, head, xs } = this.at;
    const H = this.hidden;
    const I = this.inputs;
    const { unit, idx, trainDense } = this.at;
    const dense = this.denseSlot !== null;
    if (dense) this.k.forwardDense(a, z, H, p.w1, p.b1, p.w2, p.b2, trainDense, I, unit, idx, count, act, xs, 1);
    else this.k.forward(a, z, H, p.w1, p.b1, p.w2, p.b2, t.start, t.packed, unit, idx, count, act);
    this.k.trainHead(z, this.at.y, count, loss, dz, this.at.pr, head);
    const { mark, list, listLen } = this.at;
    if (dense) this.k.backwardDense(a, dz, dh, H, p.w2, g.w1, g.b1, g.w2, g.b2, xs, I, count, act);
    else {
      this.k.backward(
        a,
        dz,
        dh,
        H,
        p.w2,
        g.w1,
        g.b1,
        g.w2,
        g.b2,
        t.start,
        t.packed,
        unit,
        idx,
        count,
        act,
        mark,
        list,
        listLen,
      );
    }
    this.correct = this.headView.getInt32(8, true);
    return this.headView.getFloat64(0, true);
  }

  /**
   * Puts the mini-batch order[from .. from+count) into the kernels' index and label rows (checked: each image in the
   * training set and among the images given, each label in 0..9).
   */
  setBatch(labels: Uint8Array, order: Int32Array, from: number, count: number): void {
    if (!Number.isInteger(count) || count < 1 || count > this.maxBatch)
      throw new RangeError(`FastNet: batch size must be in [1, ${this.maxBatch}], got ${count}`);
    if (!Number.isInteger(from) || from < 0 || from + count > order.length)
      throw new RangeError('FastNet: batch rows outside the order');
    const t = this.at.train;
    for (let b = 0; b < count; b++) {
      const n = order[from + b];
      if (!(n >= 0 && n < t.count)) throw new RangeError(`FastNet: image index ${n} out of range`);
      const label = labels[n];
      if (!(label < 10)) throw new RangeError(`FastNet: label ${label} of image ${n} is not in 0..9`);
      const slot = this.denseSlot ? this.denseSlot[n] : n;
      if (slot < 0) throw new RangeError(`FastNet: image ${n} is not among the training images given`);
      this.idxView[b] = slot;
      this.yView[b] = label;
    }
  }

  private single(what: string): void {
    if (this.models !== 1) throw new RangeError(`FastNet.${what}: ${this.models} models side by side (use BatchedNet)`);
  }

  /** The last lossGrad's logits (count x 10, a view into the memory). */
  batchLogits(count: number): Float32Array {
    return new Float32Array(this.memory.buffer, this.at.z, Math.min(count, this.maxBatch) * 10);
  }

  /**
   * Heavy-ball step (v <- d*v - lr*g; w <- w + v; bit for bit as HeavyBall.step) on every parameter, and zeroes the
   * gradients. With d = 0 and the sparse kernels only the rows of w1 the last backward touched are visited (the others
   * have g = 0 and do not change); the dense backward lists no rows, and every row is stepped (a row with g = 0 gets
   * w + -0 = w: the same numbers).
   * Returns false if some parameter became non-finite.
   */
  stepHeavyBall(lr: number, d: number): boolean {
    this.single('stepHeavyBall');
    const { p, g, v, mark, list, listLen } = this.at;
    const H = this.hidden;
    let ok =
      d === 0 && !this.denseSlot
        ? this.k.stepRows(p.w1, g.w1, v.w1, H, lr, d, mark, list, listLen)
        : (this.k.clearRows(mark, list, listLen), this.k.step(p.w1, g.w1, v.w1, this.inputs * H, lr, d));
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

  /** Copies the current weights into evaluation slot s and clears the slot's counts for a new evaluation. */
  snapshot(slot: number): void {
    this.single('snapshot');
    const s = this.slot(slot);
    this.u8.copyWithin(s.p.w1, this.at.p.w1, this.at.p.w1 + this.paramBytes);
    this.u8.fill(0, s.confusion, s.confusion + CONFUSION_BYTES);
    this.u8.fill(0, s.out, s.out + OUT_BYTES);
    if (s.val) {
      this.u8.fill(0, s.val.confusion, s.val.confusion + CONFUSION_BYTES);
      this.u8.fill(0, s.val.out, s.val.out + OUT_BYTES);
    }
  }

  /**
   * A full validation pass on slot s's weights (the same kernels as evalJob, over the validation images' own packed
   * copy); its results stay apart from the test pass's (valResult). null: no validation set.
   */
  valJob(slot: number, act: ActCode, loss: LossCode): EvalJob | null {
    const s = this.slot(slot);
    if (!s.val) return null;
    const t = this.at.valAt;
    const o = s.val;
    return {
      slot,
      a: s.a,
      z: o.z,
      H: this.hidden,
      ...s.p,
      start: t.start,
      packed: t.packed,
      unit: this.at.unit,
      idx: this.at.valIdx,
      count: this.valCount,
      chunk: Math.min(this.evalChunk, this.valCount),
      act,
      loss,
      y: this.at.valY,
      probs: o.probs,
      predicted: o.predicted,
      confidence: o.confidence,
      confusion: o.confusion,
      out: o.out,
      pr: o.pr,
      dense: this.at.trainDense,
      inputs: this.inputs,
      xs: s.xs,
    };
  }

  /** Summed loss, right answers and confusion counts of slot s's finished validation pass; null: no validation set. */
  valResult(slot: number): { lossSum: number; correct: number; confusion: Int32Array } | null {
    const s = this.slot(slot);
    if (!s.val) return null;
    const out = new DataView(this.memory.buffer, s.val.out, OUT_BYTES);
    return {
      lossSum: out.getFloat64(0, true),
      correct: out.getInt32(8, true),
      confusion: new Int32Array(this.memory.buffer, s.val.confusion, CONFUSION_BYTES / 4).slice(),
    };
  }

  /** A full test pass on slot s's weights (run chunk by chunk by evalRows here, or by an eval worker thread). */
  evalJob(slot: number, act: ActCode, loss: LossCode): EvalJob {
    const s = this.slot(slot);
    const t = this.at.test;
    return {
      slot,
      a: s.a,
      z: s.z,
      H: this.hidden,
      ...s.p,
      start: t.start,
      packed: t.packed,
      unit: this.at.unit,
      idx: this.at.testIdx,
      count: t.count,
      chunk: this.evalChunk,
      act,
      loss,
      y: this.at.testY,
      probs: s.probs,
      predicted: s.predicted,
      confidence: s.confidence,
      confusion: s.confusion,
      out: s.out,
      pr: s.pr,
      dense: this.at.testDense,
      inputs: this.inputs,
      xs: s.xs,
    };
  }

  /** Evaluates test images [from, from+count) of job on this thread: forward, then the evaluation head into the slot. */
  evalRows(job: EvalJob, from: number, count: number): void {
    if (
      !Number.isInteger(from) ||
      !Number.isInteger(count) ||
      from < 0 ||
      count < 1 ||
      count > job.chunk ||
      from + count > job.count
    )
      throw new RangeError('FastNet.evalRows: rows out of range');
    evalRows(this.k, job, from, count);
  }

  /** The results of slot s's finished evaluation, copied out of the memory. */
  evalResult(slot: number): EvalResult {
    const s = this.slot(slot);
    const T = this.testCount;
    const buf = this.memory.buffer;
    const out = new DataView(buf, s.out, OUT_BYTES);
    return {
      predicted: new Uint8Array(buf, s.predicted, T).slice(),
      confidence: new Float32Array(buf, s.confidence, T).slice(),
      probs: new Float32Array(buf, s.probs, T * 10).slice(),
      confusion: new Int32Array(buf, s.confusion, CONFUSION_BYTES / 4).slice(),
      lossSum: out.getFloat64(0, true),
      correct: out.getInt32(8, true),
    };
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

/** A used memory made ready for a new net: grown to `bytes` if smaller, every byte past the first page zeroed. */
/** Throws unless every validation label is a digit and every image number lies in the training set. */
function checkValidation(val: { images: Int32Array; labels: Uint8Array }, trainCount: number): void {
  if (val.labels.length !== val.images.length || !val.labels.every((y) => y < 10))
    throw new RangeError(`FastNet: expected ${val.images.length} validation labels in 0..9`);
  for (const k of val.images) {
    if (!(k >= 0 && k < trainCount)) throw new RangeError(`FastNet: validation image ${k} is outside the training set`);
  }
}

function zeroedMemory(memory: WasmMemory, bytes: number): WasmMemory {
  const pages = Math.ceil(bytes / PAGE) - memory.buffer.byteLength / PAGE;
  if (pages > 0) memory.grow(pages);
  new Uint8Array(memory.buffer).fill(0, PAGE);
  return memory;
}

interface Slot extends SlotOutputs {
  p: ParamsAt;
  a: number;
  /** The dense kernels' group scratch of this slot's evaluations. */
  xs: number;
  z: number;
  /** The validation pass's logits and results (null: no validation set). */
  val: (SlotOutputs & { z: number }) | null;
}
