import { z } from 'zod';
import type { SweepState } from './api-sweeps';
import { int } from './numbers';

// The assignment: its simulations as presets (src-core/studies/assignment.ts); "Run all" runs every one into a new
// session as one study of kind 'assignment'; its report holds every figure the assignment asks for.

export const StartAssignmentSchema = z.strictObject({
  /** Quick settings (200 images per class, 1 epoch) for a demo or a test; said explicitly (Run all starts 7 runs). */
  small: z.boolean(),
  /** Trainer processes at once (default: the sweep pool's). */
  workers: int(1, 64).optional(),
});

export const AssignmentReportSchema = z.strictObject({ studyId: z.string().min(1).max(100) });

export interface AssignmentState {
  /** The study id of its runs (the sweep's id). */
  id: string;
  name: string;
  sessionId: number;
  sweep: SweepState;
}

export interface AssignmentApi {
  /** Run every simulation of the assignment into a new session (made current). */
  startAssignment(req: z.input<typeof StartAssignmentSchema>): Promise<AssignmentState>;
  /** The assignment's HTML report of one "Run all" (its study id); null when the user cancels the save dialog. */
  exportAssignmentReport(req: z.input<typeof AssignmentReportSchema>): Promise<{ path: string; bytes: number } | null>;
}

export const ASSIGNMENT_CHANNELS = [
  'startAssignment',
  'exportAssignmentReport',
] as const satisfies readonly (keyof AssignmentApi)[];
