import Database from 'better-sqlite3';
import { LabError } from '../../contracts/lab-error';
import { APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION } from './schema';

export type Db = Database.Database;

export interface OpenOptions {
  /** Path of a better_sqlite3.node built for another runtime (Electron). */
  nativeBinding?: string;
  readonly?: boolean;
  /** Milliseconds to wait for another process's lock before failing with 'busy'. */
  busyTimeoutMs?: number;
}

/** Turn SQLite's errors into the lab's error codes. */
export function sqliteError(err: unknown, what: string): LabError {
  if (err instanceof LabError) return err;
  const code = (err as { code?: string }).code ?? '';
  const msg = err instanceof Error ? err.message : String(err);
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return new LabError('busy', `${what}: the database is in use by another process`);
  if (code.startsWith('SQLITE_FULL')) return new LabError('disk-full', `${what}: no space left on the disk`);
  if (code.startsWith('SQLITE_NOTADB') || code.startsWith('SQLITE_CORRUPT')) return new LabError('bad-session', `${what}: not a valid database (${msg})`);
  if (code.startsWith('SQLITE_CANTOPEN')) return new LabError('not-found', `${what}: cannot open the file (${msg})`);
  return new LabError('internal', `${what}: ${msg}`);
}

/** Apply the migrations after the file's user_version, each in its own transaction. */
export function migrate(db: Db, target = SCHEMA_VERSION): number {
  const from = db.pragma('user_version', { simple: true }) as number;
  if (from > SCHEMA_VERSION) {
    throw new LabError('bad-session', `this database was written by a newer Momentum Lab (schema v${from}; this version reads up to v${SCHEMA_VERSION})`);
  }
  for (let v = from; v < target; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]);
      db.pragma(`user_version = ${v + 1}`);
      db.pragma(`application_id = ${APPLICATION_ID}`);
    })();
  }
  return from;
}

/**
 * Open (or create) a session database: WAL journal, a busy timeout, foreign
 * keys on, migrated to the current schema. ':memory:' gives a throwaway store.
 */
export function openDatabase(path: string, options: OpenOptions = {}): Db {
  let db: Db;
  try {
    db = new Database(path, { nativeBinding: options.nativeBinding, readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  } catch (err) {
    throw sqliteError(err, `opening ${path}`);
  }
  try {
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    if (!options.readonly) {
      if (path !== ':memory:') db.pragma('journal_mode = WAL');
      // WAL + NORMAL: a commit survives the app or a worker dying (not a power cut).
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      const appId = db.pragma('application_id', { simple: true }) as number;
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version > 0 && appId !== APPLICATION_ID) throw new LabError('bad-session', `${path} is a SQLite database, but not a Momentum Lab session file`);
      migrate(db);
    }
    return db;
  } catch (err) {
    db.close();
    throw sqliteError(err, `opening ${path}`);
  }
}
