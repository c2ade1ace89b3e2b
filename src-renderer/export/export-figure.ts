import { lab } from '../lib/lab';
import { svgToPng, type Png } from './rasterize';
import { serializeFigure } from './serialize-svg';

// The export actions the views call: serialise the chart here, let the main
// process validate it and write it where the user chooses.

export type FigureFormat = 'svg' | 'png';

/** A file name from a figure id and caption's start, e.g. "compare-accuracy". */
export function figureFileName(id: string): string {
  return (
    id
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'figure'
  );
}

/** Write a PNG figure `name` at `scale` where the user chooses: its path, or null if they cancel. */
export async function savePng(name: string, scale: number, png: Png): Promise<string | null> {
  return (await lab.exportFigure({ format: 'png', name: `${name}@${scale}x`, ...png }))?.path ?? null;
}

export async function exportFigure(
  svg: SVGSVGElement,
  caption: string,
  format: FigureFormat,
  scale = 2,
): Promise<string | null> {
  const fig = serializeFigure(svg, caption);
  const name = figureFileName(svg.getAttribute('data-figure') ?? 'figure');
  if (format === 'svg') return (await lab.exportFigure({ format: 'svg', name, svg: fig.svg }))?.path ?? null;
  return savePng(name, scale, await svgToPng(fig.svg, fig.width, fig.height, scale));
}
