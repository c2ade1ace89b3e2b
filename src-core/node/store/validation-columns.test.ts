import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_CONFIG } from '../../contracts/train-config';
import { appendEval, endRun, insertRun } from './record';
import { MIGRATIONS, SCHEMA_VERSION } from './schema';
import { SessionStore } from './session-store';
import { databaseAtVersion, detail, insertEarlyRun, newRun, point, tempDirEachTest } from './test-helpers';

// Schema migration v5: evals.val_loss / val_acc. A database written at v4 opens, its runs read as "no validation
// set" (config validation 0, points without valLoss, best point chosen on the test set and labelled so); new runs
// record their validation curve, and their best point is the lowest validation loss.

let dir: string;
tempDirEachTest('mlab-val-', (d) => (dir = d));

const V5 = MIGRATIONS.findIndex((sql) => /ADD COLUMN val_loss/.test(sql));

describe('migration v4 -> v5 (validation columns)', () => {
  it('opens a v4 database: old runs have no validation set, new ones record val_loss / val_acc', () => {
    expect(V5).toBeGreaterThanOrEqual(4);
    const path = join(dir, 'v4.db');
    const v4 = databaseAtVersion(path, V5, 'Before validation');
    // A config as v4 wrote it: no "validation" key.
    const { validation: _dropped, ...oldConfig } = DEFAULT_TRAIN_CONFIG;
    insertEarlyRun(v4, 'old', '0.0.4', oldConfig);
    const ins = v4.prepare(
      `INSERT INTO evals (run_id, iter, epoch, examples, train_loss, train_acc, test_loss, test_acc, elapsed_ms) VALUES ('old', ?, 1, 32, 0.5, 0.8, 0.6, ?, 99.5)`,
    );
    ins.run(4, 0.7);
    ins.run(8, 0.9);
    ins.run(12, 0.8);
    v4.close();

    const store = new SessionStore(path);
    expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const old = store.detail('old');
    expect(old.run.config.validation).toBe(0);
    expect(old.points.map((p) => p.valLoss)).toEqual([undefined, undefined, undefined]);
    // Without a validation set the best point is still the test set's best, and says so.
    expect(old.run).toMatchObject({ bestIter: 8, bestTestAcc: 0.9, bestOn: 'test' });

    // A new run with a validation curve: best = lowest validation loss (iteration 8), not the best test accuracy (12).
    store.openSession(1);
    insertRun(store.db, newRun('new', 1));
    appendEval(store.db, 'new', point(4, { valLoss: 0.9, valAcc: 0.7, testAcc: 0.7 }), detail(), null);
    appendEval(store.db, 'new', point(8, { valLoss: 0.4, valAcc: 0.85, testAcc: 0.8 }), detail(), null);
    appendEval(store.db, 'new', point(12, { valLoss: 0.5, valAcc: 0.84, testAcc: 0.95 }), detail(), null);
    appendEval(store.db, 'new', point(16, { valLoss: NaN, valAcc: NaN, testAcc: 0.1 }), detail(), null);
    endRun(store.db, 'new', 'collapsed', 'collapsed: accuracy at chance since iteration 16', 16, 50, 60);
    store.close();

    const again = new SessionStore(path);
    const d = again.detail('new');
    expect(d.run.status).toBe('collapsed');
    expect(d.run.message).toMatch(/^collapsed: accuracy at chance since iteration 16/);
    expect(d.run.config.validation).toBe(DEFAULT_TRAIN_CONFIG.validation);
    expect(d.points.map((p) => p.valLoss)).toEqual([0.9, 0.4, 0.5, NaN]);
    expect(d.points.map((p) => p.valAcc)).toEqual([0.7, 0.85, 0.84, NaN]);
    expect(d.run).toMatchObject({ bestIter: 8, bestTestAcc: 0.8, bestOn: 'validation' });
    again.close();
  });
});
