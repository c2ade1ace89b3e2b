import { randomUUID } from 'node:crypto';
import { LabError } from '../../contracts/lab-error';
import type { SimRecord } from '../../contracts/session-types';
import type { Db } from './open-db';
import { stringifyExact } from './sim-json';
import { camelized, parseIdRow, SimRowSchema } from './row-schema';

// Saved simulator runs of a session.

/** A sims row through its schema (row-schema.ts): a damaged one is a 'bad-session' error naming the column. */
const toSim = (row: unknown): SimRecord => camelized(parseIdRow('sims', SimRowSchema, row, 'simulation'));

export function insertSim(
  db: Db,
  sim: Omit<SimRecord, 'id' | 'name' | 'notes'> & { id?: string; name?: string },
): SimRecord {
  const count = db.prepare('SELECT COUNT(*) FROM sims WHERE session_id = ?').pluck().get(sim.sessionId) as number;
  const record: SimRecord = {
    ...sim,
    id: sim.id ?? randomUUID(),
    name: sim.name ?? `Simulation ${count + 1}`,
    notes: '',
  };
  db.transaction(() => {
    db.prepare(
      'INSERT INTO sims (id, session_id, name, notes, request, runs, app_version, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(
      record.id,
      record.sessionId,
      record.name,
      record.notes,
      stringifyExact(record.request),
      stringifyExact(record.runs),
      record.appVersion,
      record.createdAt,
    );
    db.prepare('UPDATE sessions SET updated_at = ? WHERE id = ?').run(record.createdAt, record.sessionId);
  })();
  return record;
}

/**
 * Save a simulation, coalescing identical ones: when the session already holds a simulation of exactly the same
 * request (the simulator is pure, so the same trajectory), that row is updated (its time, summaries and app version;
 * its name and notes stay) instead of a copy being added. Says which.
 */
export function saveSimCoalesced(
  db: Db,
  sim: Omit<SimRecord, 'id' | 'name' | 'notes'>,
): { record: SimRecord; coalesced: boolean } {
  return db.transaction(() => {
    const request = stringifyExact(sim.request);
    const same = db
      .prepare('SELECT id FROM sims WHERE session_id = ? AND request = ? ORDER BY created_at DESC, rowid DESC LIMIT 1')
      .pluck()
      .get(sim.sessionId, request) as string | undefined;
    if (same === undefined) return { record: insertSim(db, sim), coalesced: false };
    db.prepare('UPDATE sims SET runs = ?, app_version = ?, created_at = ? WHERE id = ?').run(
      stringifyExact(sim.runs),
      sim.appVersion,
      sim.createdAt,
      same,
    );
    db.prepare('UPDATE sessions SET updated_at = ? WHERE id = ?').run(sim.createdAt, sim.sessionId);
    return { record: getSim(db, same), coalesced: true };
  })();
}

export function listSims(db: Db, sessionId: number): SimRecord[] {
  return db.prepare('SELECT * FROM sims WHERE session_id = ? ORDER BY created_at, rowid').all(sessionId).map(toSim);
}

export function getSim(db: Db, id: string): SimRecord {
  const row = db.prepare('SELECT * FROM sims WHERE id = ?').get(id);
  if (!row) throw new LabError('not-found', `no simulation with id ${id}`);
  return toSim(row);
}

export function updateSim(db: Db, id: string, change: { name?: string; notes?: string }): SimRecord {
  getSim(db, id);
  if (change.name !== undefined) db.prepare('UPDATE sims SET name = ? WHERE id = ?').run(change.name, id);
  if (change.notes !== undefined) db.prepare('UPDATE sims SET notes = ? WHERE id = ?').run(change.notes, id);
  return getSim(db, id);
}

export function deleteSim(db: Db, id: string): void {
  getSim(db, id);
  db.prepare('DELETE FROM sims WHERE id = ?').run(id);
}

/** Copy a session's simulations (from the main or an attached schema) into another session under new ids. */
export function copySims(db: Db, fromSchema: string, fromSession: number, toSession: number): void {
  const ids = db
    .prepare(`SELECT id FROM "${fromSchema}".sims WHERE session_id = ? ORDER BY created_at, rowid`)
    .pluck()
    .all(fromSession) as string[];
  const stmt = db.prepare(
    `INSERT INTO main.sims (id, session_id, name, notes, request, runs, app_version, created_at)
     SELECT ?, ?, name, notes, request, runs, app_version, created_at FROM "${fromSchema}".sims WHERE id = ?`,
  );
  for (const id of ids) stmt.run(randomUUID(), toSession, id);
}
