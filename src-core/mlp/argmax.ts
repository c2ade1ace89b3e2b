/** The index of the largest of z[o .. o + n) (the first one on a tie): the class a row of logits predicts. */
export function argmaxRow(z: Float32Array | Float64Array, o: number, n: number): number {
  let best = 0;
  let bv = z[o];
  for (let k = 1; k < n; k++) {
    if (z[o + k] > bv) {
      bv = z[o + k];
      best = k;
    }
  }
  return best;
}
