import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { closeSync, copyFileSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { LabError } from '../../contracts/lab-error';
import type { SessionSummary } from '../../contracts/session-types';
import { copyRun, freeSessionName } from './copy-run';
import { contentDigest } from './digest';
import { copySims } from './sims';
import { checkEveryRow } from './row-check';
import { BadRowError } from './row-schema';
import { migrate, sqliteError } from './open-db';
import { copyRegularFile, openRegularFile, RegularFileRefusal } from '../regular-file';
import { APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION } from './schema';
import { labTempDir } from './temp-files';
import type { SessionStore } from './session-store';

// A session as one SQLite file, to carry to another machine. Export: VACUUM
// INTO a temporary file (safe on a live WAL database), keep only that
// session, then move it into place. Import: every check runs on a temporary
// copy; the live database is touched only after all of them pass, in one
// transaction.

/** Largest session file the lab will import. */
export const MAX_SESSION_FILE_BYTES = 2 * 1024 ** 3;
const HEADER = Buffer.from('SQLite format 3\0', 'latin1');

function tempDir(): string {
  return labTempDir(); // momentum-lab-session-<pid>-XXXXXX: a later start removes it if this process is killed
}

export function exportSessionFile(
  store: SessionStore,
  sessionId: number,
  target: string,
  nativeBinding?: string,
): { bytes: number; runs: number } {
  store.session(sessionId);
  const dir = tempDir();
  const tmp = join(dir, 'session.mlab');
  try {
    store.db.prepare('VACUUM INTO ?').run(tmp);
    const out = new Database(tmp, { nativeBinding });
    let runs = 0;
    try {
      out.pragma('journal_mode = DELETE');
      out.pragma('foreign_keys = ON');
      out.prepare('DELETE FROM sessions WHERE id != ?').run(sessionId);
      out.prepare('DELETE FROM meta').run();
      out.prepare('UPDATE runs SET owner_pid = NULL').run();
      runs = out.prepare('SELECT COUNT(*) FROM runs').pluck().get() as number;
      out.prepare("INSERT INTO meta (key, value) VALUES ('content_sha256', ?)").run(contentDigest(out));
      out.exec('VACUUM');
    } finally {
      out.close();
    }
    const partial = `${target}.partial-${process.pid}`;
    copyFileSync(tmp, partial);
    renameSync(partial, target);
    return { bytes: statSync(target).size, runs };
  } catch (err) {
    throw sqliteError(err, 'exporting the session');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const refuse = (why: string) => new LabError('bad-session', `cannot import this file: ${why}`);

/** Checks that need no SQLite: size, header, and that the file is as long as its header says. */
function checkFileShape(path: string): void {
  // Never opens a FIFO, device or folder (which could block the lab forever): see regular-file.ts.
  let opened: { fd: number; size: number };
  try {
    opened = openRegularFile(path, MAX_SESSION_FILE_BYTES);
  } catch (err) {
    if (!(err instanceof RegularFileRefusal)) throw err;
    if (err.kind === 'not-found') throw new LabError('not-found', `cannot import ${path}: no such file`);
    throw refuse(err.message);
  }
  const size = opened.size;
  const head = Buffer.alloc(100);
  try {
    if (size < 512) throw refuse(`it is only ${size} bytes: too short to be a session file`);
    readSync(opened.fd, head, 0, 100, 0);
  } finally {
    closeSync(opened.fd);
  }
  if (!head.subarray(0, 16).equals(HEADER)) throw refuse('it is not a SQLite database');
  const rawPage = head.readUInt16BE(16);
  const pageSize = rawPage === 1 ? 65536 : rawPage;
  if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0)
    throw refuse(`its header declares a page size of ${rawPage}`);
  if (size % pageSize !== 0)
    throw refuse(`its length (${size} bytes) is not a whole number of ${pageSize}-byte pages: truncated or damaged`);
  const changeCounter = head.readUInt32BE(24);
  const pages = head.readUInt32BE(28);
  if (head.readUInt32BE(92) === changeCounter && pages * pageSize !== size) {
    throw refuse(
      `its header declares ${pages} pages (${pages * pageSize} bytes) but the file has ${size} bytes: truncated or damaged`,
    );
  }
}

interface SchemaObject {
  type: string;
  name: string;
  tbl_name: string;
  sql: string | null;
}

const objectKey = (o: SchemaObject) => `${o.type} "${o.name}"`;
const normalSql = (sql: string | null) => (sql ?? '').replace(/\s+/g, ' ').trim();

function schemaObjects(db: Database.Database): SchemaObject[] {
  return db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name').all() as SchemaObject[];
}

/** The lab's own schema at a version (tables, indexes, and nothing else), from its migrations. */
function ownSchema(version: number, nativeBinding?: string): Map<string, SchemaObject> {
  const mem = new Database(':memory:', { nativeBinding });
  try {
    for (const sql of MIGRATIONS.slice(0, version)) mem.exec(sql);
    return new Map(schemaObjects(mem).map((o) => [objectKey(o), o]));
  } finally {
    mem.close();
  }
}

/**
 * A session file must hold exactly the schema its version's migrations make:
 * no trigger, view or extra table or index of its own (a trigger could act
 * on the rows the import reads; nothing foreign belongs in a session), and
 * no table whose definition was changed (a CHECK, a default, a generated
 * column). Compared before anything is migrated or read.
 */
function checkSchema(db: Database.Database, version: number, nativeBinding?: string): void {
  const own = ownSchema(version, nativeBinding);
  const found = schemaObjects(db);
  const extra = found.filter((o) => !own.has(objectKey(o)));
  if (extra.length > 0) {
    const list =
      extra.slice(0, 5).map(objectKey).join(', ') + (extra.length > 5 ? `, and ${extra.length - 5} more` : '');
    throw refuse(
      `it carries database objects a Momentum Lab session file never has (${list}); only sessions, runs and their records are imported`,
    );
  }
  const changed = found.filter(
    (o) =>
      normalSql(o.sql) !== normalSql(own.get(objectKey(o))?.sql ?? null) ||
      o.tbl_name !== own.get(objectKey(o))?.tbl_name,
  );
  if (changed.length > 0)
    throw refuse(
      `the definition of ${changed.slice(0, 3).map(objectKey).join(', ')} is not Momentum Lab's (schema v${version})`,
    );
  const names = new Set(found.map(objectKey));
  const missing = [...own.keys()].filter((k) => !names.has(k));
  if (missing.length > 0)
    throw refuse(`it lacks ${missing.slice(0, 3).join(', ')} of Momentum Lab's schema v${version}`);
}

/** Checks on the opened temporary copy; migrates it to this version's schema. */
function checkCopy(db: Database.Database, nativeBinding?: string): { sessions: number; runs: number } {
  const appId = db.pragma('application_id', { simple: true }) as number;
  const version = db.pragma('user_version', { simple: true }) as number;
  if (appId !== APPLICATION_ID) throw refuse('it is a SQLite database, but not a Momentum Lab session file');
  if (version > SCHEMA_VERSION) {
    throw new LabError(
      'bad-session',
      `this session file was written by a newer Momentum Lab (schema v${version}; this version reads up to v${SCHEMA_VERSION}). Update the lab to import it.`,
    );
  }
  if (version < 1) throw refuse('it has no schema version');
  const integrity = db.pragma('integrity_check', { simple: true });
  if (integrity !== 'ok') throw refuse(`the integrity check failed (${String(integrity).slice(0, 120)})`);
  checkSchema(db, version, nativeBinding);
  if ((db.pragma('foreign_key_check') as unknown[]).length > 0) throw refuse('it has runs that belong to no session');
  const digest =
    version >= 2
      ? (db.prepare("SELECT value FROM meta WHERE key = 'content_sha256'").pluck().get() as string | undefined)
      : undefined;
  if (digest !== undefined && digest !== contentDigest(db))
    throw refuse('its content does not match its checksum (the file was altered or damaged)');
  migrate(db);
  // Every row of every table through its schema, and the counts that tie them together (row-check.ts).
  try {
    checkEveryRow(db);
  } catch (err) {
    if (err instanceof BadRowError) throw refuse(err.message);
    throw err;
  }
  const runs = db.prepare('SELECT COUNT(*) FROM runs').pluck().get() as number;
  const sessions = db.prepare('SELECT COUNT(*) FROM sessions').pluck().get() as number;
  if (sessions === 0) throw refuse('it holds no session');
  return { sessions, runs };
}

/**
 * Import every session of a session file into the store, under free names and
 * fresh run ids. Nothing in the live database changes unless every check passes.
 */
export function importSessionFile(store: SessionStore, path: string, nativeBinding?: string): SessionSummary[] {
  checkFileShape(path);
  const dir = tempDir();
  const copy = join(dir, 'import.mlab');
  try {
    copyRegularFile(path, copy, MAX_SESSION_FILE_BYTES); // through a checked descriptor, not whatever the path names by now
    const db = (() => {
      try {
        return new Database(copy, { nativeBinding, fileMustExist: true });
      } catch (err) {
        throw refuse((err as Error).message);
      }
    })();
    try {
      checkCopy(db, nativeBinding);
    } catch (err) {
      if (err instanceof LabError) throw err;
      throw refuse((err as Error).message);
    } finally {
      db.close();
    }
    const live = store.db;
    live.prepare('ATTACH DATABASE ? AS imp').run(copy);
    try {
      return live.transaction(() => {
        const sessions = live.prepare('SELECT id, name FROM imp.sessions ORDER BY id').all() as {
          id: number;
          name: string;
        }[];
        const ids = sessions.map((s) => {
          const created = store.createSession(freeSessionName(live, s.name));
          const runIds = live
            .prepare('SELECT id FROM imp.runs WHERE session_id = ? ORDER BY started_at')
            .pluck()
            .all(s.id) as string[];
          for (const runId of runIds) copyRun(live, 'imp', runId, randomUUID(), created.id);
          copySims(live, 'imp', s.id, created.id);
          return created.id;
        });
        return ids.map((id) => store.session(id));
      })();
    } finally {
      live.prepare('DETACH DATABASE imp').run();
    }
  } catch (err) {
    throw sqliteError(err, 'importing the session');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
