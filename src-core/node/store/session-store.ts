import { randomUUID } from 'node:crypto';
import { LabError } from '../../contracts/lab-error';
import { decimalOrNull } from '../../contracts/parse-decimal';
import { describeRun, uniqueName } from '../../contracts/run-name';
import type { TrainConfig } from '../../contracts/train-config';
import type {
  EvalSnapshot,
  RunCurves,
  RunDetail,
  RunSummary,
  RunWeights,
  SessionDetail,
  SessionSummary,
} from '../../contracts/session-types';
import { BatchRowSchema, blobAs, EvalRowSchema, iterationSpan, parseRow, BadRowError } from './row-schema';
import { copyRun, freeSessionName } from './copy-run';
import { beat, HEARTBEAT_EVERY_MS, interruptDeadRuns } from './liveness';
import { markInterrupted } from './record';
import { copySims, listSims } from './sims';
import { openDatabase, sqliteError, type Db, type OpenOptions } from './open-db';
import { readWeights } from './weights';
import { sweepStaleTemps } from './temp-files';
import { EVAL_COLUMN_LIST, EVAL_COLUMNS, RUN_SELECT, SESSION_SELECT, toPoint, toRun, toSession } from './rows';
import { z } from 'zod';

/**
 * Experiment sessions in one SQLite file: sessions, their runs, every
 * evaluation point and mini-batch. Opening it migrates the schema, marks runs
 * a dead process left 'running' as 'interrupted', and reopens the last session.
 */
/** One page of a session's runs. */
export interface RunPage {
  offset: number;
  limit: number;
}

export class SessionStore {
  readonly db: Db;
  readonly path: string;
  /** Runs found 'running' from a dead process when the store opened. */
  readonly interruptedOnOpen: string[];

  readonly #heartbeat: ReturnType<typeof setInterval> | null;

  constructor(path: string, options: OpenOptions = {}) {
    this.path = path;
    this.db = openDatabase(path, options);
    // A start of the lab: temporary copies left by an import or export that was killed go now.
    if (path !== ':memory:' && !options.readonly) sweepStaleTemps();
    this.interruptedOnOpen = markInterrupted(this.db, Date.now());
    this.currentSessionId(); // make sure there is a session to record into
    // The heartbeat of the runs this process records (liveness.ts); unref'd: it never keeps a process alive.
    this.#heartbeat = options.readonly ? null : setInterval(() => this.beat(), HEARTBEAT_EVERY_MS);
    this.#heartbeat?.unref?.();
  }

  close(): void {
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    if (this.db.open) this.db.close();
  }

  /** Refresh the heartbeat of the runs this process is recording (the timer calls it); returns how many. */
  beat(now: number = Date.now()): number {
    if (!this.db.open) return 0;
    try {
      return beat(this.db, now);
    } catch {
      return 0; // a read that failed (damaged file): the next beat tries again
    }
  }

  /** Runs marked 'running' whose recording process is gone (stale heartbeat, or no such process) become 'interrupted'. */
  reapDeadRuns(now: number = Date.now()): string[] {
    return this.#wrap('checking which runs are still training', () => interruptDeadRuns(this.db, now, false));
  }

  #wrap<T>(what: string, fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      throw sqliteError(err, what);
    }
  }

  // ---- sessions -------------------------------------------------------------

  #meta(key: string): string | null {
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row ? row.value : null;
  }

  #setMeta(key: string, value: string): void {
    this.db
      .prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
      .run(key, value);
  }

  /** The session new runs go into: the last one opened, else the newest, else a new "Session 1". */
  currentSessionId(): number {
    const saved = decimalOrNull(this.#meta('current_session') ?? '') ?? 0; // stored as text: decimal only, like every number the lab reads from text
    if (saved && this.db.prepare('SELECT 1 FROM sessions WHERE id = ?').get(saved)) return saved;
    // Decide and create under the write lock: processes opening a new file at once agree on one "Session 1".
    return this.#wrap('currentSessionId', () =>
      this.db
        .transaction(() => {
          const again = Number(this.#meta('current_session'));
          if (again && this.db.prepare('SELECT 1 FROM sessions WHERE id = ?').get(again)) return again;
          const newest = this.db.prepare('SELECT id FROM sessions ORDER BY updated_at DESC, id DESC LIMIT 1').get() as
            { id: number } | undefined;
          const id = newest ? newest.id : this.createSession('Session 1').id;
          this.#setMeta('current_session', String(id));
          return id;
        })
        .immediate(),
    );
  }

  /** Make the session named `name` current, creating it if there is none — one transaction, so processes doing this at once share it. */
  openOrCreateSession(name: string): SessionSummary {
    const id = this.#wrap('openOrCreateSession', () =>
      this.db
        .transaction(() => {
          const found = this.db.prepare('SELECT id FROM sessions WHERE name = ?').pluck().get(name) as
            number | undefined;
          const sid = found ?? this.createSession(name).id;
          this.#setMeta('current_session', String(sid));
          return sid;
        })
        .immediate(),
    );
    return this.session(id);
  }

  /**
   * Every session. A session whose own row is damaged is listed anyway (under
   * "Session N (damaged)", with `damaged` saying why) so it can be deleted.
   */
  listSessions(): SessionSummary[] {
    const current = this.currentSessionId();
    return (this.db.prepare(`${SESSION_SELECT} ORDER BY s.updated_at DESC, s.id DESC`).all() as { id: number }[]).map(
      (r) => {
        try {
          return toSession(r, current);
        } catch (err) {
          if (!(err instanceof BadRowError)) throw err;
          const counts = r as unknown as { run_count: number; sim_count: number };
          return {
            id: r.id,
            name: `Session ${r.id} (damaged)`,
            createdAt: 0,
            updatedAt: 0,
            runCount: counts.run_count,
            simCount: counts.sim_count,
            current: r.id === current,
            damaged: err.message,
          };
        }
      },
    );
  }

  session(id: number): SessionSummary {
    const row = this.db.prepare(`${SESSION_SELECT} WHERE s.id = ?`).get(id);
    if (!row) throw new LabError('not-found', `no session with id ${id}`);
    return toSession(row, this.currentSessionId());
  }

  /** A session with its runs (all, or one page of them in recording order) and its simulations. */
  sessionDetail(id: number = this.currentSessionId(), page?: RunPage): SessionDetail {
    const session = this.session(id);
    const runs = this.listRuns(id, page);
    return { session, runs, sims: listSims(this.db, id) };
  }

  /** Make a session current (new runs go there) without reading its runs. */
  selectSession(id: number): void {
    if (!this.db.prepare('SELECT 1 FROM sessions WHERE id = ?').get(id))
      throw new LabError('not-found', `no session with id ${id}`);
    this.#setMeta('current_session', String(id));
  }

  /** Runs of a session still marked running (read without decoding any row, so a damaged session can be checked). */
  runningIn(sessionId: number): number {
    return this.db
      .prepare(`SELECT COUNT(*) FROM runs WHERE session_id = ? AND status = 'running'`)
      .pluck()
      .get(sessionId) as number;
  }

  createSession(name: string): SessionSummary {
    return this.#wrap('createSession', () => {
      const now = Date.now();
      const finalName = freeSessionName(this.db, name);
      const id = Number(
        this.db.prepare('INSERT INTO sessions (name, created_at, updated_at) VALUES (?, ?, ?)').run(finalName, now, now)
          .lastInsertRowid,
      );
      return { id, name: finalName, createdAt: now, updatedAt: now, runCount: 0, simCount: 0, current: false };
    });
  }

  openSession(id: number, page?: RunPage): SessionDetail {
    this.selectSession(id);
    return this.sessionDetail(id, page);
  }

  renameSession(id: number, name: string): SessionSummary {
    // Existence only: renaming is how a session listed as damaged (a name against the rules) is mended.
    if (!this.db.prepare('SELECT 1 FROM sessions WHERE id = ?').get(id))
      throw new LabError('not-found', `no session with id ${id}`);
    const clash = this.db.prepare('SELECT id FROM sessions WHERE name = ? AND id != ?').get(name, id);
    if (clash) throw new LabError('invalid-input', `renameSession: a session named "${name}" already exists`);
    this.db.prepare('UPDATE sessions SET name = ?, updated_at = ? WHERE id = ?').run(name, Date.now(), id);
    return this.session(id);
  }

  duplicateSession(id: number, name?: string): SessionSummary {
    const src = this.session(id);
    return this.#wrap('duplicateSession', () =>
      this.db.transaction(() => {
        const copy = this.createSession(name ?? `${src.name} (copy)`);
        const runIds = this.db
          .prepare('SELECT id FROM runs WHERE session_id = ? ORDER BY started_at')
          .pluck()
          .all(id) as string[];
        for (const runId of runIds) copyRun(this.db, 'main', runId, randomUUID(), copy.id);
        copySims(this.db, 'main', id, copy.id);
        return this.session(copy.id);
      })(),
    );
  }

  /**
   * Delete a session and its runs; the current session moves to the newest
   * left (or a new one). Reads none of its rows, so a session that fails to
   * load (damaged rows) can always be deleted.
   */
  deleteSession(id: number): void {
    if (!this.db.prepare('SELECT 1 FROM sessions WHERE id = ?').get(id))
      throw new LabError('not-found', `no session with id ${id}`);
    this.reapDeadRuns();
    this.db.prepare('DELETE FROM sessions WHERE id = ?').run(id);
    this.currentSessionId();
  }

  // ---- runs -----------------------------------------------------------------

  /** A session's runs in recording order: all, or `page.limit` of them from `page.offset`. */
  listRuns(sessionId: number, page?: RunPage): RunSummary[] {
    const order = `${RUN_SELECT} WHERE r.session_id = ? ORDER BY r.started_at, r.rowid`;
    const rows = page
      ? this.db.prepare(`${order} LIMIT ? OFFSET ?`).all(sessionId, page.limit, page.offset)
      : this.db.prepare(order).all(sessionId);
    return rows.map(toRun);
  }

  /** The runs of one study (runs.study_id), in recording order. */
  studyRuns(studyId: string): RunSummary[] {
    return this.db.prepare(`${RUN_SELECT} WHERE r.study_id = ? ORDER BY r.started_at, r.rowid`).all(studyId).map(toRun);
  }

  run(id: string): RunSummary {
    const row = this.db.prepare(`${RUN_SELECT} WHERE r.id = ?`).get(id);
    if (!row) throw new LabError('not-found', `no run with id ${id}`);
    return toRun(row);
  }

  updateRun(id: string, change: { name?: string; notes?: string }): RunSummary {
    this.run(id);
    if (change.name !== undefined) this.db.prepare('UPDATE runs SET name = ? WHERE id = ?').run(change.name, id);
    if (change.notes !== undefined) this.db.prepare('UPDATE runs SET notes = ? WHERE id = ?').run(change.notes, id);
    return this.run(id);
  }

  deleteRun(id: string): void {
    this.run(id);
    this.reapDeadRuns();
    const run = this.run(id);
    if (run.status === 'running') throw new LabError('busy', 'deleteRun: the run is still training; cancel it first');
    this.db.prepare('DELETE FROM runs WHERE id = ?').run(id);
  }

  curves(id: string): RunCurves {
    const run = this.run(id);
    const rows = this.db.prepare(`SELECT ${EVAL_COLUMNS} FROM evals WHERE run_id = ? ORDER BY iter`).all(id);
    return { run, points: rows.map((r) => toPoint(r, id)) };
  }

  /**
   * The curves of every run of a session, in recording order: one query for
   * the runs and one for all their evaluations (not two per run), for the
   * report and the CSV of a session of any size.
   */
  sessionCurves(sessionId: number): RunCurves[] {
    const runs = this.listRuns(sessionId);
    const byRun = new Map(runs.map((r) => [r.id, [] as RunCurves['points']]));
    const rows = this.db
      .prepare(
        `SELECT e.run_id, ${EVAL_COLUMN_LIST.map((c) => `e.${c}`).join(', ')}
         FROM runs r JOIN evals e INDEXED BY evals_summary ON e.run_id = r.id WHERE r.session_id = ?`,
      )
      .raw()
      .iterate(sessionId) as Iterable<unknown[]>;
    for (const [runId, ...values] of rows) {
      byRun
        .get(runId as string)
        ?.push(toPoint(Object.fromEntries(EVAL_COLUMN_LIST.map((c, k) => [c, values[k]])), runId as string));
    }
    return runs.map((run) => ({ run, points: byRun.get(run.id) ?? [] }));
  }

  detail(id: string): RunDetail {
    const { run, points } = this.curves(id);
    const subsetRow = parseRow(
      'runs',
      z.object({ subset: BatchRowSchema.shape.loss.nullable() }),
      this.db.prepare('SELECT subset FROM runs WHERE id = ?').get(id),
      `run ${id}`,
    );
    const batches = (
      this.db
        .prepare('SELECT run_id, from_iter, loss, acc FROM batches WHERE run_id = ? ORDER BY from_iter')
        .all(id) as unknown[]
    ).map((row) => {
      const b = parseRow('batches', BatchRowSchema, row, `run ${id}`);
      if (b.loss.byteLength !== b.acc.byteLength)
        throw new BadRowError(
          'batches',
          'acc',
          `run ${id} from iteration ${b.from_iter}`,
          `holds ${b.acc.byteLength / 4} values where loss holds ${b.loss.byteLength / 4}`,
        );
      return { from: b.from_iter, loss: blobAs.f32(b.loss), acc: blobAs.f32(b.acc) };
    });
    // The per-iteration arrays are sized by what is stored (the batches' extent), never by a stored count
    // alone: a forged from_iter or iters_done must not make a 1 MB file allocate gigabytes.
    const n = iterationSpan(batches, `run ${id}`);
    const iterLoss = new Float32Array(n).fill(NaN);
    const iterAcc = new Float32Array(n).fill(NaN);
    for (const b of batches) {
      iterLoss.set(b.loss, b.from);
      iterAcc.set(b.acc, b.from);
    }
    return {
      run,
      points,
      subsetIndices: subsetRow.subset ? blobAs.i32(subsetRow.subset) : null,
      iterLoss,
      iterAcc,
      last: this.snapshot(id),
    };
  }

  /** The test-set snapshot of one evaluation (default: the last). */
  snapshot(id: string, iter?: number): EvalSnapshot | null {
    const raw =
      iter === undefined
        ? this.db
            .prepare('SELECT * FROM evals WHERE run_id = ? AND confusion IS NOT NULL ORDER BY iter DESC LIMIT 1')
            .get(id)
        : this.db.prepare('SELECT * FROM evals WHERE run_id = ? AND iter = ?').get(id, iter);
    if (!raw) return null;
    const row = parseRow(
      'evals',
      EvalRowSchema,
      raw,
      `run ${id} at iteration ${String((raw as { iter?: unknown }).iter)}`,
    );
    if (row.confusion === null) return null;
    return {
      iter: row.iter,
      confusion: blobAs.i32(row.confusion),
      predicted: row.predicted ? blobAs.u8(row.predicted) : new Uint8Array(0),
      misclassified: row.misclassified ? blobAs.i32(row.misclassified) : new Int32Array(0),
      misPredicted: row.mis_predicted ? blobAs.u8(row.mis_predicted) : new Uint8Array(0),
      misConfidence: row.mis_confidence ? blobAs.f32(row.mis_confidence) : new Float32Array(0),
    };
  }

  /** The first-layer weights kept for a run at evaluation `iter` (default: the latest), or null when none were recorded. */
  weights(id: string, iter?: number): RunWeights | null {
    this.run(id);
    return readWeights(this.db, id, iter);
  }

  /**
   * Name a new run: its settings (describeRun, "LR 0.1 · BS 32 · HL 64 · 100/class · 4 epochs · seed 1"), with
   * " (2)", " (3)", … when the session already has a run of that name; without a config, "Run N" with N one past
   * the session's count.
   */
  nextRunName(sessionId: number, config?: TrainConfig): string {
    if (config) {
      const names = this.db
        .prepare('SELECT name FROM runs WHERE session_id = ? AND substr(name, 1, ?) = ?')
        .pluck()
        .all(sessionId, describeRun(config).length, describeRun(config)) as string[];
      return uniqueName(describeRun(config), new Set(names));
    }
    const count = this.db.prepare('SELECT COUNT(*) FROM runs WHERE session_id = ?').pluck().get(sessionId) as number;
    return `Run ${count + 1}`;
  }
}
