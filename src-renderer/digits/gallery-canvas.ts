import { fmtPctShort } from '../lib/format';
import type { DigitEntry } from './gallery-types';
import type { TestDigits } from './test-digits.svelte';

// A gallery drawn onto one canvas for export: a grid of digits (dark ink on
// white, as printed), each with "true → predicted  probability" underneath.

const TILE = 56; // digit size in canvas pixels
const LABEL = 16; // label strip under each digit
const GAP = 8;

/** Draw up to `limit` entries whose pixels are loaded; returns null when none are. */
export function drawGallery(
  entries: readonly DigitEntry[],
  store: TestDigits,
  columns = 10,
  limit = 120,
): HTMLCanvasElement | null {
  if (!(Number.isInteger(columns) && columns >= 1))
    throw new RangeError(`drawGallery: columns must be a positive integer, got ${columns}`);
  const ready = entries.filter((e) => store.pixelsOf(e.index) !== null).slice(0, limit);
  if (ready.length === 0) return null;
  const cols = Math.min(columns, ready.length);
  const rowsN = Math.ceil(ready.length / cols);
  const canvas = document.createElement('canvas');
  canvas.width = GAP + cols * (TILE + GAP);
  canvas.height = GAP + rowsN * (TILE + LABEL + GAP);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2-D canvas');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  const { rows, cols: w } = store;
  const img = ctx.createImageData(w, rows);
  const tmp = document.createElement('canvas');
  tmp.width = w;
  tmp.height = rows;
  const tctx = tmp.getContext('2d')!;
  ctx.imageSmoothingEnabled = false;
  ctx.font = '11px "DejaVu Sans", Arial, sans-serif';
  ctx.textAlign = 'center';
  ready.forEach((e, k) => {
    const px = store.pixelsOf(e.index)!;
    for (let i = 0; i < px.length; i++) {
      const v = 255 - px[i];
      img.data[4 * i] = v;
      img.data[4 * i + 1] = v;
      img.data[4 * i + 2] = v;
      img.data[4 * i + 3] = 255;
    }
    tctx.putImageData(img, 0, 0);
    const x = GAP + (k % cols) * (TILE + GAP);
    const y = GAP + Math.floor(k / cols) * (TILE + LABEL + GAP);
    ctx.drawImage(tmp, x, y, TILE, TILE);
    const wrong = e.truth !== e.predicted;
    ctx.strokeStyle = wrong ? '#c23b22' : '#d5d9e0';
    ctx.strokeRect(x - 0.5, y - 0.5, TILE + 1, TILE + 1);
    ctx.fillStyle = wrong ? '#c23b22' : '#1d2330';
    const p = Number.isFinite(e.confidence) ? ` ${fmtPctShort(Math.round(e.confidence * 100) / 100)}` : '';
    ctx.fillText(wrong ? `${e.truth}→${e.predicted}${p}` : `${e.truth}${p}`, x + TILE / 2, y + TILE + 12);
  });
  return canvas;
}
