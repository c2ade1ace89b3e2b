import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// The dispatcher loads a command's module only when that command is asked for, and `sessions` loads the modules of
// its heavier actions only in those actions: the CLI's start-up stays short (bench/startup-bench.ts measures it).
// Here a real CLI process runs from the sources with a module hook that logs every module it resolves.

const dir = mkdtempSync(join(tmpdir(), 'lazy-commands-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const hook = join(dir, 'hook.mjs');
writeFileSync(
  hook,
  `export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  process.stderr.write('RESOLVED ' + r.url + '\\n');
  return r;
}
`,
);
const register = join(dir, 'register.mjs');
writeFileSync(
  register,
  `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hook).href)});\n`,
);

/** The packages (node_modules/<name>) a CLI call loads. */
function packagesLoaded(args: string[]): string[] {
  const r = spawnSync(process.execPath, ['--import', register, resolve('bin/momentum-lab.mjs'), ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, MOMENTUM_LAB_NO_BUNDLE: '1' },
  });
  expect(r.status, r.stderr).toBe(0);
  const urls = [...r.stderr.matchAll(/^RESOLVED (\S+)$/gm)].map((m) => m[1]);
  expect(urls.some((u) => u.endsWith('/src-main/cli/main.ts'))).toBe(true); // the hook saw the CLI load
  const names = urls.flatMap((u) => {
    const m = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u);
    return m ? [m[1]] : [];
  });
  return [...new Set(names)].filter((n) => n !== 'tsx' && n !== 'esbuild').sort();
}

describe('the CLI loads what a command needs, no more', () => {
  it('--help loads no package at all (no zod, no SQLite, no d3)', () => {
    expect(packagesLoaded(['--help'])).toEqual([]);
  });

  it('sessions list loads SQLite and zod (every row is checked), not d3, resvg or fflate', () => {
    expect(packagesLoaded(['sessions', 'list', '--db', join(dir, 'list.db')])).toEqual(['better-sqlite3', 'zod']);
  }, 30_000);
});
