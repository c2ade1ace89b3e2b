import type { Db } from './open-db';

// Copies a run (its row, evaluations, batches and kept weights) under a new id into a
// session, from the main schema or from an attached one (an import).

const RUN_TABLES = ['runs', 'evals', 'batches', 'weights'] as const;

function columns(db: Db, schema: string, table: string): string[] {
  return (db.prepare(`SELECT name FROM pragma_table_info(?, ?)`).all(table, schema) as { name: string }[]).map(
    (c) => c.name,
  );
}

export function copyRun(db: Db, fromSchema: string, runId: string, newId: string, sessionId: number): void {
  for (const table of RUN_TABLES) {
    const cols = columns(db, 'main', table);
    const from = new Set(columns(db, fromSchema, table));
    const select = cols.map((c) => {
      if (table === 'runs' && c === 'id') return '@newId';
      if (c === 'run_id') return '@newId';
      if (c === 'session_id') return '@sessionId';
      if (c === 'owner_pid') return 'NULL';
      // A copy is never live: a run still training in the source reads as interrupted.
      if (table === 'runs' && c === 'status')
        return `CASE "status" WHEN 'running' THEN 'interrupted' ELSE "status" END`;
      return from.has(c) ? `"${c}"` : 'NULL';
    });
    const key = table === 'runs' ? 'id' : 'run_id';
    db.prepare(
      `INSERT INTO main."${table}" (${cols.map((c) => `"${c}"`).join(', ')}) SELECT ${select.join(', ')} FROM "${fromSchema}"."${table}" WHERE ${key} = @runId`,
    ).run({
      newId,
      sessionId,
      runId,
    });
  }
}

/** "Name", or "Name (2)", "Name (3)", … — the first that is free. */
export function freeSessionName(db: Db, wanted: string): string {
  const taken = db.prepare('SELECT 1 FROM sessions WHERE name = ?');
  if (!taken.get(wanted)) return wanted;
  for (let k = 2; ; k++) {
    const name = `${wanted} (${k})`;
    if (!taken.get(name)) return name;
  }
}
