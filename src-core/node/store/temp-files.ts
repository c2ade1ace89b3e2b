import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pidExists } from './liveness';

// The lab's own temporary files: session export/import copies (up to 2 GiB
// each) live in folders named momentum-lab-session-<pid>-XXXXXX under the
// system temp folder. A process killed mid-import leaves its folder behind;
// the next start removes the folders whose process is gone.

export const LAB_TEMP_PREFIX = 'momentum-lab-session-';
/** A temp folder whose owner still looks alive is removed anyway after this long (its pid may have been reused). */
export const STALE_TEMP_MS = 24 * 3600 * 1000;
/** A folder from before temp names carried the pid is removed once it is this old. */
export const STALE_UNTAGGED_MS = 3600 * 1000;

/** A fresh temporary folder, named so a later start can tell it is the lab's and whose. */
export function labTempDir(base = tmpdir()): string {
  return mkdtempSync(join(base, `${LAB_TEMP_PREFIX}${process.pid}-`));
}

/**
 * Remove the lab's stale temporary folders in `base`: those of a process that
 * is gone, and any older than STALE_TEMP_MS. Only names the lab makes are
 * touched; anything else in the folder is left alone. Never throws.
 */
export function sweepStaleTemps(base = tmpdir(), now = Date.now()): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(base);
  } catch {
    return removed;
  }
  for (const name of names) {
    if (!name.startsWith(LAB_TEMP_PREFIX)) continue;
    const path = join(base, name);
    try {
      const st = statSync(path);
      if (!st.isDirectory()) continue;
      const age = now - st.mtimeMs;
      const m = /^(\d+)-[A-Za-z0-9]{6}$/.exec(name.slice(LAB_TEMP_PREFIX.length));
      const stale = m
        ? Number(m[1]) !== process.pid && (!pidExists(Number(m[1])) || age > STALE_TEMP_MS)
        : /^[A-Za-z0-9]{6}$/.test(name.slice(LAB_TEMP_PREFIX.length)) && age > STALE_UNTAGGED_MS;
      if (!stale) continue;
      rmSync(path, { recursive: true, force: true });
      removed.push(path);
    } catch {
      /* gone meanwhile, or not ours to remove */
    }
  }
  return removed;
}
