// Scratch for the fast path, allocated once per run and reused by every step.

export interface Workspace {
  maxBatch: number;
  hidden: number;
  outputs: number;
  /** Hidden activations, maxBatch x hidden. */
  a: Float64Array;
  /** Logits, maxBatch x outputs. */
  z: Float64Array;
  /** dL/dz, maxBatch x outputs. */
  dz: Float64Array;
  /** dL/d(hidden pre-activation), maxBatch x hidden. */
  dh: Float64Array;
  /** Softmax scratch, outputs. */
  p: Float64Array;
  /** Correct predictions of the last batch the loss head saw. */
  correct: number;
}

/** Scratch for batches of up to maxBatch examples through inputs -> hidden -> outputs. */
export function createWorkspace(maxBatch: number, hidden: number, outputs: number): Workspace {
  for (const [name, v] of [
    ['maxBatch', maxBatch],
    ['hidden', hidden],
    ['outputs', outputs],
  ] as const) {
    if (!Number.isInteger(v) || v < 1)
      throw new RangeError(`createWorkspace: ${name} must be a positive integer, got ${v}`);
  }
  return {
    maxBatch,
    hidden,
    outputs,
    a: new Float64Array(maxBatch * hidden),
    z: new Float64Array(maxBatch * outputs),
    dz: new Float64Array(maxBatch * outputs),
    dh: new Float64Array(maxBatch * hidden),
    p: new Float64Array(outputs),
    correct: 0,
  };
}
