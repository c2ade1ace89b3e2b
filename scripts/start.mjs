#!/usr/bin/env node
// `npm start`: the desktop app where Electron can run, the browser mode
// elsewhere.
//  - With the Electron binary (and, on Linux, a display): exactly what
//    `npm start` always did: prepare-electron.mjs, electron-vite build,
//    electron-vite preview.
//  - Without it (it could not be downloaded: offline, a locked-down network)
//    or without a display (a server reached over SSH): one line saying so,
//    the renderer built if it is missing or older than its sources, then
//    `momentum-lab serve` (arguments after `npm start --` go to it).
// Never a stack trace: a failure prints what failed in one line.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

function fail(message) {
  console.error(`momentum-lab: ${message}`);
  process.exit(1);
}

const electronDir = join(root, 'node_modules', 'electron');

/**
 * The Electron binary's path, or null when it was never downloaded. Read the
 * way the electron package finds it (path.txt, dist/), without requiring the
 * package: its index.js starts a download, loudly, when the binary is missing.
 */
function electronBinary() {
  const pathFile = join(electronDir, 'path.txt');
  const exe = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const override = process.env['ELECTRON_OVERRIDE_DIST_PATH'];
  if (override) return existsSync(join(override, exe || 'electron')) ? join(override, exe || 'electron') : null;
  if (!exe) return null;
  const path = join(electronDir, 'dist', exe);
  return existsSync(path) ? path : null;
}

function ensureElectron() {
  let path = electronBinary();
  if (path || !existsSync(join(electronDir, 'install.js'))) return path;
  // One more try at the download npm install attempted (quietly: its failure is reported as one line below).
  spawnSync(process.execPath, [join(electronDir, 'install.js')], { cwd: root, stdio: 'ignore', timeout: 180_000 });
  path = electronBinary();
  return path;
}

function run(cmd, cmdArgs, opts = {}) {
  const r = spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32', ...opts });
  if (r.error) fail(`${cmd} ${cmdArgs.join(' ')}: ${r.error.message}`);
  return r.status ?? 1;
}

function desktop() {
  const bin = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'electron-vite.cmd' : 'electron-vite');
  for (const [cmd, cmdArgs] of [
    [process.execPath, [join(root, 'scripts', 'prepare-electron.mjs')]],
    [bin, ['build']],
    [bin, ['preview']],
  ]) {
    const status = run(cmd, cmdArgs);
    if (status !== 0) process.exit(status);
  }
}

/** Newest modification time of the files under these folders. */
function newest(dirs) {
  let t = 0;
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else t = Math.max(t, statSync(p).mtimeMs);
    }
  };
  for (const d of dirs) if (existsSync(d)) walk(d);
  return t;
}

/** Is out/renderer built, and newer than every source it is built from? */
function rendererIsCurrent() {
  const page = join(root, 'out', 'renderer', 'browser.html');
  if (!existsSync(page)) return false;
  const configs = ['electron.vite.config.ts', 'svelte.config.js'].map((f) => join(root, f)).filter(existsSync);
  const sources = Math.max(
    newest([join(root, 'src-renderer'), join(root, 'src-core')]),
    ...configs.map((f) => statSync(f).mtimeMs),
  );
  return statSync(page).mtimeMs >= sources;
}

function buildRenderer() {
  if (rendererIsCurrent()) return;
  console.log("Building the lab's pages (first start, or the sources changed)…");
  const bin = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'electron-vite.cmd' : 'electron-vite');
  const r = spawnSync(bin, ['build'], {
    cwd: root,
    encoding: 'utf8',
    shell: process.platform === 'win32',
    maxBuffer: 64 << 20,
  });
  if (r.error || r.status !== 0) {
    const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
    fail(`building the renderer failed (npx electron-vite build):\n${out || r.error?.message}`);
  }
}

function browser(reason) {
  console.log(reason);
  buildRenderer();
  const serveArgs = [join(root, 'bin', 'momentum-lab.mjs'), 'serve', ...args];
  const child = spawn(process.execPath, serveArgs, { cwd: root, stdio: 'inherit' });
  // Ctrl+C reaches the server too (same process group); wait for it to close cleanly.
  const ignore = () => {};
  process.on('SIGINT', ignore);
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.on('error', (err) => fail(`could not start the server: ${err.message}`));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
}

const electron = ensureElectron();
const noDisplay = process.platform === 'linux' && !process.env['DISPLAY'] && !process.env['WAYLAND_DISPLAY'];
if (!electron)
  browser(
    'Electron is not available here (could not download its binary); opening Momentum Lab in your browser instead',
  );
else if (noDisplay)
  browser('Electron cannot open a window here (no display); serving Momentum Lab for a browser instead');
else desktop();
