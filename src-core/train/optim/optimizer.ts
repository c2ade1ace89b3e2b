// An optimizer updates parameter arrays in place from gradient arrays paired
// by position ([w1, b1, w2, b2] with [gw1, gb1, gw2, gb2]). step() returns the
// float64 sum of every updated parameter: a free finiteness probe (non-finite
// iff some parameter became NaN or +-Infinity in float32).

export interface Optimizer {
  step(params: readonly Float32Array[], grads: readonly Float32Array[]): number;
}

/** Checks that params and grads pair up array by array; returns nothing, throws RangeError. */
export function checkPairs(
  name: string,
  params: readonly Float32Array[],
  grads: readonly Float32Array[],
  state: readonly Float32Array[],
): void {
  if (params.length !== grads.length || params.length !== state.length) {
    throw new RangeError(
      `${name}: ${params.length} parameter arrays, ${grads.length} gradients, ${state.length} state arrays`,
    );
  }
  for (let i = 0; i < params.length; i++) {
    if (params[i].length !== grads[i].length || params[i].length !== state[i].length) {
      throw new RangeError(
        `${name}: array ${i} has ${params[i].length} parameters, ${grads[i].length} gradients, ${state[i].length} state values`,
      );
    }
  }
}

/** Zeroed state arrays shaped like the parameters. */
export function zerosLike(params: readonly Float32Array[]): Float32Array[] {
  return params.map((p) => new Float32Array(p.length));
}
