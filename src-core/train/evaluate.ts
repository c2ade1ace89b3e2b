import { NUM_CLASSES, type EvalDetail } from '../contracts/train-protocol';
import type { SparseImages } from '../data/sparse-images';
import type { ActCode } from '../mlp/activation';
import { argmaxRow } from '../mlp/argmax';
import { CE, softmaxRow, type LossCode } from '../mlp/loss';
import type { MlpParams } from '../mlp/params';
import { forwardSparse } from '../mlp/sparse-forward';
import type { Workspace } from '../mlp/workspace';

/** Running sums of one evaluation pass over a test set, filled chunk by chunk. */
export interface EvalPass {
  detail: EvalDetail;
  lossSum: number;
  correct: number;
  done: number;
}

/** A fresh pass for count test images (the detail arrays are new: they are sent away with the message). */
export function startEvalPass(count: number): EvalPass {
  if (!Number.isInteger(count) || count < 1)
    throw new RangeError(`startEvalPass: count must be a positive integer, got ${count}`);
  return {
    detail: {
      predicted: new Uint8Array(count),
      confidence: new Float32Array(count),
      probs: new Float32Array(count * NUM_CLASSES),
      confusion: new Int32Array(NUM_CLASSES * NUM_CLASSES),
    },
    lossSum: 0,
    correct: 0,
    done: 0,
  };
}

/**
 * Evaluates the next up to ws.maxBatch images of the pass (idx is the identity 0..count-1):
 * p = softmax(z), loss CE = logsumexp(z) - z_y or MSE = sum_k (p_k - [k = y])^2, predicted = argmax z.
 * Returns true when the pass is complete.
 */
export function evalChunk(
  pass: EvalPass,
  p: MlpParams,
  act: ActCode,
  loss: LossCode,
  images: SparseImages,
  labels: Uint8Array,
  idx: Int32Array,
  ws: Workspace,
): boolean {
  const total = pass.detail.predicted.length;
  if (images.count !== total || labels.length !== total || idx.length !== total)
    throw new RangeError('evalChunk: pass, images, labels and index differ in size');
  if (p.outputs !== NUM_CLASSES)
    throw new RangeError(`evalChunk: the network has ${p.outputs} outputs, expected ${NUM_CLASSES}`);
  const from = pass.done;
  const count = Math.min(ws.maxBatch, total - from);
  if (count <= 0) return true;
  forwardSparse(p, act, images, idx, from, count, ws);
  accumulateEval(pass, ws.z, 0, count, labels, loss, ws.p);
  return pass.done === total;
}

/**
 * Adds the next count test images of the pass, whose logits are rows z[z0 + 10b ..] (b < count), to its sums:
 * p = softmax(z), loss CE = logsumexp(z) - z_y or MSE = sum_k (p_k - [k = y])^2, predicted = argmax z. pr is scratch of 10.
 */
export function accumulateEval(
  pass: EvalPass,
  z: Float64Array | Float32Array,
  z0: number,
  count: number,
  labels: Uint8Array,
  loss: LossCode,
  pr: Float64Array,
): void {
  const from = pass.done;
  const O = NUM_CLASSES;
  const { predicted, confidence, probs, confusion } = pass.detail;
  if (
    !Number.isInteger(count) ||
    count < 0 ||
    from + count > predicted.length ||
    z0 < 0 ||
    z0 + count * O > z.length ||
    pr.length < O
  )
    throw new RangeError('accumulateEval: rows out of range');
  let lossSum = 0;
  let correct = 0;
  for (let b = 0; b < count; b++) {
    const n = from + b;
    const y = labels[n];
    const zb = z0 + b * O;
    const lse = softmaxRow(z, zb, O, pr, 0);
    const best = argmaxRow(z, zb, O);
    if (loss === CE) {
      lossSum += lse - z[zb + y];
    } else {
      let s = 0;
      for (let k = 0; k < O; k++) {
        const r = k === y ? pr[k] - 1 : pr[k];
        s += r * r;
      }
      lossSum += s;
    }
    for (let k = 0; k < O; k++) probs[n * O + k] = pr[k];
    predicted[n] = best;
    confidence[n] = pr[best];
    confusion[y * O + best]++;
    if (best === y) correct++;
  }
  pass.lossSum += lossSum;
  pass.correct += correct;
  pass.done += count;
}
