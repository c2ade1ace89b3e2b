import type { Locator } from '@playwright/test';

/**
 * How many canvas pixels carry ink inside each tile's digit spot. A gallery draws all its digits into one
 * canvas laid over the tiles; this reads that canvas under each tile's spot ([data-ink]).
 */
export async function tileInk(tiles: Locator): Promise<number[]> {
  return tiles.evaluateAll((els) =>
    els.map((tile) => {
      const spot = tile.querySelector('[data-ink]');
      const canvas = tile.closest('section')?.querySelector<HTMLCanvasElement>('canvas.ink-layer');
      if (!spot || !canvas) return -1;
      const c = canvas.getBoundingClientRect();
      const r = spot.getBoundingClientRect();
      const k = canvas.width / c.width;
      const x = Math.round((r.left - c.left) * k);
      const y = Math.round((r.top - c.top) * k);
      const w = Math.round(r.width * k);
      const h = Math.round(r.height * k);
      const data = canvas.getContext('2d')!.getImageData(x, y, w, h).data;
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
      // In image pixels (a 28 x 28 digit drawn at 56 px on a 2x canvas covers 16 canvas pixels per image pixel).
      return Math.round((n * 28 * 28) / (w * h));
    }),
  );
}
