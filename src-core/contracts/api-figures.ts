import { z } from 'zod';
import { fileStem } from './api-export';
import { int, real } from './numbers';
import { PhaseDiagramRequestSchema, SimulateRequestSchema } from './sim-config';

// Figures drawn by the main process: the comparison chart of recorded runs
// (Compare's export, the CLI's `figure --runs`) and the Momentum view's
// simulation and phase diagram (its export, `figure --sim` / `--phase`). The
// renderer sends what it shows (runs, metrics, settings, caption); main builds
// the SVG (and the PNG) with the one figure builder, so the app and the CLI
// write the same bytes for the same selection.

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

/** An export of a figure: as SVG or PNG (`scale` PNG pixels per SVG unit), under a file name the user may change. */
const exportOf = <F extends z.ZodType>(figure: F) =>
  z.strictObject({ figure, format: z.enum(['svg', 'png']), scale: int(1, 4).default(2), name: fileStem });

export const ExportCompareFigureSchema = exportOf(CompareFigureSchema);

/** The simulation figures: x_t over the steps, or (2-D objectives) the paths in the plane. */
export const SIM_CHARTS = ['x', 'plane'] as const;
/** What the phase diagram's cells are coloured by (the view's "colour by" choice). */
export const PHASE_COLOURS = ['rate', 'steps'] as const;

/** A simulation figure: the simulator's request (the builder runs it: the simulator is deterministic). */
const SimFigureSchema = z.strictObject({
  kind: z.literal('sim'),
  sim: SimulateRequestSchema,
  chart: z.enum(SIM_CHARTS).default('x'),
  /** The palette slot of each run (the view keeps a d's colour while it is shown); null: slot i for run i. */
  slots: z.array(int(0, 7)).max(16).nullable().default(null),
  /** The report caption; null: the default from the settings (simCaption); '' for none. */
  caption: z.string().max(2000).nullable(),
});

const mapPoint = z.strictObject({ n: int(1, 100_000), iter: int(0, 1e12), h: real(0, 1e9), d: real(0, 3) });

/** The phase diagram over (h = lr*lambda, d), as the Momentum view shows it. */
const PhaseFigureSchema = z.strictObject({
  kind: z.literal('phase'),
  grid: PhaseDiagramRequestSchema,
  colour: z.enum(PHASE_COLOURS).default('rate'),
  /** The current setting: h = lr*lambda per curvature (the stiffest last) at momentum d; null: no marker. */
  mark: z
    .strictObject({ hs: z.array(real(0, 1e9)).max(2), d: real(0, 3) })
    .nullable()
    .default(null),
  /** A training run's path on the map (lr*lambda_max, d per sharpness measurement); null: none. */
  path: z
    .strictObject({ title: z.string().max(300), points: z.array(mapPoint).min(1).max(5000) })
    .nullable()
    .default(null),
  /** The report caption; null: the default (phaseCaption); '' for none. */
  caption: z.string().max(2000).nullable(),
});

export const MomentumFigureSchema = z.discriminatedUnion('kind', [SimFigureSchema, PhaseFigureSchema]);
export type MomentumFigureRequest = z.output<typeof MomentumFigureSchema>;
export type MomentumFigureInput = z.input<typeof MomentumFigureSchema>;

export const ExportMomentumFigureSchema = exportOf(MomentumFigureSchema);

export interface FiguresApi {
  /** Build the comparison figure of recorded runs and write it where the user picks; null when the dialog is cancelled. */
  exportCompareFigure(req: z.input<typeof ExportCompareFigureSchema>): Promise<{ path: string; bytes: number } | null>;
  /** Build the Momentum view's simulation or phase figure from its settings and write it; null when cancelled. */
  exportMomentumFigure(
    req: z.input<typeof ExportMomentumFigureSchema>,
  ): Promise<{ path: string; bytes: number } | null>;
}

export const FIGURES_CHANNELS = [
  'exportCompareFigure',
  'exportMomentumFigure',
] as const satisfies readonly (keyof FiguresApi)[];
