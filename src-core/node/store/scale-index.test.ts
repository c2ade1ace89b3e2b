import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { insertRun } from './record';
import { toBlob } from './codec';
import { RUN_SELECT } from './rows';
import { MIGRATIONS, SCHEMA_VERSION } from './schema';
import { importSessionFile } from './session-file';
import { SessionStore } from './session-store';
import { databaseAtVersion, detail, forge, newRun, point, tempDirEachTest } from './test-helpers';

// The scale migration (issue 12, item 13): a covering index of each run's
// evaluation numbers and a partial index of running runs. Its speed is
// measured by bench/sessions-scale.ts; this checks the migration from v4 on a
// real file, that SQLite's planner uses the indexes for the queries that grow
// with a session, and paging.

const SCALE_VERSION = MIGRATIONS.findIndex((sql) => sql.includes('CREATE INDEX evals_summary')) + 1;

let dir: string;
tempDirEachTest('mlab-scale-', (d) => (dir = d));

function v4File(path: string): void {
  const db = databaseAtVersion(path, SCALE_VERSION - 1, 'Before indexes', { wal: false });
  for (const id of ['a', 'b', 'c']) {
    insertRun(db, { ...newRun(id, 1), ownerPid: 0 });
    // The rows as that version wrote them (its columns only: today's writer also fills later columns).
    for (const iter of [4, 8, 12]) {
      const p = point(iter);
      const d = detail();
      db.prepare(
        `INSERT INTO evals (run_id, iter, epoch, examples, train_loss, train_acc, test_loss, test_acc, elapsed_ms, confusion, predicted, val_loss, val_acc)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)`,
      ).run(
        id,
        p.iter,
        p.epoch,
        p.examples,
        p.trainLoss,
        p.trainAcc,
        p.testLoss,
        p.testAcc,
        p.elapsedMs,
        toBlob(d.confusion),
        toBlob(d.predicted),
      );
      db.prepare('UPDATE runs SET iters_done = MAX(iters_done, ?), elapsed_ms = ? WHERE id = ?').run(
        p.iter,
        p.elapsedMs,
        id,
      );
    }
  }
  db.prepare(`UPDATE runs SET owner_pid = NULL`).run();
  db.prepare(`UPDATE runs SET status = 'finished' WHERE id != 'c'`).run();
  db.close();
}

const plan = (db: Database.Database, sql: string, ...args: unknown[]) =>
  (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((r) => r.detail).join(' | ');

describe('scale indexes (migration from v4)', () => {
  it('the migration is the one after weights (v4 -> v5 here; renumbered at merge)', () => {
    expect(SCALE_VERSION).toBeGreaterThanOrEqual(5);
    expect(SCALE_VERSION).toBeLessThanOrEqual(SCHEMA_VERSION);
  });

  it('opens a v4 file, adds the indexes, keeps every run and number', () => {
    const path = join(dir, 'v4.db');
    v4File(path);
    const store = new SessionStore(path);
    expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const names = store.db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND name IN ('evals_summary', 'runs_running')")
      .pluck()
      .all();
    expect(names.sort()).toEqual(['evals_summary', 'runs_running']);
    const runs = store.listRuns(1);
    expect(runs.map((r) => r.id)).toEqual(['a', 'b', 'c']);
    expect(runs[0]).toMatchObject({
      evalCount: 3,
      finalTestAcc: point(12).testAcc,
      bestTestAcc: point(12).testAcc,
      bestIter: 12,
    });
    // c was left 'running' with no owner: interrupted on open.
    expect(runs[2].status).toBe('interrupted');
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    store.close();
  });

  it("the planner reads a run's summary from the covering index, and running runs from the partial one", () => {
    const path = join(dir, 'v4.db');
    v4File(path);
    const store = new SessionStore(path);
    const summary = plan(store.db, `${RUN_SELECT} WHERE r.session_id = ? ORDER BY r.started_at, r.rowid`, 1);
    expect(summary).toMatch(/evals_summary/);
    expect(summary).not.toMatch(/SCAN e\b/);
    expect(plan(store.db, `SELECT COUNT(*) FROM runs WHERE session_id = ? AND status = 'running'`, 1)).toMatch(
      /runs_running|runs_by_session/,
    );
    // A run's curve, and a whole session's, come from the index too.
    expect(
      plan(
        store.db,
        'SELECT iter, epoch, examples, train_loss, train_acc, test_loss, test_acc, elapsed_ms FROM evals WHERE run_id = ? ORDER BY iter',
        'a',
      ),
    ).toMatch(/COVERING INDEX evals_summary/);
    expect(plan(store.db, `SELECT id, owner_pid FROM runs WHERE status = 'running'`)).toMatch(/runs_running/);
    store.close();
  });

  it('pages a session: a page is the slice of the whole list, and the total is the session count', () => {
    const path = join(dir, 'v4.db');
    v4File(path);
    const store = new SessionStore(path);
    const all = store.sessionDetail(1).runs.map((r) => r.id);
    expect(store.sessionDetail(1, { offset: 1, limit: 1 }).runs.map((r) => r.id)).toEqual(all.slice(1, 2));
    expect(store.sessionDetail(1, { offset: 2, limit: 10 }).runs.map((r) => r.id)).toEqual(all.slice(2));
    expect(store.sessionDetail(1, { offset: 5, limit: 10 }).runs).toEqual([]);
    expect(store.sessionDetail(1, { offset: 0, limit: 1 }).session.runCount).toBe(3);
    // The whole session's curves in two queries equal the run-by-run ones.
    expect(store.sessionCurves(1)).toEqual(all.map((id) => store.curves(id)));
    store.close();
  });

  it('a v4 session file still imports (its schema is checked against v4, then migrated)', () => {
    const file = join(dir, 'v4.mlab');
    v4File(file);
    forge(
      file,
      "UPDATE runs SET status = 'finished', owner_pid = NULL; INSERT INTO meta (key, value) VALUES ('content_sha256', 'x')",
    );
    const live = new SessionStore(join(dir, 'live.db'));
    const [s] = importSessionFile(live, file);
    expect(s.runCount).toBe(3);
    live.close();
  });
});
