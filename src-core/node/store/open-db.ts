import Database from 'better-sqlite3';
import { accessSync, constants, statSync } from 'node:fs';
import { dirname } from 'node:path';
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
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
    return new LabError('busy', `${what}: the database is in use by another process`);
  if (code.startsWith('SQLITE_FULL')) return new LabError('disk-full', `${what}: no space left on the disk`);
  if (code.startsWith('SQLITE_NOTADB') || code.startsWith('SQLITE_CORRUPT'))
    return new LabError('bad-session', `${what}: not a valid database (${msg})`);
  if (code.startsWith('SQLITE_CANTOPEN')) return new LabError('not-found', `${what}: cannot open the file (${msg})`);
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_PERM') || code.startsWith('SQLITE_AUTH'))
    return new LabError('bad-session', `${what}: the file or its folder is read-only (${msg})`);
  if (code.startsWith('SQLITE_IOERR'))
    return new LabError('bad-session', `${what}: the file cannot be written (${msg})`);
  return new LabError('internal', `${what}: ${msg}`);
}

/** Why SQLite could not open or write `path`, when the file system says so: a read-only file or folder. */
function explainUnwritable(err: unknown, path: string, what: string): LabError {
  const code = (err as { code?: string }).code ?? '';
  if (path !== ':memory:' && (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_READONLY'))) {
    for (const p of [path, dirname(path)]) {
      try {
        accessSync(p, constants.W_OK);
      } catch (e) {
        const c = (e as { code?: string }).code;
        if (c === 'EROFS' || c === 'EACCES' || c === 'EPERM') {
          return new LabError(
            'bad-session',
            `${what}: ${p === path ? 'the file' : 'its folder'} is read-only (${c === 'EROFS' ? 'a read-only file system' : 'no write permission'})`,
          );
        }
      }
    }
  }
  return sqliteError(err, what);
}

/** What a database file is, read without writing anything. */
interface Identity {
  appId: number;
  version: number;
  /** Objects in sqlite_schema (tables, indexes, views, triggers). */
  objects: number;
}

/**
 * The file's id, version and schema size, read in one transaction: three separate reads could straddle another
 * process's commits while it creates the file (id 0 read before, 15 objects after) and see a foreign file.
 */
function identity(db: Db): Identity {
  const read = (): Identity => ({
    appId: db.pragma('application_id', { simple: true }) as number,
    version: db.pragma('user_version', { simple: true }) as number,
    objects: db.prepare('SELECT COUNT(*) FROM sqlite_schema').pluck().get() as number,
  });
  return db.inTransaction ? read() : db.transaction(read)();
}

/**
 * The one rule for whose file this is: the lab's own (its application id),
 * or empty (nothing in it: a new file, initialised by the lab). Anything else
 * belongs to another program and is never written — not even switched to WAL.
 */
function checkIdentity(id: Identity, path: string): void {
  if (id.appId === APPLICATION_ID) {
    if (id.version > SCHEMA_VERSION) {
      throw new LabError(
        'bad-session',
        `this database was written by a newer Momentum Lab (schema v${id.version}; this version reads up to v${SCHEMA_VERSION})`,
      );
    }
    return;
  }
  if (id.appId === 0 && id.version === 0 && id.objects === 0) return;
  throw new LabError(
    'bad-session',
    `${path} is a SQLite database, but not a Momentum Lab session file (application id ${id.appId}, ${id.objects} schema objects); it is left untouched`,
  );
}

/**
 * Apply the migrations after the file's user_version. Each step runs in an
 * EXCLUSIVE transaction that re-reads the version inside it, so processes
 * migrating (or creating) the same file at once wait for each other and
 * every migration runs exactly once.
 */
export function migrate(db: Db, target = SCHEMA_VERSION, check?: () => void): number {
  const from = db.pragma('user_version', { simple: true }) as number;
  if (from > SCHEMA_VERSION) {
    throw new LabError(
      'bad-session',
      `this database was written by a newer Momentum Lab (schema v${from}; this version reads up to v${SCHEMA_VERSION})`,
    );
  }
  for (;;) {
    const done = db
      .transaction(() => {
        check?.();
        const v = db.pragma('user_version', { simple: true }) as number;
        if (v >= target) return true;
        db.exec(MIGRATIONS[v]);
        db.pragma(`user_version = ${v + 1}`);
        db.pragma(`application_id = ${APPLICATION_ID}`);
        return false;
      })
      .exclusive();
    if (done) return from;
  }
}

/**
 * The file at `path` must be a regular file (or not exist yet: SQLite
 * creates it). A folder, a FIFO or a device (/dev/null) is refused before
 * SQLite touches it.
 */
function checkFileKind(path: string): boolean {
  let st;
  try {
    st = statSync(path);
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return false;
    throw new LabError('not-found', `${path}: cannot be read (${(err as Error).message})`);
  }
  if (st.isDirectory()) throw new LabError('bad-session', `${path} is a folder, not a session database`);
  if (!st.isFile())
    throw new LabError(
      'bad-session',
      `${path} is not a regular file (a device, FIFO or socket), so it cannot hold a session database`,
    );
  return st.size > 0;
}

/**
 * Open (or create) a session database: WAL journal, a busy timeout, foreign
 * keys on, migrated to the current schema. ':memory:' gives a throwaway store.
 *
 * Nothing is written before the file is known to be the lab's own or empty:
 * an existing file is first read through a read-only connection; creation and
 * migration then happen inside one exclusive transaction (which checks again),
 * and only then is the journal switched to WAL.
 */
export function openDatabase(path: string, options: OpenOptions = {}): Db {
  const memory = path === ':memory:';
  const readonly = options.readonly ?? false;
  if (!memory) {
    const hasContent = checkFileKind(path);
    if (!readonly && hasContent) {
      // Look before touching: a read-only connection never writes the file.
      let probe: Db | null = null;
      try {
        probe = new Database(path, { nativeBinding: options.nativeBinding, readonly: true, fileMustExist: true });
        probe.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
        checkIdentity(identity(probe), path);
      } catch (err) {
        throw explainUnwritable(err, path, `opening ${path}`);
      } finally {
        probe?.close();
      }
    }
  }
  let db: Db;
  try {
    db = new Database(path, { nativeBinding: options.nativeBinding, readonly, fileMustExist: readonly });
  } catch (err) {
    throw explainUnwritable(err, path, `opening ${path}`);
  }
  try {
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    if (!readonly) {
      db.pragma('foreign_keys = ON');
      // Check and create in one exclusive transaction: two processes opening a
      // new file at once cannot both see it empty and both create the schema.
      // An up-to-date file of the lab's own needs no lock at all (another process may be writing it).
      const seen = identity(db);
      checkIdentity(seen, path);
      if (seen.appId !== APPLICATION_ID || seen.version < SCHEMA_VERSION)
        migrate(db, SCHEMA_VERSION, () => checkIdentity(identity(db), path));
      if (!memory) switchToWal(db, options.busyTimeoutMs ?? 5000);
      // WAL + NORMAL: a commit survives the app or a worker dying (not a power cut).
      db.pragma('synchronous = NORMAL');
    }
    return db;
  } catch (err) {
    db.close();
    throw explainUnwritable(err, path, `opening ${path}`);
  }
}

/**
 * Switch the journal to WAL. The switch needs the file to itself for a
 * moment and does not wait for other connections (it answers the old mode),
 * so processes opening a new file together retry it for up to the busy
 * timeout; if another still holds the file, this connection carries on in the
 * rollback journal (correct, only less concurrent) and a later open switches.
 */
function switchToWal(db: Db, timeoutMs: number): void {
  const deadline = Date.now() + timeoutMs;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    let mode = '';
    try {
      mode = String(db.pragma('journal_mode = WAL', { simple: true }));
    } catch (err) {
      const code = (err as { code?: string }).code ?? '';
      if (!code.startsWith('SQLITE_BUSY') && !code.startsWith('SQLITE_LOCKED')) throw err;
    }
    if (mode === 'wal' || Date.now() > deadline) return;
    Atomics.wait(pause, 0, 0, 20);
  }
}

/**
 * Prove the file can be written now: take the write lock and release it
 * (writes nothing). A read-only file or folder, or a file system that
 * refuses writes, fails here instead of at the first recorded point.
 */
export function checkWritable(db: Db, path: string): void {
  try {
    db.transaction(() => {
      db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('write_check', '1')").run();
      throw new RollbackProbe();
    }).immediate();
  } catch (err) {
    if (err instanceof RollbackProbe) return;
    throw explainUnwritable(err, path, `writing ${path}`);
  }
}

class RollbackProbe extends Error {}
