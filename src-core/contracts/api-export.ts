import { z } from 'zod';
import { int } from './numbers';
import { nameSchema } from './text-rules';

// Export of figures, metrics and reports. The renderer serialises a chart
// (it has the DOM); the main process validates what it gets and writes it to
// a path the user picks in a save dialog.

/** A file name the user gives an export (no folder, no characters a file system refuses); the dialog adds the type. */
export const fileStem = z
  .string()
  .trim()
  .min(1)
  .max(120)
  .regex(/^[^/\\:*?"<>|\u0000-\u001f]+$/, { error: 'must be a plain file name' });

/** Largest figure the lab writes (SVG text or PNG bytes). */
export const MAX_FIGURE_BYTES = 64 * 1024 * 1024;

export const ExportFigureSchema = z.discriminatedUnion('format', [
  z.strictObject({ format: z.literal('svg'), name: fileStem, svg: z.string().min(1).max(MAX_FIGURE_BYTES) }),
  z.strictObject({
    format: z.literal('png'),
    name: fileStem,
    png: z.instanceof(Uint8Array),
    /** The pixel size the renderer drew; the file's header must say the same. */
    width: int(1, 20_000),
    height: int(1, 20_000),
  }),
]);

export const ExportCsvSchema = z.strictObject({
  runIds: z.array(z.string().min(1).max(100)).min(1).max(64),
  name: fileStem.optional(),
});

/** A figure for the HTML report: serialised SVG (the export helpers' output) and its caption. */
export const ReportFigureSchema = z.strictObject({
  svg: z.string().min(1).max(MAX_FIGURE_BYTES),
  caption: z.string().max(2000),
});

export const ExportReportSchema = z.strictObject({
  sessionId: int(1, Number.MAX_SAFE_INTEGER),
  /** Figures made in the renderer to put first (e.g. the comparison on screen); the report adds one per run. */
  figures: z.array(ReportFigureSchema).max(32).default([]),
  /** Only these runs of the session (the runs compared, a study's runs), in this order; default: every run. */
  runIds: z.array(z.string().min(1).max(100)).min(1).max(10_000).optional(),
  /** The report's title (a study's name); default: the session's name. */
  title: nameSchema.optional(),
});

export interface ExportApi {
  /** Write an SVG or PNG figure; null when the user cancels the save dialog. */
  exportFigure(req: z.input<typeof ExportFigureSchema>): Promise<{ path: string; bytes: number } | null>;
  /** Metrics of runs as CSV: one row per evaluation, one column per metric. */
  exportCsv(req: z.input<typeof ExportCsvSchema>): Promise<{ path: string; rows: number } | null>;
  /** A session as one self-contained HTML report (figures with captions, configuration tables, notes). */
  exportReport(req: z.input<typeof ExportReportSchema>): Promise<{ path: string; bytes: number } | null>;
}

export const EXPORT_CHANNELS = [
  'exportFigure',
  'exportCsv',
  'exportReport',
] as const satisfies readonly (keyof ExportApi)[];
