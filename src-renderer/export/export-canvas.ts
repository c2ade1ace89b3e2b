import { savePng } from './export-figure';
import type { Png } from './rasterize';
import { EXPORT_FONT, wrapText } from './serialize-svg';

// PNG export of canvas figures (digit galleries, heatmaps): the canvas scaled
// by an integer factor without smoothing (pixels stay crisp), on white, with
// the caption wrapped underneath.

export async function canvasToPng(canvas: HTMLCanvasElement, caption: string, scale = 2): Promise<Png> {
  if (!(Number.isInteger(scale) && scale >= 1 && scale <= 8))
    throw new RangeError(`canvasToPng: scale must be an integer in [1, 8], got ${scale}`);
  const w = canvas.width * scale;
  const fontPx = 12 * scale;
  const out = document.createElement('canvas');
  const measureCtx = out.getContext('2d');
  if (!measureCtx) throw new Error('no 2-D canvas');
  measureCtx.font = `italic ${fontPx}px ${EXPORT_FONT}`;
  const lines = caption.trim() ? wrapText(caption.trim(), w - 16 * scale, (s) => measureCtx.measureText(s).width) : [];
  const captionH = lines.length ? lines.length * fontPx * 1.35 + 10 * scale : 0;
  out.width = w;
  out.height = Math.round(canvas.height * scale + captionH);
  const ctx = out.getContext('2d')!;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(canvas, 0, 0, w, canvas.height * scale);
  ctx.fillStyle = '#1d2330';
  ctx.font = `italic ${fontPx}px ${EXPORT_FONT}`;
  ctx.textAlign = 'center';
  lines.forEach((line, i) => ctx.fillText(line, w / 2, canvas.height * scale + 6 * scale + (i + 1) * fontPx * 1.3));
  const blob = await new Promise<Blob>((resolve, reject) =>
    out.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'),
  );
  return { png: new Uint8Array(await blob.arrayBuffer()), width: out.width, height: out.height };
}

/** Save a canvas figure (e.g. a gallery) as PNG where the user chooses; null if they cancel. */
export async function exportCanvasPng(
  canvas: HTMLCanvasElement,
  name: string,
  caption: string,
  scale = 2,
): Promise<string | null> {
  return savePng(name, scale, await canvasToPng(canvas, caption, scale));
}
