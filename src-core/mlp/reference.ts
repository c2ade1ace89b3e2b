import { activateInPlace, activationBackInPlace, type ActCode } from './activation';
import { lossHead, type LossCode } from './loss';
import type { MlpParams, Vec } from './params';

// The plain dense reference: straightforward loops over every pixel, float64
// intermediates, allocation allowed. The fast sparse path is tested against it
// element by element, and it is itself gradient-checked in float64.

export interface BatchResult {
  /** Mean loss over the batch. */
  loss: number;
  /** Examples whose argmax logit equals the label. */
  correct: number;
}

/** Logits z = b2 + W2 act(b1 + x W1) for a dense batch x (batch x inputs, values in [0,1]); returns [z (batch x outputs), a (batch x hidden)]. */
export function referenceForward(
  p: MlpParams<Vec>,
  act: ActCode,
  x: Float32Array | Float64Array,
  batch: number,
): [Float64Array, Float64Array] {
  const { inputs: I, hidden: H, outputs: O } = p;
  if (!Number.isInteger(batch) || batch < 1)
    throw new RangeError(`referenceForward: batch must be a positive integer, got ${batch}`);
  if (x.length < batch * I) throw new RangeError(`referenceForward: x holds ${x.length} values, need ${batch * I}`);
  const a = new Float64Array(batch * H);
  const z = new Float64Array(batch * O);
  for (let b = 0; b < batch; b++) {
    for (let j = 0; j < H; j++) {
      let s = p.b1[j];
      for (let i = 0; i < I; i++) s += x[b * I + i] * p.w1[i * H + j];
      a[b * H + j] = s;
    }
  }
  activateInPlace(act, a, 0, a.length);
  for (let b = 0; b < batch; b++) {
    for (let k = 0; k < O; k++) {
      let s = p.b2[k];
      for (let j = 0; j < H; j++) s += p.w2[k * H + j] * a[b * H + j];
      z[b * O + k] = s;
    }
  }
  return [z, a];
}

/** Mean batch loss L = (1/B) sum_b loss(z_b, y_b), and if grads is given, grads = dL/dparams (overwritten). */
export function referenceLossGrad(
  p: MlpParams<Vec>,
  act: ActCode,
  loss: LossCode,
  x: Float32Array | Float64Array,
  labels: ArrayLike<number>,
  batch: number,
  grads: MlpParams<Vec> | null,
): BatchResult {
  if (labels.length < batch) throw new RangeError(`referenceLossGrad: ${labels.length} labels for a batch of ${batch}`);
  const { inputs: I, hidden: H, outputs: O } = p;
  const [z, a] = referenceForward(p, act, x, batch);
  const dz = new Float64Array(batch * O);
  const scratch = new Float64Array(O);
  let total = 0;
  let correct = 0;
  for (let b = 0; b < batch; b++) {
    total += lossHead(loss, z, b * O, O, labels[b], 1 / batch, dz, b * O, scratch);
    let best = 0;
    for (let k = 1; k < O; k++) if (z[b * O + k] > z[b * O + best]) best = k;
    if (best === labels[b]) correct++;
  }
  if (grads) {
    for (const g of [grads.w1, grads.b1, grads.w2, grads.b2]) g.fill(0);
    const dh = new Float64Array(batch * H);
    for (let b = 0; b < batch; b++) {
      for (let k = 0; k < O; k++) {
        const d = dz[b * O + k];
        grads.b2[k] += d;
        for (let j = 0; j < H; j++) {
          grads.w2[k * H + j] += d * a[b * H + j];
          dh[b * H + j] += d * p.w2[k * H + j];
        }
      }
    }
    activationBackInPlace(act, a, dh, 0, dh.length);
    for (let j = 0; j < H; j++) {
      let sb = 0;
      for (let b = 0; b < batch; b++) sb += dh[b * H + j];
      grads.b1[j] = sb;
      for (let i = 0; i < I; i++) {
        let s = 0;
        for (let b = 0; b < batch; b++) s += x[b * I + i] * dh[b * H + j];
        grads.w1[i * H + j] = s;
      }
    }
  }
  return { loss: total / batch, correct };
}
