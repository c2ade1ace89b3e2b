import { randomUUID } from 'node:crypto';
import { LabError } from '../../contracts/lab-error';
import type { EvalSnapshot, RunCurves, RunDetail, RunSummary, RunWeights, SessionDetail, SessionSummary } from '../../contracts/session-types';
import { decodeNumber, fromBlob } from './codec';
import { copyRun, freeSessionName } from './copy-run';
import { markInterrupted } from './record';
import { copySims, listSims } from './sims';
import { openDatabase, sqliteError, type Db, type OpenOptions } from './open-db';
import { readWeights } from './weights';
import { sweepStaleTemps } from './temp-files';
import { RUN_SELECT, SESSION_SELECT, toPoint, toRun, toSession, type EvalRow, type RunRow, type SessionRow } from './rows';

/**
 * Experiment sessions in one SQLite file: sessions, their runs, every
 * evaluation point and mini-batch. Opening it migrates the schema, marks runs
 * a dead process left 'running' as 'interrupted', and reopens the last session.
 */
export class SessionStore {
  readonly db: Db;
  readonly path: string;
  /** Runs found 'running' from a dead process when the store opened. */
  readonly interruptedOnOpen: string[];

  constructor(path: string, options: OpenOptions = {}) {
    this.path = path;
    this.db = openDatabase(path, options);
    // A start of the lab: temporary copies left by an import or export that was killed go now.
    if (path !== ':memory:' && !options.readonly) sweepStaleTemps();
    this.interruptedOnOpen = markInterrupted(this.db, Date.now());
    this.currentSessionId(); // make sure there is a session to record into
  }

  close(): void {
    if (this.db.open) this.db.close();
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
    this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  /** The session new runs go into: the last one opened, else the newest, else a new "Session 1". */
  currentSessionId(): number {
    const saved = Number(this.#meta('current_session'));
    if (saved && this.db.prepare('SELECT 1 FROM sessions WHERE id = ?').get(saved)) return saved;
    // Decide and create under the write lock: processes opening a new file at once agree on one "Session 1".
    return this.#wrap('currentSessionId', () =>
      this.db.transaction(() => {
        const again = Number(this.#meta('current_session'));
        if (again && this.db.prepare('SELECT 1 FROM sessions WHERE id = ?').get(again)) return again;
        const newest = this.db.prepare('SELECT id FROM sessions ORDER BY updated_at DESC, id DESC LIMIT 1').get() as { id: number } | undefined;
        const id = newest ? newest.id : this.createSession('Session 1').id;
        this.#setMeta('current_session', String(id));
        return id;
      }).immediate(),
    );
  }

  /** Make the session named `name` current, creating it if there is none — one transaction, so processes doing this at once share it. */
  openOrCreateSession(name: string): SessionSummary {
    const id = this.#wrap('openOrCreateSession', () =>
      this.db.transaction(() => {
        const found = this.db.prepare('SELECT id FROM sessions WHERE name = ?').pluck().get(name) as number | undefined;
        const sid = found ?? this.createSession(name).id;
        this.#setMeta('current_session', String(sid));
        return sid;
      }).immediate(),
    );
    return this.session(id);
  }

  listSessions(): SessionSummary[] {
    const current = this.currentSessionId();
    return (this.db.prepare(`${SESSION_SELECT} ORDER BY s.updated_at DESC, s.id DESC`).all() as SessionRow[]).map((r) => toSession(r, current));
  }

  session(id: number): SessionSummary {
    const row = this.db.prepare(`${SESSION_SELECT} WHERE s.id = ?`).get(id) as SessionRow | undefined;
    if (!row) throw new LabError('not-found', `no session with id ${id}`);
    return toSession(row, this.currentSessionId());
  }

  sessionDetail(id: number = this.currentSessionId()): SessionDetail {
    return { session: this.session(id), runs: this.listRuns(id), sims: listSims(this.db, id) };
  }

  createSession(name: string): SessionSummary {
    return this.#wrap('createSession', () => {
      const now = Date.now();
      const finalName = freeSessionName(this.db, name);
      const id = Number(this.db.prepare('INSERT INTO sessions (name, created_at, updated_at) VALUES (?, ?, ?)').run(finalName, now, now).lastInsertRowid);
      return { id, name: finalName, createdAt: now, updatedAt: now, runCount: 0, simCount: 0, current: false };
    });
  }

  openSession(id: number): SessionDetail {
    this.session(id);
    this.#setMeta('current_session', String(id));
    return this.sessionDetail(id);
  }

  renameSession(id: number, name: string): SessionSummary {
    this.session(id);
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
        const runIds = this.db.prepare('SELECT id FROM runs WHERE session_id = ? ORDER BY started_at').pluck().all(id) as string[];
        for (const runId of runIds) copyRun(this.db, 'main', runId, randomUUID(), copy.id);
        copySims(this.db, 'main', id, copy.id);
        return this.session(copy.id);
      })(),
    );
  }

  /** Delete a session and its runs; the current session moves to the newest left (or a new one). */
  deleteSession(id: number): void {
    this.session(id);
    this.db.prepare('DELETE FROM sessions WHERE id = ?').run(id);
    this.currentSessionId();
  }

  // ---- runs -----------------------------------------------------------------

  listRuns(sessionId: number): RunSummary[] {
    return (this.db.prepare(`${RUN_SELECT} WHERE r.session_id = ? ORDER BY r.started_at, r.rowid`).all(sessionId) as RunRow[]).map(toRun);
  }

  run(id: string): RunSummary {
    const row = this.db.prepare(`${RUN_SELECT} WHERE r.id = ?`).get(id) as RunRow | undefined;
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
    const run = this.run(id);
    if (run.status === 'running') throw new LabError('busy', 'deleteRun: the run is still training; cancel it first');
    this.db.prepare('DELETE FROM runs WHERE id = ?').run(id);
  }

  curves(id: string): RunCurves {
    const run = this.run(id);
    const rows = this.db
      .prepare('SELECT iter, epoch, examples, train_loss, train_acc, test_loss, test_acc, elapsed_ms FROM evals WHERE run_id = ? ORDER BY iter')
      .all(id) as EvalRow[];
    return { run, points: rows.map(toPoint) };
  }

  detail(id: string): RunDetail {
    const { run, points } = this.curves(id);
    const subset = this.db.prepare('SELECT subset FROM runs WHERE id = ?').pluck().get(id);
    const batches = this.db.prepare('SELECT from_iter, loss, acc FROM batches WHERE run_id = ? ORDER BY from_iter').all(id) as { from_iter: number; loss: Buffer; acc: Buffer }[];
    let n = run.itersDone;
    const decoded = batches.map((b) => ({ from: b.from_iter, loss: fromBlob.f32(b.loss, 'loss'), acc: fromBlob.f32(b.acc, 'acc') }));
    for (const b of decoded) n = Math.max(n, b.from + b.loss.length);
    const iterLoss = new Float32Array(n).fill(NaN);
    const iterAcc = new Float32Array(n).fill(NaN);
    for (const b of decoded) {
      iterLoss.set(b.loss, b.from);
      iterAcc.set(b.acc.subarray(0, Math.min(b.acc.length, n - b.from)), b.from);
    }
    return { run, points, subsetIndices: subset ? fromBlob.i32(subset, 'subset') : null, iterLoss, iterAcc, last: this.snapshot(id) };
  }

  /** The test-set snapshot of one evaluation (default: the last). */
  snapshot(id: string, iter?: number): EvalSnapshot | null {
    const row = (
      iter === undefined
        ? this.db.prepare('SELECT * FROM evals WHERE run_id = ? AND confusion IS NOT NULL ORDER BY iter DESC LIMIT 1').get(id)
        : this.db.prepare('SELECT * FROM evals WHERE run_id = ? AND iter = ?').get(id, iter)
    ) as Record<string, unknown> | undefined;
    if (!row || row['confusion'] == null) return null;
    const opt = <T>(v: unknown, f: (b: unknown) => T, empty: T) => (v == null ? empty : f(v));
    return {
      iter: decodeNumber(row['iter']),
      confusion: fromBlob.i32(row['confusion'], 'confusion'),
      predicted: opt(row['predicted'], fromBlob.u8, new Uint8Array(0)),
      misclassified: opt(row['misclassified'], fromBlob.i32, new Int32Array(0)),
      misPredicted: opt(row['mis_predicted'], fromBlob.u8, new Uint8Array(0)),
      misConfidence: opt(row['mis_confidence'], fromBlob.f32, new Float32Array(0)),
    };
  }

  /** The first-layer weights kept for a run at evaluation `iter` (default: the latest), or null when none were recorded. */
  weights(id: string, iter?: number): RunWeights | null {
    this.run(id);
    return readWeights(this.db, id, iter);
  }

  /** Name a new run: "Run N" with N one past the session's count. */
  nextRunName(sessionId: number): string {
    const count = this.db.prepare('SELECT COUNT(*) FROM runs WHERE session_id = ?').pluck().get(sessionId) as number;
    return `Run ${count + 1}`;
  }
}

