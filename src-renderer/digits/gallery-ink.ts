import type { TestDigits } from './test-digits.svelte';

// The digits of a gallery, drawn into one canvas laid over its grid of tile
// buttons: each tile holds an empty 56 x 56 spot (data-ink = the test
// image's index) and the canvas paints the image at that spot. Black ink
// whose opacity is the grey level, on a transparent ground (the dark theme
// inverts the canvas, as it did each tile's own canvas before).

// Each image is written once into an atlas canvas (ATLAS_SLOTS cells, the least recently drawn image gives its cell
// up), so a repaint is one drawImage per tile from the atlas instead of a putImageData per tile.

/** Cells of the atlas: more than two galleries show at once (120 tiles each until "more"). */
const ATLAS_SLOTS = 1024;

interface Atlas {
  store: TestDigits;
  canvas: HTMLCanvasElement;
  ctx: CanvasRenderingContext2D;
  /** One image's RGBA pixels, the ink in alpha. */
  cell: ImageData;
  perRow: number;
  /** Image index -> cell, in the order they were last drawn (the first is the next to give its cell up). */
  slots: Map<number, number>;
}

let atlas: Atlas | null = null;

function atlasFor(store: TestDigits): Atlas {
  const { rows, cols } = store;
  if (atlas && atlas.store === store) return atlas;
  const perRow = Math.ceil(Math.sqrt(ATLAS_SLOTS));
  const canvas = document.createElement('canvas');
  canvas.width = perRow * cols;
  canvas.height = Math.ceil(ATLAS_SLOTS / perRow) * rows;
  // CPU-backed: writing a cell is a copy in memory, not an upload to the GPU per image.
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('no 2-D canvas');
  atlas = { store, canvas, ctx, cell: ctx.createImageData(cols, rows), perRow, slots: new Map() };
  return atlas;
}

/** The atlas cell holding image `index` (written there now if it was not), or -1 while its pixels are not loaded. */
function cellOf(a: Atlas, index: number): number {
  const have = a.slots.get(index);
  if (have !== undefined) {
    a.slots.delete(index);
    a.slots.set(index, have);
    return have;
  }
  const { rows, cols } = a.store;
  const px = a.store.pixelsOf(index);
  if (!px || px.length < rows * cols) return -1;
  let slot = a.slots.size;
  if (slot >= ATLAS_SLOTS) {
    const [oldest, freed] = a.slots.entries().next().value!;
    a.slots.delete(oldest);
    slot = freed;
  }
  const d = a.cell.data;
  for (let i = 0, n = rows * cols; i < n; i++) d[4 * i + 3] = px[i];
  a.ctx.putImageData(a.cell, (slot % a.perRow) * cols, Math.floor(slot / a.perRow) * rows);
  a.slots.set(index, slot);
  return slot;
}

/** Where a grid's tile spots are (CSS px from the grid's top-left corner) and its size, as last measured. */
export interface InkGeometry {
  width: number;
  height: number;
  spots: { x: number; y: number; w: number; h: number }[];
}

/**
 * Measure the grid. Reading positions forces a layout of the page when it has changed since the last one, so the
 * gallery measures when the layout is clean (its ResizeObserver's callback) and paints from that; paintInk
 * measures itself only when the number of tiles no longer matches.
 */
export function measureInk(grid: HTMLElement): InkGeometry {
  const origin = grid.getBoundingClientRect();
  const spots = [...grid.querySelectorAll<HTMLElement>('[data-ink]')].map((spot) => {
    const r = spot.getBoundingClientRect();
    return { x: r.left - origin.left, y: r.top - origin.top, w: r.width, h: r.height };
  });
  return { width: grid.offsetWidth, height: grid.offsetHeight, spots };
}

/**
 * Size `canvas` to `grid` (device pixels, at most 2x) and paint every loaded digit at its tile's spot; the tiles'
 * places come from `known.geometry` when it has one per tile (else measured now and kept there).
 */
export function paintInk(
  canvas: HTMLCanvasElement,
  grid: HTMLElement,
  store: TestDigits,
  known: { geometry: InkGeometry | null } = { geometry: null },
): number {
  const spots = [...grid.querySelectorAll<HTMLElement>('[data-ink]')];
  if (known.geometry?.spots.length !== spots.length) known.geometry = measureInk(grid);
  const { width, height, spots: places } = known.geometry;
  const dpr = Math.min(2, Math.max(1, globalThis.devicePixelRatio || 1));
  const pw = Math.round(width * dpr);
  const ph = Math.round(height * dpr);
  if (canvas.width !== pw || canvas.height !== ph) {
    canvas.width = pw;
    canvas.height = ph;
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
  }
  // CPU-backed like the atlas, so each tile is a copy between two canvases in memory.
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) return 0;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, pw, ph);
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.imageSmoothingEnabled = false;
  const { rows, cols } = store;
  const a = atlasFor(store);
  // Every cell is written before any is drawn (a write into a canvas that was drawn from copies it whole first),
  // unless the grid holds so many tiles that a cell could be taken again within this paint.
  const ahead = spots.length <= ATLAS_SLOTS / 2;
  const slots = ahead ? spots.map((spot) => cellOf(a, Number(spot.dataset['ink']))) : [];
  let painted = 0;
  spots.forEach((spot, k) => {
    const slot = ahead ? slots[k] : cellOf(a, Number(spot.dataset['ink']));
    if (slot < 0) return;
    const r = places[k];
    const sx = (slot % a.perRow) * cols;
    const sy = Math.floor(slot / a.perRow) * rows;
    ctx.drawImage(a.canvas, sx, sy, cols, rows, r.x, r.y, r.w, r.h);
    painted++;
  });
  return painted;
}
