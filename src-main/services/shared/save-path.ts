import { existsSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, join } from 'node:path';
import { LabError } from '../../../src-core/contracts/lab-error';
import type { ServiceContext } from '../service-context';

/** Ask the host for a path to save to, then check it (see checkWritePath). The dialog has already asked before overwriting. */
export async function chooseSavePath(
  ctx: ServiceContext,
  title: string,
  defaultName: string,
  ext: string,
  kind: string,
  protect: readonly string[] = [],
): Promise<string | null> {
  if (!ctx.pickSavePath) throw new LabError('internal', `${title}: no save dialog is available here`);
  const picked = await ctx.pickSavePath({
    title,
    defaultName: `${defaultName}.${ext}`,
    filters: [{ name: kind, extensions: [ext] }],
  });
  if (picked === null) return null;
  return checkSavePath(picked, ext, protect);
}

/** A path from the save dialog: absolute, the right extension, then the shared write-path rules (overwriting allowed: the dialog asked). */
export function checkSavePath(picked: unknown, ext: string, protect: readonly string[] = []): string {
  if (typeof picked !== 'string' || picked.length === 0 || picked.length > 4096 || picked.includes('\0'))
    throw new LabError('invalid-input', 'save path: not a valid path');
  if (!isAbsolute(picked)) throw new LabError('invalid-input', `save path: ${picked} is not an absolute path`);
  const path = extname(picked).toLowerCase() === `.${ext}` ? picked : `${picked}.${ext}`;
  return checkWritePath(path, { force: true, protect, what: 'save path' });
}

/** The identity of a path, also when it does not exist yet: its folder's real path plus its name. */
function realTarget(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    try {
      return join(realpathSync(dirname(path)), basename(path));
    } catch {
      return path;
    }
  }
}

function sameFile(a: string, b: string): boolean {
  try {
    const sa = statSync(a);
    const sb = statSync(b);
    if (sa.dev === sb.dev && sa.ino === sb.ino) return true;
  } catch {
    /* one of them does not exist: compare names */
  }
  return realTarget(a) === realTarget(b);
}

/** The files that make up a live SQLite database: never a target for an export. */
export function databaseFiles(dbPath: string): string[] {
  return dbPath && dbPath !== ':memory:' ? [dbPath, `${dbPath}-wal`, `${dbPath}-shm`, `${dbPath}-journal`] : [];
}

/**
 * The one check of where the lab may write a file for the user, shared by
 * the app's save dialog and the CLI's --out:
 * - the folder must exist;
 * - never a database the lab has open, nor its -wal / -shm / -journal
 *   (`protect` lists the live databases; a link or another name for the same
 *   file counts as the same file);
 * - a folder is an error; a FIFO, device or socket is never replaced;
 * - an existing regular file is replaced only with `force`.
 * Returns the path to write (a link to a regular file resolves to that file).
 * Write it with writeFileAtomic / writeVia, whose rename again replaces only
 * a regular file.
 */
export function checkWritePath(
  path: string,
  options: { force: boolean; protect?: readonly string[]; what?: string },
): string {
  const what = options.what ?? 'output';
  if (typeof path !== 'string' || path.length === 0 || path.includes('\0') || !isAbsolute(path))
    throw new LabError('invalid-input', `${what}: not a valid absolute path`);
  const dir = dirname(path);
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new LabError('not-found', `${what}: the folder ${dir} does not exist`);
  for (const db of options.protect ?? []) {
    for (const file of databaseFiles(db)) {
      if (sameFile(path, file))
        throw new LabError(
          'invalid-input',
          `${what}: ${path} is the session database${file === db ? '' : `'s ${file.slice(db.length + 1)} file`} (${db}) the lab has open; choose another file`,
        );
    }
  }
  let st;
  try {
    st = statSync(path);
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return path;
    throw new LabError('invalid-input', `${what}: ${path} cannot be checked (${(err as Error).message})`);
  }
  if (st.isDirectory()) throw new LabError('invalid-input', `${what}: ${path} is a folder; name a file`);
  if (!st.isFile())
    throw new LabError(
      'invalid-input',
      `${what}: ${path} is not a regular file (a FIFO, device or socket); it is left as it is`,
    );
  if (!options.force)
    throw new LabError('invalid-input', `${what}: ${path} already exists; pass --force to overwrite it`);
  return realTarget(path);
}

export async function chooseOpenPath(
  ctx: ServiceContext,
  title: string,
  ext: string,
  kind: string,
): Promise<string | null> {
  if (!ctx.pickOpenPath) throw new LabError('internal', `${title}: no file dialog is available here`);
  const picked = await ctx.pickOpenPath({ title, filters: [{ name: kind, extensions: [ext] }] });
  if (picked === null) return null;
  if (typeof picked !== 'string' || !isAbsolute(picked))
    throw new LabError('invalid-input', 'open path: not an absolute path');
  return picked;
}
