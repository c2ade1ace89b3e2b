import type { CompareFigureRequest } from '../../src-core/contracts/api-figures';
import type { SessionStore } from '../../src-core/node/store/session-store';
import { compareFigure, type BuiltFigure } from './compare-figure';
import { svgToPng } from './png';

// A comparison figure of recorded runs as file contents: the runs' curves read
// from the session store, the figure built, and for PNG rasterised. The app's
// export service and the CLI's `figure` both write what this returns.

export interface RenderedFigure {
  figure: BuiltFigure;
  data: string | Uint8Array;
}

export function renderCompareFigure(
  store: SessionStore,
  req: CompareFigureRequest,
  format: 'svg' | 'png',
  scale: number,
): RenderedFigure {
  const curves = req.runIds.map((id) => store.curves(id));
  const figure = compareFigure(curves, req);
  return { figure, data: format === 'svg' ? figure.svg : svgToPng(figure.svg, scale) };
}
