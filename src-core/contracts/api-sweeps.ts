import { z } from 'zod';
import { int, positiveReal, real } from './numbers';
import { TrainConfigSchema } from './train-config';

// Sweeps: a grid of settings, one training run per combination, executed on
// a pool of trainer workers and recorded into the current session.

const list = <T extends z.ZodType>(item: T) =>
  z.array(item).min(1, { error: 'needs at least one value' }).max(32).optional();

export const SweepGridSchema = z.strictObject({
  lr: list(positiveReal(1e4)),
  batchSize: list(int(1, 60000)),
  hidden: list(int(1, 4096)),
  momentum: list(real(0, 2)),
  /** null = all training images. */
  perClass: list(int(1, 100_000).nullable()),
  seed: list(int(0, 0xffffffff)),
});
export type SweepGrid = z.infer<typeof SweepGridSchema>;
export const SWEEP_AXES = [
  'lr',
  'batchSize',
  'hidden',
  'momentum',
  'perClass',
  'seed',
] as const satisfies readonly (keyof SweepGrid)[];

export const StartSweepSchema = z
  .strictObject({
    base: TrainConfigSchema,
    grid: SweepGridSchema,
    /** Runs at once; default: as many as the machine has cores. */
    workers: int(1, 64).optional(),
  })
  .superRefine((req, ctx) => {
    const n = SWEEP_AXES.reduce((k, axis) => k * (req.grid[axis]?.length ?? 1), 1);
    if (n > 256) ctx.addIssue({ code: 'custom', path: ['grid'], message: `makes ${n} runs; the limit is 256` });
  });

export const CancelSweepSchema = z.strictObject({ sweepId: z.string().min(1).max(100), index: int(0, 255).optional() });

export type SweepItemStatus =
  'queued' | 'running' | 'finished' | 'collapsed' | 'cancelled' | 'diverged' | 'failed' | 'interrupted';

export interface SweepItem {
  index: number;
  /** What differs from the base, e.g. "LR 0.1, BS 32". */
  label: string;
  status: SweepItemStatus;
  runId: string | null;
  /** Iterations done / total (0 while queued). */
  iter: number;
  totalIters: number;
  testAcc: number | null;
}

export interface SweepState {
  id: string;
  sessionId: number;
  workers: number;
  items: SweepItem[];
  done: boolean;
}

export interface SweepsApi {
  startSweep(req: z.input<typeof StartSweepSchema>): Promise<SweepState>;
  /** Cancel the whole sweep, or one run of it (queued or running) with index. */
  cancelSweep(req: z.input<typeof CancelSweepSchema>): Promise<SweepState>;
  listSweeps(): Promise<SweepState[]>;
}

export const SWEEPS_CHANNELS = [
  'startSweep',
  'cancelSweep',
  'listSweeps',
] as const satisfies readonly (keyof SweepsApi)[];
