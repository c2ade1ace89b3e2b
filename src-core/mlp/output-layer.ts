// The 10-output layer of the fast path, unrolled over the ten classes so the
// ten running sums (or the ten output gradients) stay in registers while one
// pass walks the hidden units. Exact zeros in the hidden activations (ReLU
// turns about half of them off) are skipped: they add nothing. Per element the
// sums run in the same order as plain loops would.

/** z[zb + k] = b2[k] + sum_j w2[k*H + j] * a[hb + j], k < 10, w2 row-major 10 x H. */
export function outputForward10(
  z: Float64Array,
  zb: number,
  w2: Float32Array,
  b2: Float32Array,
  a: Float64Array,
  hb: number,
  H: number,
): void {
  if (w2.length !== 10 * H || b2.length !== 10 || hb < 0 || hb + H > a.length || zb < 0 || zb + 10 > z.length)
    throw new RangeError('outputForward10: shapes or offsets out of range');
  let z0 = b2[0],
    z1 = b2[1],
    z2 = b2[2],
    z3 = b2[3],
    z4 = b2[4];
  let z5 = b2[5],
    z6 = b2[6],
    z7 = b2[7],
    z8 = b2[8],
    z9 = b2[9];
  for (let j = 0; j < H; j++) {
    const aj = a[hb + j];
    if (aj === 0) continue;
    z0 += w2[j] * aj;
    z1 += w2[H + j] * aj;
    z2 += w2[2 * H + j] * aj;
    z3 += w2[3 * H + j] * aj;
    z4 += w2[4 * H + j] * aj;
    z5 += w2[5 * H + j] * aj;
    z6 += w2[6 * H + j] * aj;
    z7 += w2[7 * H + j] * aj;
    z8 += w2[8 * H + j] * aj;
    z9 += w2[9 * H + j] * aj;
  }
  z[zb] = z0;
  z[zb + 1] = z1;
  z[zb + 2] = z2;
  z[zb + 3] = z3;
  z[zb + 4] = z4;
  z[zb + 5] = z5;
  z[zb + 6] = z6;
  z[zb + 7] = z7;
  z[zb + 8] = z8;
  z[zb + 9] = z9;
}

/**
 * One example's output-layer backward, accumulating into the gradients:
 * gb2 += dz, gw2[k, :] += dz_k a, and dh = W2^T dz (set, not accumulated; left 0 where onlyPositive and a_j <= 0, i.e. ReLU's mask).
 */
export function outputBackward10(
  dz: Float64Array,
  zb: number,
  w2: Float32Array,
  gw2: Float32Array,
  gb2: Float32Array,
  a: Float64Array,
  dh: Float64Array,
  hb: number,
  H: number,
  onlyPositive: boolean,
): void {
  if (
    w2.length !== 10 * H ||
    gw2.length !== 10 * H ||
    gb2.length !== 10 ||
    hb < 0 ||
    hb + H > a.length ||
    hb + H > dh.length ||
    zb < 0 ||
    zb + 10 > dz.length
  ) {
    throw new RangeError('outputBackward10: shapes or offsets out of range');
  }
  const d0 = dz[zb],
    d1 = dz[zb + 1],
    d2 = dz[zb + 2],
    d3 = dz[zb + 3],
    d4 = dz[zb + 4];
  const d5 = dz[zb + 5],
    d6 = dz[zb + 6],
    d7 = dz[zb + 7],
    d8 = dz[zb + 8],
    d9 = dz[zb + 9];
  gb2[0] += d0;
  gb2[1] += d1;
  gb2[2] += d2;
  gb2[3] += d3;
  gb2[4] += d4;
  gb2[5] += d5;
  gb2[6] += d6;
  gb2[7] += d7;
  gb2[8] += d8;
  gb2[9] += d9;
  for (let j = 0; j < H; j++) {
    const aj = a[hb + j];
    if (aj !== 0) {
      gw2[j] += d0 * aj;
      gw2[H + j] += d1 * aj;
      gw2[2 * H + j] += d2 * aj;
      gw2[3 * H + j] += d3 * aj;
      gw2[4 * H + j] += d4 * aj;
      gw2[5 * H + j] += d5 * aj;
      gw2[6 * H + j] += d6 * aj;
      gw2[7 * H + j] += d7 * aj;
      gw2[8 * H + j] += d8 * aj;
      gw2[9 * H + j] += d9 * aj;
    }
    if (onlyPositive && !(aj > 0)) {
      dh[hb + j] = 0;
    } else {
      dh[hb + j] =
        d0 * w2[j] +
        d1 * w2[H + j] +
        d2 * w2[2 * H + j] +
        d3 * w2[3 * H + j] +
        d4 * w2[4 * H + j] +
        d5 * w2[5 * H + j] +
        d6 * w2[6 * H + j] +
        d7 * w2[7 * H + j] +
        d8 * w2[8 * H + j] +
        d9 * w2[9 * H + j];
    }
  }
}
