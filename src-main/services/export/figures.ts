import {
  ExportCompareFigureSchema,
  ExportMomentumFigureSchema,
  type FiguresApi,
} from '../../../src-core/contracts/api-figures';
import { parseOrThrow } from '../../../src-core/contracts/validate';
import type { SessionStore } from '../../../src-core/node/store/session-store';
import { writeFileAtomic } from '../shared/atomic-file';
import { chooseSavePath } from '../shared/save-path';
import type { ServiceContext, ServicesOf } from '../service-context';

// Figures built in the main process: Compare's SVG / PNG export (from a
// session's records) and the Momentum view's (from its settings), with the
// same builders and rasteriser as `momentum-lab figure`.

type Rendered = { data: string | Uint8Array };

async function save(
  ctx: ServiceContext,
  store: SessionStore,
  req: { format: 'svg' | 'png'; scale: number; name: string },
  { data }: Rendered,
) {
  const name = req.format === 'png' ? `${req.name}@${req.scale}x` : req.name;
  const title = req.format === 'svg' ? 'Export figure as SVG' : 'Export figure as PNG';
  const path = await chooseSavePath(ctx, title, name, req.format, req.format.toUpperCase(), [store.path]);
  if (path === null) return null;
  return { path, bytes: writeFileAtomic(path, data, 0o644) };
}

export function createFigureServices(ctx: ServiceContext, store: SessionStore): ServicesOf<FiguresApi> {
  return {
    exportCompareFigure: async (payload) => {
      const req = parseOrThrow(ExportCompareFigureSchema, payload, 'exportCompareFigure');
      // Loaded on first use: d3 and the rasteriser stay out of every other command's and the app's start-up.
      const { renderCompareFigure } = await import('../../figures/render-compare');
      return save(ctx, store, req, renderCompareFigure(store, req.figure, req.format, req.scale));
    },
    exportMomentumFigure: async (payload) => {
      const req = parseOrThrow(ExportMomentumFigureSchema, payload, 'exportMomentumFigure');
      const { renderMomentumFigure } = await import('../../figures/render-momentum');
      // Built before the dialog: a request the builder refuses is an error, not a file.
      return save(ctx, store, req, renderMomentumFigure(req.figure, req.format, req.scale));
    },
  };
}
