import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LabError } from '../../contracts/lab-error';
import { thrownLabError } from '../../contracts/test-helpers';
import { appendBatch, appendEval, endRun, insertRun } from './record';
import { exportSessionFile, importSessionFile } from './session-file';
import { SessionStore } from './session-store';
import { insertSim } from './sims';
import { detail, forge, liveBytes, newRun, point, SAVED_SIM, tempDirEachTest } from './test-helpers';
import { appendWeights } from './weights';

// Forged session files: a real export whose rows were changed with SQL and
// whose checksum was recomputed, so every structural check passes. Each one
// must be refused at import naming the table and column, with the live
// database byte-for-byte unchanged; and the same rows written straight into
// a live database must give the same clear error on every read path, never a
// crash or a huge allocation, and the session must still be deletable.

let dir: string;
tempDirEachTest('mlab-forged-', (d) => (dir = d));

/** A session as the recorder writes it: two runs with batches, evaluations with test-set snapshots, weights; one simulation. */
function recordSession(store: SessionStore, sessionId: number): void {
  const labels = Uint8Array.from({ length: 12 }, (_, i) => (i * 3) % 10);
  for (const id of ['r1', 'r2']) {
    insertRun(store.db, newRun(id, sessionId));
    appendBatch(
      store.db,
      id,
      0,
      Float32Array.from([2.3, 2.1, 1.9, 1.7]),
      Float32Array.from([0.1, 0.2, 0.3, 0.4]),
      4,
      40,
    );
    appendEval(store.db, id, point(4), detail(), labels);
    appendBatch(
      store.db,
      id,
      4,
      Float32Array.from([1.5, 1.4, 1.3, 1.2]),
      Float32Array.from([0.5, 0.5, 0.6, 0.6]),
      8,
      80,
    );
    appendEval(store.db, id, point(8), detail(), labels);
    appendWeights(store.db, id, 8, 64, 784, new Float32Array(64 * 784).fill(0.01));
    endRun(store.db, id, 'finished', 'done', 8, 90, 1_700_000_100_000);
  }
  insertSim(store.db, { sessionId, ...SAVED_SIM });
}

function exportReal(): { store: SessionStore; path: string; file: string } {
  const path = join(dir, 'live.db');
  const store = new SessionStore(path);
  const real = store.createSession('Real').id;
  recordSession(store, real);
  const file = join(dir, 'real.mlab');
  exportSessionFile(store, real, file);
  return { store, path, file };
}

/** [what, SQL, the table.column the refusal must name]. */
export const FORGERIES: [string, string, string][] = [
  [
    'iters_done = 5e8 (item 6: sized a 4 GB allocation)',
    "UPDATE runs SET iters_done = 500000000 WHERE id = 'r1'",
    'runs.iters_done',
  ],
  [
    'iters_done and total_iters = 5e8 together',
    "UPDATE runs SET iters_done = 500000000, total_iters = 500000000 WHERE id = 'r1'",
    'runs.total_iters',
  ],
  [
    'a batch moved to iteration 5e8 (the counts bound it at 1e5 for this training set)',
    "UPDATE runs SET iters_done = 500000004, total_iters = 500000004, iters_per_epoch = 100 WHERE id = 'r1'; UPDATE batches SET from_iter = 500000000 WHERE run_id = 'r1' AND from_iter = 4",
    'runs.total_iters',
  ],
  [
    'a batch moved to iteration 5e8 with every count forged to allow it (10^7 images, 10^6 iterations per epoch)',
    "UPDATE runs SET subset = NULL, train_size = 10000000, iters_per_epoch = 1000000, total_iters = 500000004, iters_done = 500000004, config = json_set(config, '$.perClass', NULL) WHERE id = 'r1'; UPDATE batches SET from_iter = 500000000 WHERE run_id = 'r1' AND from_iter = 4",
    'batches.from_iter',
  ],
  [
    'text where a number belongs (test_acc = oops)',
    "UPDATE evals SET test_acc = 'oops' WHERE run_id = 'r1' AND iter = 8",
    'evals.test_acc',
  ],
  ['an accuracy above 1', "UPDATE evals SET train_acc = 1.5 WHERE run_id = 'r1' AND iter = 4", 'evals.train_acc'],
  ['a negative elapsed time', "UPDATE evals SET elapsed_ms = -3 WHERE run_id = 'r2' AND iter = 4", 'evals.elapsed_ms'],
  ['text stored as a blob (a run name)', "UPDATE runs SET name = CAST('Run 1' AS BLOB) WHERE id = 'r1'", 'runs.name'],
  ['a blob where a number belongs', "UPDATE runs SET elapsed_ms = x'00ff' WHERE id = 'r2'", 'runs.elapsed_ms'],
  [
    'text where the confusion matrix blob belongs',
    "UPDATE evals SET confusion = 'matrix' WHERE run_id = 'r1' AND iter = 8",
    'evals.confusion',
  ],
  [
    'a batch loss stored as text',
    "UPDATE batches SET loss = 'abcdefgh' WHERE run_id = 'r1' AND from_iter = 0",
    'batches.loss',
  ],
  [
    'an impossible date (year 33000)',
    "UPDATE sessions SET created_at = 1e15 WHERE name = 'Real'",
    'sessions.created_at',
  ],
  ['a date before 1970', "UPDATE runs SET started_at = -5 WHERE id = 'r1'", 'runs.started_at'],
  ['a date as text', "UPDATE runs SET ended_at = 'yesterday' WHERE id = 'r2'", 'runs.ended_at'],
  ['an unknown status', "UPDATE runs SET status = 'hacked' WHERE id = 'r1'", 'runs.status'],
  [
    'a session name with a terminal escape',
    "UPDATE sessions SET name = 'Real' || char(27) || ']0;pwned' || char(7) WHERE name = 'Real'",
    'sessions.name',
  ],
  [
    'a run name with a newline that fakes a line',
    "UPDATE runs SET name = 'ok' || char(10) || 'r9 finished 99.99%' WHERE id = 'r1'",
    'runs.name',
  ],
  ['a 10,000-character run name', "UPDATE runs SET name = printf('%.10000c', 'x') WHERE id = 'r1'", 'runs.name'],
  ['an empty session name', "UPDATE sessions SET name = '' WHERE name = 'Real'", 'sessions.name'],
  [
    'a configuration with 0 hidden units',
    "UPDATE runs SET config = json_set(config, '$.hidden', 0) WHERE id = 'r1'",
    'runs.config',
  ],
  ['a configuration that is not JSON', "UPDATE runs SET config = '{hidden:' WHERE id = 'r1'", 'runs.config'],
  ["a seed that is not the configuration's", "UPDATE runs SET seed = seed + 1 WHERE id = 'r1'", 'runs.seed'],
  [
    'a subset shorter than the training set',
    "UPDATE runs SET subset = substr(subset, 1, 8) WHERE id = 'r1'",
    'runs.subset',
  ],
  ['a test set larger than the predictions', "UPDATE runs SET test_size = 13 WHERE id = 'r1'", 'evals.confusion'],
  [
    'a confusion matrix with a negative count',
    "UPDATE evals SET confusion = x'ffffffff' || substr(confusion, 5) WHERE run_id = 'r1' AND iter = 8",
    'evals.confusion',
  ],
  [
    'predictions of another length',
    "UPDATE evals SET predicted = substr(predicted, 1, 5) WHERE run_id = 'r2' AND iter = 8",
    'evals.predicted',
  ],
  [
    'a predicted class 200',
    "UPDATE evals SET predicted = x'c8' || substr(predicted, 2) WHERE run_id = 'r2' AND iter = 8",
    'evals.predicted',
  ],
  [
    'misclassified indices without their predictions',
    "UPDATE evals SET mis_predicted = NULL WHERE run_id = 'r1' AND iter = 8",
    'evals.misclassified',
  ],
  [
    'a misclassified index past the test set',
    "UPDATE evals SET misclassified = x'00100000' || substr(misclassified, 5) WHERE run_id = 'r1' AND iter = 8",
    'evals.misclassified',
  ],
  [
    "an evaluation after the run's last iteration",
    "UPDATE evals SET iter = 900 WHERE run_id = 'r2' AND iter = 8",
    'evals.iter',
  ],
  [
    'overlapping batches',
    "UPDATE batches SET from_iter = 2 WHERE run_id = 'r1' AND from_iter = 4",
    'batches.from_iter',
  ],
  [
    'batch loss and accuracy of different lengths',
    "UPDATE batches SET acc = substr(acc, 1, 8) WHERE run_id = 'r1' AND from_iter = 0",
    'batches.acc',
  ],
  [
    'a simulation without an objective',
    "UPDATE sims SET request = json_remove(request, '$.objective')",
    'sims.request',
  ],
  ['a simulation of 10^9 steps', "UPDATE sims SET request = json_set(request, '$.steps', 1000000000)", 'sims.request'],
  [
    'a simulation result for another optimizer',
    "UPDATE sims SET runs = json_set(runs, '$[0].kind', 'adam')",
    'sims.runs',
  ],
  ['a simulation result that is not a list', "UPDATE sims SET runs = '{}'", 'sims.runs'],
  ['a simulation created in year 40000', 'UPDATE sims SET created_at = 1.2e15', 'sims.created_at'],
  ['weights with a text iteration', "UPDATE weights SET iter = 'eight'", 'weights.iter'],
  ['a huge meta value', "INSERT INTO meta (key, value) VALUES ('x', printf('%.5000c', 'y'))", 'meta.value'],
];

describe('forged session files (a real export, rows changed with SQL, checksum recomputed)', () => {
  it('the unforged export imports (the forgeries below differ from it only in the rows they change)', () => {
    const { store, file } = exportReal();
    const [s] = importSessionFile(store, file);
    expect(s.runCount).toBe(2);
    expect(store.detail(store.listRuns(s.id)[0].id).points).toHaveLength(2);
    store.close();
  });

  for (const [what, sql, column] of FORGERIES) {
    it(`refuses ${what}, naming ${column}; the live database stays byte-for-byte unchanged`, () => {
      const { store, path, file } = exportReal();
      forge(file, sql);
      const sessionsBefore = store.listSessions().length;
      const before = liveBytes(path, ['-wal', '-shm']);
      const err = thrownLabError(() => importSessionFile(store, file));
      expect(err.code).toBe('bad-session');
      expect(err.message).toContain(`cannot import this file: ${column} of `);
      expect(liveBytes(path, ['-wal', '-shm'])).toBe(before);
      expect(store.listSessions().length).toBe(sessionsBefore);
      store.close();
    });
  }
});

describe('the same rows in a live database: every read is validated on the way out', () => {
  /** The forgery applied to the live database itself (a file from another tool, or damage). */
  function liveForged(sql: string): { store: SessionStore; sessionId: number } {
    const path = join(dir, 'live.db');
    let store = new SessionStore(path);
    const sessionId = store.createSession('Real').id;
    recordSession(store, sessionId);
    store.close();
    const raw = new Database(path);
    raw.exec(sql);
    raw.close();
    store = new SessionStore(path);
    return { store, sessionId };
  }

  /** Every read a view or the CLI makes of a session, as one list. */
  function readAll(store: SessionStore, sessionId: number): void {
    store.listSessions().forEach((s) => {
      if (s.damaged) throw new LabError('bad-session', s.damaged);
    });
    const d = store.sessionDetail(sessionId);
    for (const r of d.runs) {
      store.detail(r.id);
      store.weights(r.id);
    }
  }

  for (const [what, sql, column] of FORGERIES) {
    if (column.startsWith('meta.')) continue; // the live meta table is the store's own
    it(`${what}: a 'bad-session' error naming ${column.split('.')[0]}, and the session can still be deleted`, () => {
      const { store, sessionId } = liveForged(sql);
      const ab0 = process.memoryUsage().arrayBuffers;
      let err: unknown = null;
      try {
        readAll(store, sessionId);
      } catch (e) {
        err = e;
      }
      // Cross-row counts (a seed that is not the config's, a test size that disagrees with the
      // snapshots) are import checks; the read paths check each row and every size they allocate by.
      if (err !== null) {
        expect(err).toBeInstanceOf(LabError);
        expect((err as LabError).code).toBe('bad-session');
        expect((err as LabError).message).toMatch(/^(sessions|runs|evals|batches|sims|weights)\.\w+ of /);
      }
      expect(process.memoryUsage().arrayBuffers - ab0).toBeLessThan(64 * 1024 * 1024);
      store.deleteSession(sessionId);
      expect(store.listSessions().some((s) => s.id === sessionId)).toBe(false);
      store.close();
    });
  }

  it('iters_done = 5e8 and a batch at iteration 5e8 in a live database: refused with bounded memory, not a 4 GB allocation', () => {
    const { store } = liveForged(
      "UPDATE runs SET iters_done = 500000000 WHERE id = 'r1'; UPDATE batches SET from_iter = 499999996 WHERE run_id = 'r1' AND from_iter = 4",
    );
    const ab0 = process.memoryUsage().arrayBuffers;
    expect(() => store.detail('r1')).toThrow(
      /batches\.from_iter of run r1: the batches span 500000000 iterations but hold only 8 values/,
    );
    expect(process.memoryUsage().arrayBuffers - ab0).toBeLessThan(16 * 1024 * 1024);
    // iters_done alone no longer sizes anything: the run opens with its 8 stored iterations.
    store.db.prepare("UPDATE batches SET from_iter = 4 WHERE run_id = 'r1' AND from_iter = 499999996").run();
    expect(store.detail('r1').iterLoss.length).toBe(8);
    store.close();
  });

  it("test_acc = 'oops' in a live database: the session fails to load with the column named, and is deleted", () => {
    const { store, sessionId } = liveForged("UPDATE evals SET test_acc = 'oops' WHERE run_id = 'r1' AND iter = 8");
    expect(() => store.sessionDetail(sessionId)).toThrow(
      /^runs\.final_acc of run r1: must be an accuracy in \[0, 1\] or NaN \(found text "oops"\)/,
    );
    expect(() => store.curves('r1')).toThrow(/^(runs\.final_acc|evals\.test_acc) of run r1.*found text "oops"/);
    store.deleteSession(sessionId);
    expect(store.listSessions().map((s) => s.name)).not.toContain('Real');
    store.close();
  });

  it('a session whose own name breaks the rules is listed as damaged, and renaming it mends it', () => {
    const { store, sessionId } = liveForged(
      "UPDATE sessions SET name = 'Real' || char(27) || '[2J' WHERE name = 'Real'",
    );
    const listed = store.listSessions().find((s) => s.id === sessionId)!;
    expect(listed.name).toBe(`Session ${sessionId} (damaged)`);
    expect(listed.damaged).toMatch(
      /^sessions\.name of session \d+: must follow the name rules: must not contain control characters/,
    );
    expect(listed.runCount).toBe(2);
    store.renameSession(sessionId, 'Mended');
    expect(store.sessionDetail(sessionId).runs).toHaveLength(2);
    store.close();
  });
});
