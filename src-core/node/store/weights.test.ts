import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentDigest } from './digest';
import { appendEval, endRun, insertRun } from './record';
import { SCHEMA_VERSION } from './schema';
import { exportSessionFile, importSessionFile } from './session-file';
import { SessionStore } from './session-store';
import { databaseAtVersion, detail, forge, insertEarlyRun, liveBytes, newRun, point } from './test-helpers';
import { tempDirEachTest } from './test-helpers';
import { appendWeights, isHistoryOrdinal, MAX_WEIGHT_SNAPSHOTS } from './weights';

let dir: string;
tempDirEachTest('mlab-weights-', (d) => (dir = d));

const HIDDEN = 64;
const INPUTS = 784;
/** A recognisable matrix for evaluation k: w[j * inputs + i] = k + j / 1000 + i / 1e6, NaN at one spot. */
function w1Of(k: number, hidden = HIDDEN, inputs = INPUTS): Float32Array {
  const w = new Float32Array(hidden * inputs);
  for (let j = 0; j < hidden; j++) for (let i = 0; i < inputs; i++) w[j * inputs + i] = k + j / 1000 + i / 1e6;
  w[7] = k % 2 ? NaN : -0;
  return w;
}

/** A run with `evals` evaluations (every 2 iterations), each followed by its weights, as the recorder writes them. */
function recordWithWeights(store: SessionStore, id: string, evals: number, sessionId = store.currentSessionId()) {
  insertRun(store.db, newRun(id, sessionId));
  for (let k = 1; k <= evals; k++) {
    appendEval(store.db, id, point(2 * k), detail(), null);
    appendWeights(store.db, id, 2 * k, HIDDEN, INPUTS, w1Of(k));
  }
}

describe('hidden-unit weights in the session store', () => {
  it('keeps the 1st, 4th, 16th, 64th ... evaluation as history', () => {
    expect([...Array(70).keys()].map((n) => n + 1).filter(isHistoryOrdinal)).toEqual([1, 4, 16, 64]);
    expect(isHistoryOrdinal(0)).toBe(false);
    expect(isHistoryOrdinal(2)).toBe(false);
  });

  it('a 38-evaluation run keeps the latest weights exactly plus evaluations 1, 4 and 16 (4 matrices, not 38)', () => {
    const store = new SessionStore(join(dir, 'lab.db'));
    recordWithWeights(store, 'r', 38);
    const latest = store.weights('r')!;
    expect(latest.iters).toEqual([2, 8, 32, 76]);
    expect(latest).toMatchObject({ iter: 76, hidden: HIDDEN, inputs: INPUTS });
    const want = w1Of(38);
    expect(latest.w1.length).toBe(want.length);
    expect(Buffer.from(latest.w1.buffer).equals(Buffer.from(want.buffer))).toBe(true); // bit for bit, -0 included
    expect(Object.is(store.weights('r', 8)!.w1[7], -0)).toBe(true);
    expect(store.weights('r', 2)!.w1[7]).toBeNaN();
    expect(store.weights('r', 32)!.w1[HIDDEN * INPUTS - 1]).toBeCloseTo(16 + 63 / 1000 + 783 / 1e6, 4);
    expect(() => store.weights('r', 10)).toThrow(/no weights kept for iteration 10 \(kept: 2, 8, 32, 76\)/);
    expect(() => store.weights('nope')).toThrow(/no run with id nope/);
    store.close();
  });

  it('answers null for a run that recorded no weights, and refuses a matrix of the wrong size', () => {
    const store = new SessionStore(join(dir, 'lab.db'));
    insertRun(store.db, newRun('old', store.currentSessionId()));
    appendEval(store.db, 'old', point(2), detail(), null);
    expect(store.weights('old')).toBeNull();
    expect(() => appendWeights(store.db, 'old', 2, HIDDEN, INPUTS, new Float32Array(10))).toThrow(RangeError);
    expect(() => appendWeights(store.db, 'old', 2, 5000, 1, new Float32Array(5000))).toThrow(RangeError);
    expect(store.weights('old')).toBeNull();
    store.close();
  });

  it('travel with duplicated sessions and go when their run is deleted', () => {
    const store = new SessionStore(join(dir, 'lab.db'));
    recordWithWeights(store, 'r', 5);
    const copy = store.duplicateSession(store.currentSessionId());
    const copied = store.listRuns(copy.id)[0];
    expect(store.weights(copied.id)!.iters).toEqual([2, 8, 10]);
    expect(store.weights(copied.id)!.w1).toEqual(store.weights('r')!.w1);
    endRun(store.db, 'r', 'finished', 'done', 10, 50, 60);
    store.deleteRun('r');
    expect(store.db.prepare("SELECT COUNT(*) FROM weights WHERE run_id = 'r'").pluck().get()).toBe(0);
    store.close();
  });
});

describe('migration v3 -> v4', () => {
  it('opens a database written by schema v3, keeps its runs, and records weights afterwards', () => {
    const path = join(dir, 'v3.db');
    const v3 = databaseAtVersion(path, 3, 'Before weights');
    insertEarlyRun(v3, 'v3run', '0.0.3');
    v3.prepare(
      `INSERT INTO evals (run_id, iter, epoch, examples, train_loss, train_acc, test_loss, test_acc, elapsed_ms) VALUES ('v3run', 8, 2, 256, 0.5, 0.8, 0.6, 0.75, 99.5)`,
    ).run();
    v3.prepare(
      `INSERT INTO sims (id, session_id, name, request, runs, app_version, created_at) VALUES ('s', 1, 'Sim', ?, ?, '0.0.3', 5)`,
    ).run(
      JSON.stringify({
        objective: { name: 'quadratic', params: { lambda: 1 } },
        start: [1],
        steps: 10,
        runs: [{ kind: 'gd', lr: 0.1, d: 0, beta2: 0.999, eps: 1e-8 }],
      }),
      JSON.stringify([
        {
          kind: 'gd',
          lr: 0.1,
          d: 0,
          status: 'converged',
          length: 11,
          stoppedAt: null,
          message: '',
          final: [0.3],
          finalF: 0.045,
          rate: 0.9,
        },
      ]),
    );
    v3.close();

    const store = new SessionStore(path);
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(4);
    expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(store.run('v3run')).toMatchObject({ name: 'Run 1', finalTestAcc: 0.75 });
    expect(store.sessionDetail(1).sims).toHaveLength(1);
    expect(store.weights('v3run')).toBeNull();
    appendWeights(store.db, 'v3run', 8, HIDDEN, INPUTS, w1Of(1));
    expect(store.weights('v3run')!.iters).toEqual([8]);
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    store.close();
  });

  it('imports a session file written by schema v3 (no weights table)', () => {
    const live = new SessionStore(join(dir, 'live.db'));
    const file = join(dir, 'v3.mlab');
    const v3 = databaseAtVersion(file, 3, 'From v3', { wal: false });
    v3.prepare(
      `INSERT INTO runs (id, session_id, name, config, seed, dataset_id, dataset_name, app_version, status, started_at) VALUES ('a', 1, 'Run 1', ?, 1, 'd', 'MNIST', '0.0.3', 'finished', 10)`,
    ).run(JSON.stringify(newRun('x', 1).config));
    v3.prepare("INSERT INTO meta (key, value) VALUES ('content_sha256', ?)").run(contentDigest(v3));
    v3.close();
    const [s] = importSessionFile(live, file);
    expect(s.name).toBe('From v3');
    expect(live.weights(live.listRuns(s.id)[0].id)).toBeNull();
    live.close();
  });
});

describe('weights in session files', () => {
  function liveWithWeights() {
    const path = join(dir, 'live.db');
    const store = new SessionStore(path);
    recordWithWeights(store, 'r1', 6);
    endRun(store.db, 'r1', 'finished', 'done', 12, 60, 70);
    return { path, store };
  }

  it("an exported session carries its runs' kept weights, imported bit for bit", () => {
    const { store } = liveWithWeights();
    const file = join(dir, 'out.mlab');
    exportSessionFile(store, store.currentSessionId(), file);
    const [s] = importSessionFile(store, file);
    const run = store.listRuns(s.id)[0];
    const a = store.weights('r1')!;
    const b = store.weights(run.id)!;
    expect(b.iters).toEqual([2, 8, 12]);
    expect(Buffer.from(b.w1.buffer).equals(Buffer.from(a.w1.buffer))).toBe(true);
    store.close();
  });

  const runIdOf = (db: Database.Database) => db.prepare('SELECT id FROM runs LIMIT 1').pluck().get() as string;
  const hostile: [string, (db: Database.Database) => void][] = [
    [
      'a blob shorter than hidden x inputs',
      (db) => db.prepare("UPDATE weights SET w1 = x'00000000' WHERE iter = 2").run(),
    ],
    [
      'a declared 4,096 x 4,096 layer with a small blob',
      (db) => db.prepare('UPDATE weights SET hidden = 4096, inputs = 4096 WHERE iter = 2').run(),
    ],
    [
      'a layer over the size bound (hidden 1e6)',
      (db) => db.prepare('UPDATE weights SET hidden = 1000000, inputs = 1 WHERE iter = 2').run(),
    ],
    ['negative sizes', (db) => db.prepare('UPDATE weights SET hidden = -64, inputs = -784 WHERE iter = 2').run()],
    ['sizes that are not numbers', (db) => db.prepare("UPDATE weights SET hidden = 'sixty-four' WHERE iter = 2").run()],
    ['fractional sizes', (db) => db.prepare('UPDATE weights SET hidden = 64.5 WHERE iter = 2').run()],
    ['weights as text instead of a blob', (db) => db.prepare("UPDATE weights SET w1 = 'abcd' WHERE iter = 2").run()],
    [
      "a hidden count that is not the run's",
      (db) => db.prepare('UPDATE weights SET hidden = 32, inputs = 1568 WHERE iter = 2').run(),
    ],
    [
      `more than ${MAX_WEIGHT_SNAPSHOTS} matrices for one run`,
      (db) => {
        const id = runIdOf(db);
        db.prepare('UPDATE runs SET iters_done = 2000 WHERE id = ?').run(id); // so the extra matrices' iterations are ones the run reached
        const ins = db.prepare(
          'INSERT INTO weights (run_id, iter, hidden, inputs, w1, history) VALUES (?, ?, 64, 1, ?, 1)',
        );
        for (let k = 0; k < MAX_WEIGHT_SNAPSHOTS; k++) ins.run(id, 1000 + k, Buffer.alloc(256));
      },
    ],
  ];

  for (const [what, edit] of hostile) {
    it(`refuses a file with ${what}, leaving the live database byte-for-byte unchanged`, () => {
      const { path, store } = liveWithWeights();
      const file = join(dir, 'forged.mlab');
      exportSessionFile(store, store.currentSessionId(), file);
      forge(file, edit);
      const before = liveBytes(path);
      const sessionsBefore = store.listSessions().length;
      expect(() => importSessionFile(store, file)).toThrow(
        /cannot import this file: weights\.\w+ of run \S+ at iteration \d+: (is|must|the run carries more than)/,
      );
      expect(liveBytes(path)).toBe(before);
      expect(store.listSessions().length).toBe(sessionsBefore);
      store.close();
    });
  }
});
