// PNG from a serialised SVG: drawn onto a canvas `scale` times its size
// (1x, 2x, 3x for print), so text and lines stay sharp.

/** A raster image of a figure, as the main process checks and writes it. */
export interface Png {
  png: Uint8Array<ArrayBuffer>;
  width: number;
  height: number;
}

export async function svgToPng(svg: string, width: number, height: number, scale: number): Promise<Png> {
  if (!(scale >= 1 && scale <= 8)) throw new RangeError(`svgToPng: scale must be in [1, 8], got ${scale}`);
  const w = Math.round(width * scale);
  const h = Math.round(height * scale);
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const img = new Image(width, height);
    img.decoding = 'sync';
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('the figure could not be drawn as an image'));
      img.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = w;
    canvas.height = h;
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2-D canvas');
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, w, h);
    ctx.drawImage(img, 0, 0, w, h);
    const blob = await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'),
    );
    return { png: new Uint8Array(await blob.arrayBuffer()), width: w, height: h };
  } finally {
    URL.revokeObjectURL(url);
  }
}
