import { z } from 'zod';
import { int, real } from './numbers';
import type { SweepState } from './api-sweeps';
import type { EvalSnapshot } from './session-types';
import { TrainConfigSchema } from './train-config';

// Studies: the course's comparative questions as one click each. A study is
// a named group of runs in the current session (run through the sweep pool),
// planned from a study kind, its values, k seeds and a settings size.

export const STUDY_KINDS = ['lr', 'batchSize', 'hidden', 'trainSize', 'momentum', 'edgeOfStability'] as const;
export type StudyKind = (typeof STUDY_KINDS)[number];

const studyValue = z.union([real(0, 100_000), z.null()]);

export const StartStudySchema = z.strictObject({
  kind: z.enum(STUDY_KINDS),
  /** The varied setting's values (trainSize: examples per class, null = all images). Checked per kind when planned. */
  values: z.array(studyValue).min(1, { error: 'needs at least one value' }).max(12, { error: 'at most 12 values' }),
  /** Repeat every value over this many seeds (seed, seed + 1, …). */
  seeds: int(1, 10),
  /** Quick classroom settings: fewer iterations, 100 images per class, 32 hidden units (unless varied). */
  small: z.boolean(),
  /** Momentum study: keep the learning rate, or scale it by |1 - d| so the effective step lr/(1 - d) stays put. */
  momentumLr: z.enum(['fixed', 'scaled']).optional(),
  /** The settings everything else keeps (default: the lab's defaults). */
  base: TrainConfigSchema.optional(),
  name: z.string().trim().min(1).max(200).optional(),
  /** Trainer processes at once (default: the sweep pool's). */
  workers: int(1, 64).optional(),
});
export type StartStudyRequest = z.infer<typeof StartStudySchema>;

export const StudyIdSchema = z.strictObject({ studyId: z.string().min(1).max(100) });
export const EvalSnapshotSchema = z.strictObject({
  runId: z.string().min(1).max(100),
  iter: int(0, Number.MAX_SAFE_INTEGER).optional(),
});

export interface StudyState {
  id: string;
  name: string;
  kind: StudyKind;
  request: StartStudyRequest;
  /** The sweep that runs it (progress arrives as 'sweep' events with this id). */
  sweep: SweepState;
}

export interface StudiesApi {
  /** Plan the study and queue its runs in the current session. */
  startStudy(req: z.input<typeof StartStudySchema>): Promise<StudyState>;
  cancelStudy(req: z.input<typeof StudyIdSchema>): Promise<StudyState>;
  /** Studies started since the lab started (earlier ones are found in the session by their runs' sweep). */
  listStudies(): Promise<StudyState[]>;
  /** The test-set snapshot (confusion matrix, per-image predictions) of one evaluation of a recorded run; default: its last. */
  evalSnapshot(req: z.input<typeof EvalSnapshotSchema>): Promise<EvalSnapshot | null>;
}

export const STUDIES_CHANNELS = [
  'startStudy',
  'cancelStudy',
  'listStudies',
  'evalSnapshot',
] as const satisfies readonly (keyof StudiesApi)[];
