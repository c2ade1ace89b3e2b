import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * better_sqlite3.node built for Electron's ABI by scripts/prepare-electron.mjs,
 * if it is there; undefined means "use node_modules/better-sqlite3 as built".
 */
export function electronSqliteBinding(appRoot: string, electronVersion: string | undefined): string | undefined {
  if (!electronVersion) return undefined;
  const path = join(appRoot, '.native', `better-sqlite3-electron-${electronVersion}`, 'better_sqlite3.node');
  return existsSync(path) ? path : undefined;
}
