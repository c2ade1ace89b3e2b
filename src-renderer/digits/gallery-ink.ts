import type { TestDigits } from './test-digits.svelte';

// The digits of a gallery, drawn into one canvas laid over its grid of tile
// buttons: each tile holds an empty 56 x 56 spot (data-ink = the test
// image's index) and the canvas paints the image at that spot. Black ink
// whose opacity is the grey level, on a transparent ground (the dark theme
// inverts the canvas, as it did each tile's own canvas before).

let scratch: { canvas: HTMLCanvasElement; ctx: CanvasRenderingContext2D; img: ImageData } | null = null;

function scratchFor(rows: number, cols: number) {
  if (!scratch || scratch.canvas.width !== cols || scratch.canvas.height !== rows) {
    const canvas = document.createElement('canvas');
    canvas.width = cols;
    canvas.height = rows;
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2-D canvas');
    scratch = { canvas, ctx, img: ctx.createImageData(cols, rows) };
  }
  return scratch;
}

/** Size `canvas` to `grid` (device pixels, at most 2x) and paint every loaded digit at its tile's spot. */
export function paintInk(canvas: HTMLCanvasElement, grid: HTMLElement, store: TestDigits): number {
  const dpr = Math.min(2, Math.max(1, globalThis.devicePixelRatio || 1));
  const width = grid.offsetWidth;
  const height = grid.offsetHeight;
  const pw = Math.round(width * dpr);
  const ph = Math.round(height * dpr);
  if (canvas.width !== pw || canvas.height !== ph) {
    canvas.width = pw;
    canvas.height = ph;
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
  }
  const ctx = canvas.getContext('2d');
  if (!ctx) return 0;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, pw, ph);
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.imageSmoothingEnabled = false;
  const { rows, cols } = store;
  const s = scratchFor(rows, cols);
  const d = s.img.data;
  const origin = grid.getBoundingClientRect();
  let painted = 0;
  for (const spot of grid.querySelectorAll<HTMLElement>('[data-ink]')) {
    const px = store.pixelsOf(Number(spot.dataset['ink']));
    if (!px || px.length < rows * cols) continue;
    for (let i = 0, n = rows * cols; i < n; i++) d[4 * i + 3] = px[i];
    s.ctx.putImageData(s.img, 0, 0);
    const r = spot.getBoundingClientRect();
    ctx.drawImage(s.canvas, r.left - origin.left, r.top - origin.top, r.width, r.height);
    painted++;
  }
  return painted;
}
