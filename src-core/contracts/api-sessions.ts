import { z } from 'zod';
import { int } from './numbers';
import { nameSchema, notesSchema } from './text-rules';
import type {
  RunCurves,
  RunDetail,
  RunSummary,
  RunWeights,
  SessionDetail,
  SessionSummary,
  SimRecord,
} from './session-types';

// Experiment sessions as the renderer sees them: every run is recorded into
// the current session by the main process; these calls manage sessions and
// read back what was recorded.

const name = nameSchema;
const sessionId = int(1, Number.MAX_SAFE_INTEGER);
const runId = z.string().min(1).max(100);

export const SessionNameSchema = z.strictObject({ name });
export const SessionIdSchema = z.strictObject({ id: sessionId });
/** Runs per page of the Sessions view (a session of 20,000 runs loads one page at a time). */
export const RUNS_PAGE = 200;
/** A session, and optionally one page of its runs (offset from the first recorded, at most `limit`). */
export const SessionPageSchema = z.strictObject({
  id: sessionId,
  offset: int(0, Number.MAX_SAFE_INTEGER).optional(),
  limit: int(0, 10_000).optional(),
});
export const RenameSessionSchema = z.strictObject({ id: sessionId, name });
export const DuplicateSessionSchema = z.strictObject({ id: sessionId, name: name.optional() });
export const RunIdSchema = z.strictObject({ runId });
export const UpdateRunSchema = z.strictObject({ runId, name: name.optional(), notes: notesSchema.optional() });
export const SimIdSchema = z.strictObject({ simId: runId });
export const UpdateSimSchema = z.strictObject({ simId: runId, name: name.optional(), notes: notesSchema.optional() });
export const RunWeightsSchema = z.strictObject({ runId, iter: int(0, Number.MAX_SAFE_INTEGER).optional() });
export const RunIdsSchema = z.strictObject({
  runIds: z.array(runId).min(1, { error: 'select at least one run' }).max(64),
});

export interface SessionsApi {
  listSessions(): Promise<SessionSummary[]>;
  /** The session new runs are recorded into (the last one opened; reopened on start). */
  currentSession(): Promise<SessionDetail>;
  /** Create a session and make it current. A taken name gets " (2)" etc. */
  createSession(req: z.input<typeof SessionNameSchema>): Promise<SessionDetail>;
  /** Make a session current (new runs go there) and answer its runs (all, or the page asked for). */
  openSession(req: z.input<typeof SessionPageSchema>): Promise<SessionDetail>;
  /** A session's runs (all, or the page asked for) and simulations, without making it current. */
  sessionDetail(req: z.input<typeof SessionPageSchema>): Promise<SessionDetail>;
  renameSession(req: z.input<typeof RenameSessionSchema>): Promise<SessionSummary>;
  duplicateSession(req: z.input<typeof DuplicateSessionSchema>): Promise<SessionSummary>;
  /** Delete a session and its runs; answers the session that is current afterwards. */
  deleteSession(req: z.input<typeof SessionIdSchema>): Promise<SessionDetail>;
  updateRun(req: z.input<typeof UpdateRunSchema>): Promise<RunSummary>;
  deleteRun(req: z.input<typeof RunIdSchema>): Promise<void>;
  /** Rename a saved simulation or write notes on it. */
  updateSim(req: z.input<typeof UpdateSimSchema>): Promise<SimRecord>;
  deleteSim(req: z.input<typeof SimIdSchema>): Promise<void>;
  /** Evaluation curves of several runs, in the order asked. */
  runCurves(req: z.input<typeof RunIdsSchema>): Promise<RunCurves[]>;
  /** Everything recorded for one run. */
  runDetail(req: z.input<typeof RunIdSchema>): Promise<RunDetail>;
  /**
   * The first-layer (hidden-unit) weights recorded for a run at one evaluation (default: the latest),
   * with the iterations whose weights are kept; null when the run recorded none (e.g. made by an older lab).
   */
  runWeights(req: z.input<typeof RunWeightsSchema>): Promise<RunWeights | null>;
  /** Save a session as one SQLite file at a path the user picks; null if they cancel. */
  exportSessionFile(
    req: z.input<typeof SessionIdSchema>,
  ): Promise<{ path: string; bytes: number; runs: number } | null>;
  /** Pick a session file and import its sessions (checked first); null if the user cancels. */
  importSessionFile(): Promise<SessionSummary[] | null>;
}

export const SESSIONS_CHANNELS = [
  'listSessions',
  'currentSession',
  'createSession',
  'openSession',
  'sessionDetail',
  'renameSession',
  'duplicateSession',
  'deleteSession',
  'updateRun',
  'deleteRun',
  'updateSim',
  'deleteSim',
  'runCurves',
  'runDetail',
  'runWeights',
  'exportSessionFile',
  'importSessionFile',
] as const satisfies readonly (keyof SessionsApi)[];

/** Pushed when what the store holds changed (a run started or ended, a session changed). */
/**
 * How a run's recording stands, pushed when it changes: `waiting` while
 * messages the database could not take yet are kept in memory and retried;
 * `saved` when everything is written; `not-saved` when the memory bound was
 * reached or the run ended with messages never written (message says what).
 */
export interface RecordingState {
  runId: string;
  state: 'waiting' | 'saved' | 'not-saved';
  message: string;
}

export interface SessionsChanged {
  sessionId: number;
  runId?: string;
  reason: 'run-started' | 'run-ended' | 'sessions';
}
