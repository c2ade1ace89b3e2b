import type { Rng } from '../rng';

// Parameters of the MLP inputs -> hidden -> outputs, as flat typed arrays.
// Layouts are chosen for the sparse first layer and contiguous inner loops:
//   w1: inputs x hidden  (row i = the weights out of input pixel i; PyTorch's fc1.weight transposed)
//   b1: hidden
//   w2: outputs x hidden (row k = the weights into output k; same as PyTorch's fc2.weight)
//   b2: outputs

export type Vec = Float32Array | Float64Array;

export interface MlpParams<V extends Vec = Float32Array> {
  inputs: number;
  hidden: number;
  outputs: number;
  w1: V;
  b1: V;
  w2: V;
  b2: V;
}

function checkShape(inputs: number, hidden: number, outputs: number): void {
  for (const [name, v] of [
    ['inputs', inputs],
    ['hidden', hidden],
    ['outputs', outputs],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`MLP ${name} must be a positive integer, got ${v}`);
  }
}

/** Zero float32 parameters (or gradients) of shape inputs -> hidden -> outputs. */
export function createParams(inputs: number, hidden: number, outputs: number): MlpParams {
  checkShape(inputs, hidden, outputs);
  return {
    inputs,
    hidden,
    outputs,
    w1: new Float32Array(inputs * hidden),
    b1: new Float32Array(hidden),
    w2: new Float32Array(outputs * hidden),
    b2: new Float32Array(outputs),
  };
}

/** PyTorch's nn.Linear default init: every weight and bias ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)); layer 1 then layer 2. */
export function initPyTorch(p: MlpParams, rng: Rng): void {
  checkShape(p.inputs, p.hidden, p.outputs);
  if (
    p.w1.length !== p.inputs * p.hidden ||
    p.b1.length !== p.hidden ||
    p.w2.length !== p.outputs * p.hidden ||
    p.b2.length !== p.outputs
  ) {
    throw new RangeError('initPyTorch: parameter arrays do not match the declared shape');
  }
  const b1 = 1 / Math.sqrt(p.inputs);
  const b2 = 1 / Math.sqrt(p.hidden);
  // Draw fc1.weight in PyTorch's (hidden x inputs) order, store transposed.
  for (let j = 0; j < p.hidden; j++) {
    for (let i = 0; i < p.inputs; i++) p.w1[i * p.hidden + j] = b1 * (2 * rng.nextFloat() - 1);
  }
  for (let j = 0; j < p.hidden; j++) p.b1[j] = b1 * (2 * rng.nextFloat() - 1);
  for (let k = 0; k < p.w2.length; k++) p.w2[k] = b2 * (2 * rng.nextFloat() - 1);
  for (let k = 0; k < p.outputs; k++) p.b2[k] = b2 * (2 * rng.nextFloat() - 1);
}

/** The parameter arrays in a fixed order [w1, b1, w2, b2] (pairs up with the same call on the gradients). */
export function paramList<V extends Vec>(p: MlpParams<V>): V[] {
  return [p.w1, p.b1, p.w2, p.b2];
}

/** A float64 copy of float32 parameters (for float64 reference math and gradient checks). */
export function toFloat64(p: MlpParams<Vec>): MlpParams<Float64Array> {
  return {
    inputs: p.inputs,
    hidden: p.hidden,
    outputs: p.outputs,
    w1: Float64Array.from(p.w1),
    b1: Float64Array.from(p.b1),
    w2: Float64Array.from(p.w2),
    b2: Float64Array.from(p.b2),
  };
}
