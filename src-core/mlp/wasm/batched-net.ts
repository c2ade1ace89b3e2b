import type { ActCode } from '../activation';
import type { LossCode } from '../loss';
import { createParams, type MlpParams } from '../params';
import { FastNet, LOGITS_BYTES, type FastNetOptions } from './fast-net';

// Several models of one shape trained on the same mini-batches in one memory
// (a study's runs that share shapes and batch order: an LR or momentum sweep
// at one seed). Their first layers lie side by side, W1 row i holding model
// 0's H weights, then model 1's, ..., so one call of the wide kernels
// (assembly/kernels.ts: forwardMany, backwardMany, stepFirstMany) steps them
// all on a batch, over one copy of the packed images; a test pass runs model by
// model over the same packed test images (forward() on a model's slice of each
// row: one model's weights stay in the cache, K models' would not). Per model
// every float operation happens in the order of FastNet's kernels on that
// model alone, so each model's losses, accuracies, weights and evaluations are
// those of its own run, bit for bit (batched-net.test.ts). A model's lanes
// never mix with another's: a model that diverges (NaN) leaves the others'
// numbers unchanged. Measured in bench/batched-bench.ts (docs/PERFORMANCE.md).

/** One model's optimizer: heavy-ball v <- d*v - lr*g, w <- w + v (d = 0: plain SGD), as FastNet.stepHeavyBall. */
export interface HeavyBallSettings {
  lr: number;
  d: number;
}

/** What a test pass gives per model: summed loss, right answers, the predicted class and confusion counts. */
export interface ModelEval {
  lossSum: number;
  correct: number;
  predicted: Uint8Array;
  confusion: Int32Array;
}

/** FastNetOptions of each model (hidden is one model's width), and how many models step together. */
export interface BatchedNetOptions extends Omit<FastNetOptions, 'firstLayer' | 'models' | 'evalSlots' | 'validation'> {
  models: number;
}

const OUT_BYTES = 16;
const CONFUSION_BYTES = 400;

export class BatchedNet {
  readonly models: number;
  readonly hidden: number;
  /** Mean loss and right answers per model of the last lossGrad. */
  readonly loss: Float64Array;
  readonly correct: Int32Array;
  private readonly net: FastNet;
  private readonly hyper: Float64Array;
  private readonly ok: Int32Array;

  /** null where the host lacks WebAssembly SIMD or shared memory, or the K models' first layer is too wide. */
  static create(o: BatchedNetOptions): BatchedNet | null {
    if (!Number.isInteger(o.models) || o.models < 1)
      throw new RangeError(`BatchedNet: models must be a positive integer, got ${o.models}`);
    const net = FastNet.create({
      ...o,
      hidden: o.hidden * o.models,
      models: o.models,
      firstLayer: 'sparse',
      evalSlots: 1,
      validation: null,
    });
    return net ? new BatchedNet(net, o.models) : null;
  }

  private constructor(net: FastNet, K: number) {
    this.net = net;
    this.models = K;
    this.hidden = net.hidden / K;
    this.loss = new Float64Array(K);
    this.correct = new Int32Array(K);
    this.hyper = new Float64Array(net.memory.buffer, net.at.hyper, 2 * K);
    this.ok = new Int32Array(net.memory.buffer, net.at.okFlags, K);
  }

  /** Sets model m's weights (from its own run's initialisation). */
  setParams(m: number, p: MlpParams): void {
    this.check(m);
    const H = this.hidden;
    if (p.inputs !== this.net.inputs || p.hidden !== H || p.outputs !== 10)
      throw new RangeError(`BatchedNet.setParams: expected ${this.net.inputs}-${H}-10 parameters`);
    const v = this.views();
    const KH = this.models * H;
    for (let i = 0; i < p.inputs; i++) v.w1.set(p.w1.subarray(i * H, (i + 1) * H), i * KH + m * H);
    v.b1.set(p.b1, m * H);
    v.w2.set(p.w2, m * 10 * H);
    v.b2.set(p.b2, m * 10);
  }

  /** A copy of model m's weights. */
  params(m: number): MlpParams {
    this.check(m);
    const H = this.hidden;
    const KH = this.models * H;
    const out = createParams(this.net.inputs, H, 10);
    const v = this.views();
    for (let i = 0; i < out.inputs; i++) out.w1.set(v.w1.subarray(i * KH + m * H, i * KH + (m + 1) * H), i * H);
    out.b1.set(v.b1.subarray(m * H, (m + 1) * H));
    out.w2.set(v.w2.subarray(m * 10 * H, (m + 1) * 10 * H));
    out.b2.set(v.b2.subarray(m * 10, (m + 1) * 10));
    return out;
  }

  /**
   * One mini-batch order[from .. from+count) for every model: forward, each model's loss head, backward (as
   * FastNet.lossGrad per model). this.loss[m] = model m's mean loss, this.correct[m] its right answers.
   */
  lossGrad(act: ActCode, loss: LossCode, labels: Uint8Array, order: Int32Array, from: number, count: number): void {
    const n = this.net;
    n.setBatch(labels, order, from, count);
    const { p, g, a, z, dz, dh, head, y, pr, unit, idx, train: t, mark, list, listLen } = n.at;
    const { hidden: H, models: K } = this;
    const zs = n.maxBatch * LOGITS_BYTES;
    const batch = [t.start, t.packed, unit, idx, count, act] as const;
    const out = new DataView(n.memory.buffer, head, OUT_BYTES);
    n.k.forwardMany(a, z, H, p.w1, p.b1, p.w2, p.b2, ...batch, K, zs);
    for (let m = 0; m < K; m++) {
      n.k.trainHead(z + m * zs, y, count, loss, dz + m * zs, pr, head);
      this.loss[m] = out.getFloat64(0, true);
      this.correct[m] = out.getInt32(8, true);
    }
    n.k.backwardMany(a, dz, dh, H, p.w2, g.w1, g.b1, g.w2, g.b2, ...batch, mark, list, listLen, K, zs);
  }

  /**
   * Each model's heavy-ball step with its own settings, as FastNet.stepHeavyBall; zeroes the gradients. Returns, per
   * model, whether its parameters stayed finite.
   */
  step(settings: readonly HeavyBallSettings[]): boolean[] {
    const { hidden: H, models: K, net: n } = this;
    if (settings.length !== K) throw new RangeError(`BatchedNet.step: expected ${K} settings, got ${settings.length}`);
    settings.forEach((s, m) => {
      this.hyper[2 * m] = s.lr;
      this.hyper[2 * m + 1] = s.d;
    });
    this.ok.fill(1);
    const { p, g, v, mark, list, listLen } = n.at;
    n.k.stepFirstMany(p.w1, g.w1, v.w1, n.inputs, H, K, n.at.hyper, mark, list, listLen, n.at.okFlags);
    return settings.map(({ lr, d }, m) => {
      let ok = this.ok[m];
      const hb = H * 4;
      ok &= n.k.step(p.b1 + m * hb, g.b1 + m * hb, v.b1 + m * hb, H, lr, d);
      ok &= n.k.step(p.w2 + m * 10 * hb, g.w2 + m * 10 * hb, v.w2 + m * 10 * hb, 10 * H, lr, d);
      ok &= n.k.step(p.b2 + m * 40, g.b2 + m * 40, v.b2 + m * 40, 10, lr, d);
      return ok === 1;
    });
  }

  /** A test pass of every model's current weights, each equal to FastNet's evaluation of that model alone. */
  evaluate(act: ActCode, loss: LossCode): ModelEval[] {
    const n = this.net;
    const { hidden: H, models: K } = this;
    const T = n.testCount;
    const s = n.at.slots[0];
    const { p, test: t, unit, testIdx, testY } = n.at;
    const u8 = new Uint8Array(n.memory.buffer);
    u8.fill(0, s.confusion, s.confusion + K * CONFUSION_BYTES);
    u8.fill(0, s.out, s.out + K * OUT_BYTES);
    const zs = T * LOGITS_BYTES;
    // Model by model (forward() on model m's slice of each W1 row): a model's weights stay in the cache over the whole
    // pass, where all K models' (K times as many) would not; the packed test images are read from one copy.
    const hb = H * 4;
    for (let m = 0; m < K; m++) {
      for (let from = 0; from < T; from += n.evalChunk) {
        const c = Math.min(n.evalChunk, T - from);
        const z = s.z + m * zs;
        const [w1, b1, w2, b2] = [p.w1 + m * hb, p.b1 + m * hb, p.w2 + m * 10 * hb, p.b2 + m * 40];
        n.k.forward(
          s.a,
          z + from * LOGITS_BYTES,
          H,
          w1,
          b1,
          w2,
          b2,
          t.start,
          t.packed,
          unit,
          testIdx + from * 4,
          c,
          act,
        );
        const outs = [s.predicted + m * T, s.confidence + m * T * 4, s.confusion + m * CONFUSION_BYTES] as const;
        n.k.evalHead(z, testY, from, c, loss, s.probs + m * zs, ...outs, s.out + m * OUT_BYTES, s.pr);
      }
    }
    const buf = n.memory.buffer;
    return Array.from({ length: K }, (_, m) => {
      const out = new DataView(buf, s.out + m * OUT_BYTES, OUT_BYTES);
      return {
        lossSum: out.getFloat64(0, true),
        correct: out.getInt32(8, true),
        predicted: new Uint8Array(buf, s.predicted + m * T, T).slice(),
        confusion: new Int32Array(buf, s.confusion + m * CONFUSION_BYTES, 100).slice(),
      };
    });
  }

  private views(): { w1: Float32Array; b1: Float32Array; w2: Float32Array; b2: Float32Array } {
    const n = this.net;
    const { p } = n.at;
    const KH = this.models * this.hidden;
    const buf = n.memory.buffer;
    return {
      w1: new Float32Array(buf, p.w1, n.inputs * KH),
      b1: new Float32Array(buf, p.b1, KH),
      w2: new Float32Array(buf, p.w2, 10 * KH),
      b2: new Float32Array(buf, p.b2, 10 * this.models),
    };
  }

  private check(m: number): void {
    if (!Number.isInteger(m) || m < 0 || m >= this.models)
      throw new RangeError(`BatchedNet: no model ${m} (there are ${this.models})`);
  }
}
