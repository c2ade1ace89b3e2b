import type { Db } from './open-db';

// Is the process that records a 'running' run still at it? A PID alone cannot
// say: after a reboot (or enough processes) the PID belongs to someone else,
// the run stays 'running' forever and can be deleted neither by itself nor
// with its session. So the owner writes a heartbeat (runs.heartbeat_at): with
// every batch and evaluation it records (record.ts) and, between those, every
// HEARTBEAT_EVERY_MS from SessionStore's timer. A run is alive only while its
// heartbeat is recent AND its owner PID exists; a reused PID cannot fake the
// first, a missing heartbeat (a run from before schema v5) counts as stale.
//
// The timeout is generous (6 missed beats) so a busy disk or another
// process's lock for a few seconds does not end a live run; a run that was
// wrongly declared dead keeps everything it recorded and would only lose its
// final status line.

/** How often the owner refreshes the heartbeat of runs it records. */
export const HEARTBEAT_EVERY_MS = 10_000;
/** A heartbeat older than this (or further in the future, after a clock jump) means the owner is gone. */
export const HEARTBEAT_TIMEOUT_MS = 60_000;

/** True if a process with this id exists (it may be any process: see above). */
export function pidExists(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: string }).code === 'EPERM';
  }
}

export interface LivenessRow {
  owner_pid: number | null;
  heartbeat_at: number | null;
}

/**
 * Is the owner of a 'running' run alive at `now`? `ownPidIsDead`: at open, a
 * run this very process left running belongs to an earlier store (its
 * recorder is gone); later, this process's own runs are judged by their
 * heartbeat like any other.
 */
export function ownerAlive(row: LivenessRow, now: number, ownPidIsDead: boolean): boolean {
  const pid = row.owner_pid;
  if (pid === null || typeof pid !== 'number') return false;
  const beat = row.heartbeat_at;
  if (typeof beat !== 'number' || !Number.isFinite(beat) || Math.abs(now - beat) > HEARTBEAT_TIMEOUT_MS) return false;
  if (pid === process.pid) return !ownPidIsDead;
  return pidExists(pid);
}

/** Runs left 'running' whose owner is gone become 'interrupted', keeping what they recorded; returns their ids. */
export function interruptDeadRuns(db: Db, now: number, ownPidIsDead: boolean): string[] {
  const rows = db
    .prepare(`SELECT id, owner_pid, heartbeat_at FROM runs WHERE status = 'running'`)
    .all() as (LivenessRow & { id: string })[];
  const dead = rows.filter((r) => !ownerAlive(r, now, ownPidIsDead)).map((r) => r.id);
  if (dead.length === 0) return dead;
  const stmt = db.prepare(
    `UPDATE runs SET status = 'interrupted', owner_pid = NULL,
       message = 'interrupted: the lab stopped while this run was training; what it recorded is kept',
       ended_at = COALESCE(ended_at, ?) WHERE id = ? AND status = 'running'`,
  );
  db.transaction(() => dead.forEach((id) => stmt.run(now, id)))();
  return dead;
}

/**
 * The owner's heartbeat for the runs this process records: a read first (no
 * lock), and a write only when a beat is due; the write does not wait for
 * another process's lock (the next beat, or the run's next record, tries again).
 */
export function beat(db: Db, now: number): number {
  const due = db
    .prepare(
      `SELECT 1 FROM runs WHERE status = 'running' AND owner_pid = ? AND (heartbeat_at IS NULL OR heartbeat_at < ?) LIMIT 1`,
    )
    .get(process.pid, now - HEARTBEAT_EVERY_MS + 500);
  if (!due) return 0;
  const timeout = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma('busy_timeout = 0');
  try {
    return db
      .prepare(`UPDATE runs SET heartbeat_at = ? WHERE status = 'running' AND owner_pid = ?`)
      .run(now, process.pid).changes;
  } catch {
    return 0;
  } finally {
    db.pragma(`busy_timeout = ${timeout}`);
  }
}
