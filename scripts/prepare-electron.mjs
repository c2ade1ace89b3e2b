#!/usr/bin/env node
// Prepares what `npm start` needs beyond `npm install`, and says exactly what
// is missing when it cannot:
//  1. the Electron binary (electron's install.js downloads it on first use);
//  2. a copy of better-sqlite3 built for Electron's ABI in .native/, so that
//     node_modules/better-sqlite3 stays built for Node (the tests need that).
// Offline, each step degrades to a warning; it never fails the install.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, cpSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

const require = createRequire(import.meta.url);
const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const warn = (m) => console.warn(`momentum-lab: warning: ${m}`);

function electronBinary() {
  const dir = dirname(require.resolve('electron/package.json'));
  try {
    return require('electron'); // path of the binary; throws if it was never downloaded
  } catch {
    try {
      execFileSync(process.execPath, [join(dir, 'install.js')], { stdio: 'inherit' });
      return require('electron');
    } catch {
      warn(
        'the Electron binary could not be downloaded (no network?). `npm start` needs it; the tests and the CLI do not.',
      );
      return null;
    }
  }
}

function electronSqlite(electronVersion) {
  const target = join(root, '.native', `better-sqlite3-electron-${electronVersion}`, 'better_sqlite3.node');
  if (existsSync(target)) return;
  const src = dirname(require.resolve('better-sqlite3/package.json'));
  const work = join(root, '.native', 'build-better-sqlite3');
  rmSync(work, { recursive: true, force: true });
  cpSync(src, work, { recursive: true });
  try {
    execFileSync(
      'npx',
      ['--yes', 'prebuild-install', '--runtime=electron', `--target=${electronVersion}`, '--verbose'],
      { cwd: work, stdio: 'inherit' },
    );
  } catch {
    try {
      // No prebuilt binary: compile against Electron's headers.
      execFileSync(
        'npx',
        [
          '--yes',
          'node-gyp',
          'rebuild',
          '--release',
          `--target=${electronVersion}`,
          '--dist-url=https://electronjs.org/headers',
        ],
        {
          cwd: work,
          stdio: 'inherit',
          env: { ...process.env, npm_config_nodedir: '' },
        },
      );
    } catch {
      warn('could not get better-sqlite3 for Electron (no network?). The app will start without saving sessions.');
      return;
    }
  }
  mkdirSync(dirname(target), { recursive: true });
  cpSync(join(work, 'build', 'Release', 'better_sqlite3.node'), target);
  rmSync(work, { recursive: true, force: true });
}

const binary = electronBinary();
if (binary) {
  const version = require('electron/package.json').version;
  electronSqlite(version);
}
