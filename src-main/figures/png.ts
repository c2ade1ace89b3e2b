import { Resvg } from '@resvg/resvg-js';

// The one rasteriser of the figures the main process builds: resvg (a Rust
// SVG renderer, prebuilt for Node; no browser needed), used by Compare's PNG
// export and by `momentum-lab figure --out F.png` alike, so both write the
// same pixels. Text uses the system's fonts, DejaVu Sans first (the export
// font), so one machine always draws a figure the same way.

/** A PNG of `svg` at `scale` pixels per SVG unit, on white. */
export function svgToPng(svg: string, scale: number): Uint8Array {
  if (!(Number.isInteger(scale) && scale >= 1 && scale <= 4))
    throw new RangeError(`svgToPng: scale must be 1, 2, 3 or 4, got ${scale}`);
  const r = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: '#ffffff',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  });
  return new Uint8Array(r.render().asPng());
}
