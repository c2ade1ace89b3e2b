import type { MomentumFigureRequest } from '../../src-core/contracts/api-figures';
import { momentumFigure } from './momentum-figures';
import { svgToPng } from './png';
import type { RenderedFigure } from './render-compare';

// A Momentum view figure as file contents: built from the request and, for PNG, rasterised. The app's export
// service and the CLI's `figure --sim / --phase` both write what this returns.

export function renderMomentumFigure(req: MomentumFigureRequest, format: 'svg' | 'png', scale: number): RenderedFigure {
  const figure = momentumFigure(req);
  return { figure, data: format === 'svg' ? figure.svg : svgToPng(figure.svg, scale) };
}
