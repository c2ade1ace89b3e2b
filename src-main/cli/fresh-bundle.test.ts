import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshBundles } from '../../bin/fresh-bundle.mjs';

// bin/fresh-bundle.mjs decides whether the CLI runs its precompiled bundle or
// the sources; here on a small tree laid out as scripts/build-cli.mjs writes it.

let root: string;
const built = Date.now();
const old = new Date('1985-10-26T08:15:00Z'); // the mtime npm gives installed files

function write(path: string, text: string, mtime?: Date): void {
  const full = join(root, path);
  mkdirSync(join(full, '..'), { recursive: true });
  writeFileSync(full, text);
  if (mtime) utimesSync(full, mtime, mtime);
}

const noBundle = process.env.MOMENTUM_LAB_NO_BUNDLE;
beforeEach(() => {
  delete process.env.MOMENTUM_LAB_NO_BUNDLE;
  root = mkdtempSync(join(tmpdir(), 'momentum-lab-fresh-'));
  const past = new Date(built - 10_000);
  write('src-main/cli/main.ts', 'export {};', past);
  write('node_modules/zod/package.json', '{"version":"4.6.7"}', old);
  write('node_modules/zod/index.js', 'export {};', old);
  for (const f of ['cli.mjs', 'prestart.mjs', 'chunk-A.mjs']) write(`out/cli/${f}`, '');
  write(
    'out/cli/inputs.json',
    JSON.stringify({
      built,
      outputs: ['cli.mjs', 'prestart.mjs', 'chunk-A.mjs'],
      packages: { zod: '4.6.7' },
      inputs: ['src-main/cli/main.ts', 'node_modules/zod/index.js'],
    }),
  );
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
  if (noBundle === undefined) delete process.env.MOMENTUM_LAB_NO_BUNDLE;
  else process.env.MOMENTUM_LAB_NO_BUNDLE = noBundle;
});

describe('freshBundles', () => {
  it('gives the entries of a fresh build, in the order asked', () => {
    expect(freshBundles(['prestart', 'cli'], root)?.map((u) => u.split('/').pop())).toEqual([
      'prestart.mjs',
      'cli.mjs',
    ]);
  });

  it('refuses a build when a source is newer', () => {
    write('src-main/cli/main.ts', 'export const changed = 1;', new Date(built + 1000));
    expect(freshBundles(['cli'], root)).toBeNull();
  });

  it('refuses a build whose bundled package was reinstalled at another version (same old mtime)', () => {
    write('node_modules/zod/package.json', '{"version":"4.6.8"}', old);
    expect(freshBundles(['cli'], root)).toBeNull();
  });

  it('refuses a build with a file missing, or an entry it did not produce', () => {
    expect(freshBundles(['cli', 'nope'], root)).toBeNull();
    rmSync(join(root, 'out/cli/chunk-A.mjs'));
    expect(freshBundles(['cli'], root)).toBeNull();
  });

  it('MOMENTUM_LAB_NO_BUNDLE=1 always runs the sources', () => {
    process.env.MOMENTUM_LAB_NO_BUNDLE = '1';
    expect(freshBundles(['cli'], root)).toBeNull();
  });
});
