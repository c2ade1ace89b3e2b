import { z } from 'zod';
import { fileStem } from './api-export';
import { int, real } from './numbers';

// Figures drawn by the main process from what a session recorded: the
// comparison chart (Compare's export, the CLI's `figure`). The renderer sends
// what it shows (runs, metrics, x axis, smoothing, caption); main builds the
// SVG (and the PNG) with the one figure builder, so the app and the CLI write
// the same bytes for the same selection.

export const FIGURE_METRICS = ['test-loss', 'train-loss', 'test-acc', 'train-acc'] as const;
export const FIGURE_X_AXES = ['iteration', 'epoch', 'examples', 'time'] as const;
export type FigureXAxis = (typeof FIGURE_X_AXES)[number];

export const CompareFigureSchema = z
  .strictObject({
    runIds: z.array(z.string().min(1).max(100)).min(1, { error: 'needs at least one run' }).max(64),
    /** Loss or accuracy, test and/or train (one quantity per figure: they do not share a y axis). */
    metrics: z.array(z.enum(FIGURE_METRICS)).min(1).max(4),
    x: z.enum(FIGURE_X_AXES),
    /** Exponential smoothing weight, as Compare's slider (the raw curve is drawn faintly under the smoothed one). */
    smooth: real(0, 0.95),
    /** The report caption; null: the default built from the settings (comparisonCaption); '' for none. */
    caption: z.string().max(2000).nullable(),
    /** Loss on a log axis. */
    yLog: z.boolean().default(false),
    /** Accuracy on the full 0–100 % range. */
    accFull: z.boolean().default(false),
  })
  .superRefine((req, ctx) => {
    const kinds = new Set(req.metrics.map((m) => m.split('-')[1]));
    if (kinds.size > 1)
      ctx.addIssue({
        code: 'custom',
        path: ['metrics'],
        message: 'loss and accuracy do not share a y axis: draw them as two figures',
      });
    if (new Set(req.metrics).size !== req.metrics.length)
      ctx.addIssue({ code: 'custom', path: ['metrics'], message: 'names a metric twice' });
  });
export type CompareFigureRequest = z.infer<typeof CompareFigureSchema>;

export const ExportCompareFigureSchema = z.strictObject({
  figure: CompareFigureSchema,
  format: z.enum(['svg', 'png']),
  /** PNG pixels per SVG unit. */
  scale: int(1, 4).default(2),
  name: fileStem,
});

export interface FiguresApi {
  /** Build the comparison figure of recorded runs and write it where the user picks; null when the dialog is cancelled. */
  exportCompareFigure(req: z.input<typeof ExportCompareFigureSchema>): Promise<{ path: string; bytes: number } | null>;
}

export const FIGURES_CHANNELS = ['exportCompareFigure'] as const satisfies readonly (keyof FiguresApi)[];
