import { describe, expect, it } from 'vitest';
import { rngFor } from '../rng';
import { randomImages } from '../mlp/test-helpers';
import { denseRows, encodeSparse, GREY_TO_UNIT, sparseOf } from './sparse-images';

describe('sparse images', () => {
  it('list exactly the nonzero pixels of each image, in order, with their grey levels', () => {
    const r = rngFor(1, 't');
    const count = 9;
    const px = 30;
    const images = Uint8Array.from({ length: count * px }, () => (r.nextFloat() < 0.8 ? 0 : 1 + r.nextInt(255)));
    const s = encodeSparse(images, count, px);
    const back = new Uint8Array(count * px);
    for (let n = 0; n < count; n++) {
      for (let e = s.start[n]; e < s.start[n + 1]; e++) {
        if (e > s.start[n]) expect(s.index[e]).toBeGreaterThan(s.index[e - 1]);
        back[n * px + s.index[e]] = s.grey[e];
      }
    }
    expect(back).toEqual(images);
    expect(s.start[count]).toBe(images.filter((g) => g !== 0).length);
  });

  it('are the same whether the buffer allows a word-wise scan or not', () => {
    const images = randomImages(6, 28, 5);
    const shifted = new Uint8Array(images.length + 1).subarray(1);
    shifted.set(images);
    const a = encodeSparse(images, 6, 28);
    const b = encodeSparse(shifted, 6, 28);
    const c = encodeSparse(randomImages(7, 27, 5), 7, 27);
    expect(b.start).toEqual(a.start);
    expect(b.index).toEqual(a.index);
    expect(b.grey).toEqual(a.grey);
    expect(c.start[7]).toBe(randomImages(7, 27, 5).filter((g) => g !== 0).length);
  });

  it('scale grey levels to [0, 1] by 1/255 in float32', () => {
    expect(GREY_TO_UNIT[0]).toBe(0);
    expect(GREY_TO_UNIT[255]).toBe(1);
    expect(GREY_TO_UNIT[51]).toBe(Math.fround(0.2));
    const d = denseRows(Uint8Array.from([0, 255, 51, 0]), 2, [1, 0]);
    expect(Array.from(d)).toEqual([Math.fround(0.2), 0, 0, 1]);
  });

  it('are encoded once per image buffer', () => {
    const images = new Uint8Array(20).fill(3);
    expect(sparseOf(images, 4, 5)).toBe(sparseOf(images, 4, 5));
  });

  it('reject lengths that do not match count x pixels', () => {
    expect(() => encodeSparse(new Uint8Array(10), 3, 4)).toThrow(RangeError);
    expect(() => encodeSparse(new Uint8Array(10), 1, 0)).toThrow(RangeError);
  });
});
