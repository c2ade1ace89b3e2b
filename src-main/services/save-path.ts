import { existsSync, statSync } from 'node:fs';
import { dirname, extname, isAbsolute } from 'node:path';
import { LabError } from '../../src-core/contracts/lab-error';
import type { ServiceContext } from './service-context';

/** Ask the host for a path to save to, then check it: absolute, in an existing folder, with the right extension. */
export async function chooseSavePath(ctx: ServiceContext, title: string, defaultName: string, ext: string, kind: string): Promise<string | null> {
  if (!ctx.pickSavePath) throw new LabError('internal', `${title}: no save dialog is available here`);
  const picked = await ctx.pickSavePath({ title, defaultName: `${defaultName}.${ext}`, filters: [{ name: kind, extensions: [ext] }] });
  if (picked === null) return null;
  return checkSavePath(picked, ext);
}

export function checkSavePath(picked: unknown, ext: string): string {
  if (typeof picked !== 'string' || picked.length === 0 || picked.length > 4096 || picked.includes('\0')) throw new LabError('invalid-input', 'save path: not a valid path');
  if (!isAbsolute(picked)) throw new LabError('invalid-input', `save path: ${picked} is not an absolute path`);
  const path = extname(picked).toLowerCase() === `.${ext}` ? picked : `${picked}.${ext}`;
  const dir = dirname(path);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new LabError('not-found', `save path: the folder ${dir} does not exist`);
  if (existsSync(path) && !statSync(path).isFile()) throw new LabError('invalid-input', `save path: ${path} is not a file`);
  return path;
}

export async function chooseOpenPath(ctx: ServiceContext, title: string, ext: string, kind: string): Promise<string | null> {
  if (!ctx.pickOpenPath) throw new LabError('internal', `${title}: no file dialog is available here`);
  const picked = await ctx.pickOpenPath({ title, filters: [{ name: kind, extensions: [ext] }] });
  if (picked === null) return null;
  if (typeof picked !== 'string' || !isAbsolute(picked)) throw new LabError('invalid-input', 'open path: not an absolute path');
  return picked;
}
