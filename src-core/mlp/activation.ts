import type { Activation } from '../contracts/train-config';

// Activations as small integer codes so hot loops branch on a number, not a string.
export const RELU = 0;
export const SIGMOID = 1;
export const TANH = 2;
export type ActCode = typeof RELU | typeof SIGMOID | typeof TANH;

/** The code of an activation name. */
export function actCode(a: Activation): ActCode {
  switch (a) {
    case 'relu':
      return RELU;
    case 'sigmoid':
      return SIGMOID;
    case 'tanh':
      return TANH;
    default:
      throw new RangeError(`unknown activation ${String(a)}`);
  }
}

/** a = act(z) in place on z[from, to): relu max(0,z), sigmoid 1/(1+e^-z), tanh. */
export function activateInPlace(act: ActCode, z: Float32Array | Float64Array, from: number, to: number): void {
  if (from < 0 || to > z.length || from > to)
    throw new RangeError(`activateInPlace: bad range [${from}, ${to}) for length ${z.length}`);
  if (act === RELU) {
    for (let i = from; i < to; i++) if (z[i] < 0) z[i] = 0; // NaN stays NaN
  } else if (act === SIGMOID) {
    for (let i = from; i < to; i++) z[i] = 1 / (1 + Math.exp(-z[i]));
  } else if (act === TANH) {
    for (let i = from; i < to; i++) z[i] = Math.tanh(z[i]);
  } else {
    throw new RangeError(`activateInPlace: unknown activation code ${String(act)}`);
  }
}

/** dL/dz = dL/da * act'(z), written with a = act(z): relu [a > 0], sigmoid a(1 - a), tanh 1 - a^2; in place on g[from, to). */
export function activationBackInPlace(
  act: ActCode,
  a: Float32Array | Float64Array,
  g: Float32Array | Float64Array,
  from: number,
  to: number,
): void {
  if (from < 0 || to > a.length || to > g.length || from > to)
    throw new RangeError(`activationBackInPlace: bad range [${from}, ${to})`);
  if (act === RELU) {
    for (let i = from; i < to; i++) if (!(a[i] > 0)) g[i] = 0;
  } else if (act === SIGMOID) {
    for (let i = from; i < to; i++) g[i] *= a[i] * (1 - a[i]);
  } else if (act === TANH) {
    for (let i = from; i < to; i++) g[i] *= 1 - a[i] * a[i];
  } else {
    throw new RangeError(`activationBackInPlace: unknown activation code ${String(act)}`);
  }
}
