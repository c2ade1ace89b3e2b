import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Real processes for the recording tests: the CLI, and another program that
// holds a write transaction on a session database.

const HERE = fileURLToPath(import.meta.url);
export const ROOT = join(dirname(HERE), '..', '..', '..');
export const BIN = join(ROOT, 'bin', 'momentum-lab.mjs');
const SQLITE = createRequire(HERE).resolve('better-sqlite3');

export interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Run the CLI as its own process. */
export function cli(
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 300_000,
): { child: ChildProcess; done: Promise<Exit> } {
  const t0 = performance.now();
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const done = new Promise<Exit>((resolve) =>
    child.on('close', (code) => (clearTimeout(timer), resolve({ code, stdout, stderr, ms: performance.now() - t0 }))),
  );
  return { child, done };
}

/**
 * Another process takes the write lock of `dbPath` (BEGIN IMMEDIATE: in WAL
 * mode readers go on, writers wait) and holds it for `holdMs`, then rolls
 * back and exits. Resolves once the lock is held.
 */
export async function holdWriteLock(
  dbPath: string,
  holdMs: number,
): Promise<{ child: ChildProcess; released: Promise<number> }> {
  const script = `
    const D = require(${JSON.stringify(SQLITE)});
    const db = new D(${JSON.stringify(dbPath)});
    db.pragma('busy_timeout = 20000');
    db.exec('BEGIN IMMEDIATE');
    process.stdout.write('locked\\n');
    setTimeout(() => { db.exec('ROLLBACK'); db.close(); process.stdout.write('released\\n'); process.exit(0); }, ${holdMs});
  `;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  let releasedAt = 0;
  const released = new Promise<number>((resolve) => child.on('close', () => resolve(releasedAt || performance.now())));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('locked')) resolve();
      if (out.includes('released')) releasedAt = performance.now();
    });
    child.on('close', (code) => reject(new Error(`the lock holder exited (${code}) before taking the lock`)));
  });
  return { child, released };
}

/** Poll `dbPath` (read-only) until `pred` holds. */
export async function waitForDb(
  dbPath: string,
  pred: (db: Database.Database) => boolean,
  timeoutMs = 120_000,
): Promise<void> {
  const t0 = performance.now();
  for (;;) {
    try {
      const db = new Database(dbPath, { readonly: true, fileMustExist: true });
      try {
        if (pred(db)) return;
      } finally {
        db.close();
      }
    } catch {
      /* not there yet */
    }
    if (performance.now() - t0 > timeoutMs) throw new Error(`timed out waiting on ${dbPath}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
