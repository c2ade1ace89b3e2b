import { test, expect } from '@playwright/test';
import { trainToEnd } from './helpers/training-form';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// The README's first command on a machine where the Electron binary cannot
// be downloaded: in a fresh clone of this repository (its committed HEAD),
// `npm start` says in one line that it opens the lab in the browser instead,
// builds the renderer, and serves the lab; Chromium opens the printed URL,
// trains a small run and finds it in Sessions. `npm install` is stood in for
// by a link to this checkout's node_modules (this machine reaches the npm
// registry, not the Electron downloads, so an install here gives the same tree).

const electronPresent = (() => {
  const pathFile = resolve('node_modules/electron/path.txt');
  return (
    existsSync(pathFile) && existsSync(resolve('node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim()))
  );
})();

test.skip(electronPresent, 'the Electron binary is installed here: npm start opens the desktop app');
test.skip(
  spawnSync('git', ['rev-parse', '--git-dir'], { encoding: 'utf8' }).status !== 0,
  'not a git checkout: nothing to clone',
);

let child: ChildProcess | null = null;
let dir = '';

test.afterEach(async () => {
  if (child?.pid && child.exitCode === null) {
    const exited = new Promise((r) => child!.once('exit', r));
    process.kill(-child.pid, 'SIGINT'); // the process group this test started: npm, start.mjs, the server, its workers
    await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('in a fresh clone without Electron, `npm start` serves the lab; a run trained in Chromium shows in Sessions', async ({
  page,
}) => {
  test.setTimeout(300_000);
  dir = mkdtempSync(join(tmpdir(), 'mlab-npm-start-'));
  const clone = join(dir, 'clone');
  const cloned = spawnSync('git', ['clone', '-q', '--no-hardlinks', resolve('.'), clone], { encoding: 'utf8' });
  expect(cloned.status, cloned.stderr).toBe(0);
  expect(existsSync(join(clone, 'out'))).toBe(false); // nothing built yet
  symlinkSync(realpathSync('node_modules'), join(clone, 'node_modules'));

  child = spawn('npm', ['start'], {
    cwd: clone,
    detached: true,
    env: { ...process.env, MOMENTUM_LAB_NO_OPEN: '1', MOMENTUM_LAB_DATA: join(dir, 'data') },
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const URL_RE = /http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64}/;
  await expect
    .poll(() => URL_RE.test(out) || child!.exitCode !== null, { timeout: 240_000, intervals: [500] })
    .toBe(true);
  const url = URL_RE.exec(out)?.[0];
  expect(url, out).toBeTruthy();

  // One line says why, and nothing looks like a stack trace.
  expect(out).toContain(
    'Electron is not available here (could not download its binary); opening Momentum Lab in your browser instead',
  );
  expect(out).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  expect(out).not.toMatch(/Error: Electron/);
  expect(existsSync(join(clone, 'out', 'renderer', 'browser.html'))).toBe(true);

  await page.goto(url!);
  await expect(page).toHaveURL(/\/$/); // the token left the address bar
  await expect(page.getByTestId('dataset-name')).toContainText('MNIST', { timeout: 60_000 });
  await expect(page.getByTestId('dataset-folder')).toContainText(join(dir, 'data', 'datasets'));
  await trainToEnd(page, { epochs: '1', evalEvery: '5', perClass: '10' });
  await page.screenshot({ path: resolve('e2e/screenshots/npm-start-browser-training.png'), fullPage: true });

  await page.locator('nav button[data-view="sessions"]').click();
  await expect(page.locator('tr[data-run-row]')).toHaveCount(1);
  await expect(page.locator('tr[data-run-row]')).toContainText('finished');
  await page.screenshot({ path: resolve('e2e/screenshots/npm-start-browser-sessions.png'), fullPage: true });
  // The server recorded it in the lab's data folder.
  expect(existsSync(join(dir, 'data', 'momentum-lab.db'))).toBe(true);
  expect(out).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
});
