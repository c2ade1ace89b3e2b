import { listSims } from '../../../src-core/node/store/sims';
import {
  ExportCsvSchema,
  ExportFigureSchema,
  ExportReportSchema,
  type ExportApi,
} from '../../../src-core/contracts/api-export';
import { LabError } from '../../../src-core/contracts/lab-error';
import { parseOrThrow } from '../../../src-core/contracts/validate';
import type { SessionStore } from '../../../src-core/node/store/session-store';
import { checkPng, checkSvg } from './export-check';
import { metricsCsv } from './export-csv';
import { buildReport } from './export-report';
import { chooseSavePath } from '../shared/save-path';
import type { ServiceContext, ServicesOf } from '../service-context';
import { writeFileAtomic } from '../shared/atomic-file';

/** Through the one write path: a temporary file beside the target, renamed only over a regular file. */
const write = (path: string, data: string | Uint8Array): number => writeFileAtomic(path, data, 0o644);

/** The curves of some runs of a session, in the order asked; a run of another session (or none) is an error. */
function selectedCurves(store: SessionStore, sessionId: number, runIds: readonly string[]) {
  return [...new Set(runIds)].map((id) => {
    const c = store.curves(id);
    if (c.run.sessionId !== sessionId)
      throw new LabError('invalid-input', `exportReport: run ${id} is not in session ${sessionId}`);
    return c;
  });
}

/** Figures, CSV and reports: validate what the renderer sent, ask where to save, write. */
export function createExportServices(ctx: ServiceContext, store: SessionStore): ServicesOf<ExportApi> {
  return {
    exportFigure: async (payload) => {
      const req = parseOrThrow(ExportFigureSchema, payload, 'exportFigure');
      const data = req.format === 'svg' ? checkSvg(req.svg) : checkPng(req.png, req.width, req.height);
      const path = await chooseSavePath(
        ctx,
        req.format === 'svg' ? 'Export figure as SVG' : 'Export figure as PNG',
        req.name,
        req.format,
        req.format.toUpperCase(),
        [store.path],
      );
      if (path === null) return null;
      return { path, bytes: write(path, data) };
    },
    exportCsv: async (payload) => {
      const req = parseOrThrow(ExportCsvSchema, payload, 'exportCsv');
      const { text, rows } = metricsCsv(req.runIds.map((id) => store.curves(id)));
      const path = await chooseSavePath(ctx, 'Export metrics as CSV', req.name ?? 'metrics', 'csv', 'CSV', [
        store.path,
      ]);
      if (path === null) return null;
      write(path, text);
      return { path, rows };
    },
    exportReport: async (payload) => {
      const req = parseOrThrow(ExportReportSchema, payload, 'exportReport');
      const session = store.session(req.sessionId);
      const figures = req.figures.map((f) => ({
        svg: checkSvg(f.svg).replace(/^<\?xml[^>]*\?>\s*/, ''),
        caption: f.caption,
      }));
      const html = req.runIds
        ? buildReport(session, selectedCurves(store, session.id, req.runIds), figures, [], {
            title: req.title,
            selection: true,
          })
        : buildReport(session, store.sessionCurves(session.id), figures, listSims(store.db, session.id), {
            title: req.title,
          });
      const stem = (req.title ?? session.name).replace(/[/\\:*?"<>|]+/g, '_');
      const path = await chooseSavePath(ctx, 'Export session report', stem, 'html', 'HTML report', [store.path]);
      if (path === null) return null;
      return { path, bytes: write(path, html) };
    },
  };
}
