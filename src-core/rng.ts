// A small seeded PRNG for everything random in the lab (init, batch order,
// subset sampling). The generator is sfc32, Chris Doty-Humphrey's "Small Fast
// Counting" generator from PractRand (passes PractRand to 2^40+ bytes), in the
// 32-bit JavaScript form popularised by bryc/code "PRNGs.md". Its 128-bit state
// is filled by splitmix32 (Steele, Lea & Flood, "Fast splittable pseudorandom
// number generators", OOPSLA 2014, 32-bit variant with Chris Wellons'
// hash-prospector finaliser constants 0x21f0aaad / 0x735a2d97).
//
// Independent streams: rngFor(seed, 'init') and rngFor(seed, 'order') seed
// separate generators from (seed, FNV-1a hash of the stream name), so the
// initial weights and the batch order depend only on the seed (and shapes),
// never on the learning rate or the momentum ("common random numbers").

const TWO_POW_32 = 4294967296;

/** Wellons' 32-bit finaliser: a bijective avalanche mix of a 32-bit word. */
export function mix32(x: number): number {
  let t = x >>> 0;
  t ^= t >>> 16;
  t = Math.imul(t, 0x21f0aaad);
  t ^= t >>> 15;
  t = Math.imul(t, 0x735a2d97);
  t ^= t >>> 15;
  return t >>> 0;
}

/** FNV-1a 32-bit hash of a string's UTF-16 code units (Fowler, Noll, Vo). */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** sfc32 from four 32-bit state words (use rngFor or createRng, not this, in lab code). */
  constructor(a: number, b: number, c: number, d: number) {
    this.a = a >>> 0;
    this.b = b >>> 0;
    this.c = c >>> 0;
    this.d = d >>> 0;
    // Discard the first outputs so nearby seeds decorrelate (as bryc recommends).
    for (let i = 0; i < 12; i++) this.nextU32();
  }

  /** sfc32 step: t = a + b + counter; a = b ^ b>>>9; b = c + c<<3; c = rotl(c,21) + t. */
  nextU32(): number {
    const a = this.a;
    const b = this.b;
    const c = this.c;
    const d = this.d;
    const t = (((a + b) | 0) + d) | 0;
    this.d = (d + 1) | 0;
    this.a = b ^ (b >>> 9);
    this.b = (c + (c << 3)) | 0;
    const r = (c << 21) | (c >>> 11);
    this.c = (r + t) | 0;
    return t >>> 0;
  }

  /** Uniform float in [0, 1): u32 / 2^32. */
  nextFloat(): number {
    return this.nextU32() / TWO_POW_32;
  }

  /** Uniform integer in [0, n), unbiased by rejection of the top partial block; 1 <= n <= 2^32. */
  nextInt(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO_POW_32)
      throw new RangeError(`nextInt: n must be an integer in [1, 2^32], got ${n}`);
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    let x = this.nextU32();
    while (x >= limit) x = this.nextU32();
    return x % n;
  }

  /** Fisher–Yates (Durstenfeld) in-place shuffle of a[from, to): swap a[i] with a[from + nextInt(i - from + 1)], i descending. */
  shuffle(a: Int32Array | Uint32Array | number[], from = 0, to = a.length): void {
    if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to > a.length || from > to) {
      throw new RangeError(`shuffle: bad range [${from}, ${to}) for length ${a.length}`);
    }
    for (let i = to - 1; i > from; i--) {
      const j = from + this.nextInt(i - from + 1);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}

/** splitmix32 state stepping: s += golden gamma; out = mix32(s). */
function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  return mix32(state.s);
}

/** A generator seeded from a 32-bit seed alone (the stream named ''). */
export function createRng(seed: number): Rng {
  return rngFor(seed, '');
}

/** An independent generator for (seed, stream name): sfc32 seeded by splitmix32 from mix32(seed) ^ fnv1a(stream). */
export function rngFor(seed: number, stream: string): Rng {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
    throw new RangeError(`rngFor: seed must be an integer in [0, 2^32), got ${seed}`);
  const state = { s: (mix32(seed) ^ fnv1a32(stream)) | 0 };
  const a = splitmix32(state);
  const b = splitmix32(state);
  const c = splitmix32(state);
  const d = splitmix32(state);
  return new Rng(a, b, c, d);
}

/** The stream names the trainer uses, so other code (e.g. common-random-number tools) can reproduce them. */
export const STREAMS = Object.freeze({ init: 'init', order: 'order', subset: 'subset', validation: 'validation' });
