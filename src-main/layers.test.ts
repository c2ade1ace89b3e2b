import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// The layer gate (`npm run layers`, .dependency-cruiser.cjs) run as a real process on small trees laid out
// like the lab's: each tree breaks one row of ARCHITECTURE.md's layer table, and the run must fail naming
// that rule; a tree that keeps the table must pass.

const ROOT = resolve('.');
const BIN = join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');
const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

function cruise(files: Record<string, string>): { code: number | null; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'mlab-layers-'));
  made.push(dir);
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const r = spawnSync(process.execPath, [BIN, '--config', CONFIG, '--output-type', 'err', '.'], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout + r.stderr };
}

// A tree that keeps every rule: pure core with zod, core/node with Node, main with electron in its shell,
// renderer on the pure core and svelte.
const GOOD: Record<string, string> = {
  'src-core/contracts/thing.ts': "import { z } from 'zod';\nexport const thing = z.string();\n",
  'src-core/node/file.ts': "import { readFileSync } from 'node:fs';\nexport const read = readFileSync;\n",
  'src-main/electron/window.ts': "import { app } from 'electron';\nexport const a = app;\n",
  'src-main/index.ts':
    "import './electron/window';\nimport { thing } from '../src-core/contracts/thing';\nexport { thing };\n",
  'src-renderer/lib/lab.ts': "import { thing } from '../../src-core/contracts/thing';\nexport const lab = thing;\n",
  'src-renderer/main.ts': "import { lab } from './lib/lab';\nimport { mount } from 'svelte';\nexport { lab, mount };\n",
};

const BREAKS: [rule: string, files: Record<string, string>][] = [
  [
    'core-imports-only-zod',
    { 'src-core/sum.ts': "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n" },
  ],
  ['core-not-core-node', { 'src-core/uses-node.ts': "import { read } from './node/file';\nexport const r = read;\n" }],
  [
    'core-not-above',
    { 'src-core/node/up.ts': "import { lab } from '../../src-renderer/lib/lab';\nexport const l = lab;\n" },
  ],
  ['core-node-no-electron', { 'src-core/node/shell.ts': "import { app } from 'electron';\nexport const a = app;\n" }],
  ['electron-only-in-shell', { 'src-main/services/x.ts': "import { app } from 'electron';\nexport const a = app;\n" }],
  ['renderer-no-node', { 'src-renderer/views/disk.ts': "import { join } from 'node:path';\nexport const j = join;\n" }],
  [
    'renderer-no-node-modules-for-node',
    { 'src-renderer/views/db.ts': "import Database from 'better-sqlite3';\nexport const D = Database;\n" },
  ],
  [
    'renderer-reaches-main-only-through-lab',
    { 'src-renderer/views/direct.ts': "import { thing } from '../../src-main/index';\nexport const t = thing;\n" },
  ],
  [
    'main-not-renderer',
    { 'src-main/uses-view.ts': "import { lab } from '../src-renderer/lib/lab';\nexport const l = lab;\n" },
  ],
  ['not-to-unresolvable', { 'src-main/typo.ts': "import { x } from './no-such-file';\nexport const y = x;\n" }],
];

describe('the layer gate (dependency-cruiser on the layer table)', () => {
  it('passes a tree that keeps the table', () => {
    const r = cruise(GOOD);
    expect(r.out).toContain('no dependency violations found');
    expect(r.code).toBe(0);
  });

  it('fails a tree that breaks every rule, naming each rule with the file that breaks it', () => {
    const r = cruise(Object.assign({}, GOOD, ...BREAKS.map(([, files]) => files)));
    expect(r.code, r.out).not.toBe(0);
    const lines = r.out.split('\n');
    for (const [rule, files] of BREAKS) {
      const file = Object.keys(files)[0];
      expect(
        lines.some((l) => new RegExp(`\\b${rule}\\b`).test(l) && l.includes(file)),
        `${rule} on ${file}\n${r.out}`,
      ).toBe(true);
    }
    // and nothing of the good tree is blamed
    for (const file of Object.keys(GOOD))
      expect(
        lines.filter((l) => l.includes(`: ${file} →`)),
        file,
      ).toEqual([]);
  });
});
