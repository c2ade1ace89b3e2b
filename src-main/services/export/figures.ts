import { ExportCompareFigureSchema, type FiguresApi } from '../../../src-core/contracts/api-figures';
import { parseOrThrow } from '../../../src-core/contracts/validate';
import type { SessionStore } from '../../../src-core/node/store/session-store';
import { writeFileAtomic } from '../shared/atomic-file';
import { chooseSavePath } from '../shared/save-path';
import type { ServiceContext, ServicesOf } from '../service-context';

// Figures built in the main process from a session's records (Compare's
// SVG / PNG export): the same builder and rasteriser as `momentum-lab figure`.

export function createFigureServices(ctx: ServiceContext, store: SessionStore): ServicesOf<FiguresApi> {
  return {
    exportCompareFigure: async (payload) => {
      const req = parseOrThrow(ExportCompareFigureSchema, payload, 'exportCompareFigure');
      // Loaded on first use: d3 and the rasteriser stay out of every other command's and the app's start-up.
      const { renderCompareFigure } = await import('../../figures/render-compare');
      const { data } = renderCompareFigure(store, req.figure, req.format, req.scale);
      const name = req.format === 'png' ? `${req.name}@${req.scale}x` : req.name;
      const title = req.format === 'svg' ? 'Export figure as SVG' : 'Export figure as PNG';
      const path = await chooseSavePath(ctx, title, name, req.format, req.format.toUpperCase(), [store.path]);
      if (path === null) return null;
      return { path, bytes: writeFileAtomic(path, data, 0o644) };
    },
  };
}
