import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';

// A SHA-256 over a session file's content (every row of every table but
// meta, in key order). An export stores it in meta; an import recomputes it,
// so a flipped byte inside a value — which PRAGMA integrity_check cannot see —
// is refused too.

const TABLES: [string, string][] = [
  ['sessions', 'id'],
  ['runs', 'id'],
  ['evals', 'run_id, iter'],
  ['batches', 'run_id, from_iter'],
  ['sims', 'id'],
  ['weights', 'run_id, iter'],
];

export function contentDigest(db: Database.Database): string {
  const h = createHash('sha256');
  for (const [table, key] of TABLES) {
    // Tables a file's schema version does not have yet (sims before v3, weights before v4) are skipped.
    if (!db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(table)) continue;
    h.update(`\u0000table:${table}`);
    const stmt = db.prepare(`SELECT * FROM "${table}" ORDER BY ${key}`).raw();
    for (const row of stmt.iterate() as Iterable<unknown[]>) {
      h.update('\u0001');
      for (const v of row) {
        if (v === null) h.update('n');
        else if (v instanceof Uint8Array) h.update(`b${v.byteLength}:`).update(v);
        else h.update(`${typeof v}${String(v).length}:${String(v)}`);
      }
    }
  }
  return h.digest('hex');
}
