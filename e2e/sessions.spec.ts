import type { Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LAB_CHANNELS } from '../src-core/contracts/lab-api';
import { createLab } from '../src-main/services/services';
import { nodeLauncher } from '../src-main/workers/node-launcher';
import { expect, test } from './fixtures';
import { startTraining } from './helpers/training-form';
import { view } from './helpers/app';
import { createSession, queueSweep } from './helpers/sessions';

// Sessions end to end: runs started in the Training view are saved into the
// session as they happen, compared, exported (SVG, PNG, CSV, HTML report),
// and are still there after a page reload and after the lab restarts.

const dir = mkdtempSync(join(tmpdir(), 'mlab-e2e-sessions-'));
const dbPath = join(dir, 'lab.db');
test.use({ labOptions: { dbPath } });

const train = (page: Page, lr: string) => startTraining(page, { lr, epochs: '3', evalEvery: '5', perClass: '10' });

/** The SVG's structure as Chromium's XML parser sees it. */
async function inspectSvg(page: Page, text: string) {
  return page.evaluate((src) => {
    const doc = new DOMParser().parseFromString(src, 'image/svg+xml');
    const root = doc.documentElement;
    return {
      error: doc.getElementsByTagName('parsererror').length > 0,
      root: root.localName,
      ns: root.namespaceURI,
      width: Number(root.getAttribute('width')),
      height: Number(root.getAttribute('height')),
      runPaths: [...doc.querySelectorAll('path[data-run]')].map((p) => p.getAttribute('data-run')),
      legend: [...doc.querySelectorAll('[data-legend]')].map((g) => g.textContent?.trim() ?? ''),
      caption: [...doc.querySelectorAll('[data-caption-line]')].map((t) => t.textContent).join(' '),
      scripts: doc.getElementsByTagName('script').length,
      handlers: [...doc.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => /^on/i.test(a.name)))
        .length,
      vars: /var\(--/.test(src),
      fonts: [
        ...new Set(
          [...doc.querySelectorAll('text')].map(
            (t) => t.getAttribute('font-family') ?? root.getAttribute('font-family'),
          ),
        ),
      ],
    };
  }, text);
}

function pngSize(path: string) {
  const b = readFileSync(path);
  expect(b.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

test('two runs are saved as they happen, compared, exported as SVG/PNG/CSV/HTML, and still there after a reload and a restart', async ({
  page,
  harness,
}) => {
  // A session for the study; new runs go there.
  await createSession(page, 'LR study');

  // Two runs from the Training view: LR 0.01 and 0.1 on 10 images per class, evaluated every 5 iterations.
  await view(page, 'training');
  const finished = () =>
    harness.lab.store.listRuns(harness.lab.store.currentSessionId()).filter((r) => r.status === 'finished').length;
  await train(page, '0.01');
  await expect.poll(finished, { timeout: 120_000 }).toBe(1);
  await train(page, '0.1');
  await expect.poll(finished, { timeout: 120_000 }).toBe(2);

  // The Sessions panel lists both with their numbers.
  await view(page, 'sessions');
  const rows = page.locator('tr[data-run-row]');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText('finished');
  await expect(rows.nth(0)).toContainText('LR 0.01');
  await expect(rows.nth(1)).toContainText('LR 0.1 ·');
  await expect(rows.nth(0)).toContainText('12 / 12');
  // A run is named by its settings (LR, BS, HL, training set, epochs, seed); the user can rename it.
  await expect(rows.nth(0).locator('input.name')).toHaveValue(
    /^LR 0\.01 · BS \d+ · HL \d+ · 10\/class · \d+ epochs? · seed \d+$/,
  );
  await rows.nth(0).locator('input.name').fill('slow');
  await rows.nth(0).locator('input.name').press('Enter');
  await expect(page.locator('tr[data-run-row="slow"]')).toBeVisible();
  await page
    .locator('tr[data-run-row="slow"]')
    .getByRole('button', { name: /^Notes/ })
    .click();
  await page.getByLabel('Notes on slow').fill('LR 0.01 barely moves in 12 iterations.');
  await page.getByLabel('Notes on slow').blur();
  await expect
    .poll(() => harness.lab.store.listRuns(harness.lab.store.currentSessionId())[0].notes)
    .toBe('LR 0.01 barely moves in 12 iterations.');
  await page.getByLabel('Compare slow').check();
  await page
    .locator('tr[data-run-row]')
    .nth(1)
    .getByRole('checkbox', { name: /^Compare / })
    .check();
  await harness.shot('sessions-panel');
  await page.getByRole('button', { name: 'Compare selected (2)' }).click();

  // Compare: one test, one validation and one train curve per run, legend from what differs, best points marked.
  const acc = page.locator('svg[data-figure="compare-accuracy"]');
  await expect(acc.locator('path[data-run]')).toHaveCount(6);
  await expect(acc.locator('path[data-metric="val"]')).toHaveCount(2);
  await expect(acc.locator('[data-legend]')).toHaveCount(2);
  await expect(acc.locator('[data-legend="LR 0.01"]')).toContainText('best');
  await expect(acc.locator('[data-legend="LR 0.1"]')).toBeVisible();
  await expect(acc.locator('circle[data-best]')).toHaveCount(2);
  await expect(acc).toHaveAttribute(
    'data-caption',
    'Test and train accuracy; LR: 0.01 / 0.1; BS:32; EPOCHS: 3; HL: 64; N: 100 (10/class).',
  );
  await harness.shot('compare');

  // Test (and validation) curves only, x axis in epochs, then export the accuracy chart with an edited caption.
  await page.getByRole('checkbox', { name: 'train' }).uncheck();
  await page.getByLabel('x axis').selectOption('epoch');
  await expect(acc.locator('path[data-run]')).toHaveCount(4);
  const caption = 'Simulation 3; BS:32; LR: 0.01 vs 0.1; EPOCHS: 3; HL: 64; N: 100.';
  await page.getByLabel('Caption of the accuracy chart').fill(caption);
  harness.nextSavePath = join(dir, 'accuracy.svg');
  await page.getByRole('button', { name: 'Export the accuracy chart as SVG' }).click();
  await expect(page.getByTestId('compare-accuracy').getByRole('status')).toContainText('accuracy.svg');
  const svgText = readFileSync(join(dir, 'accuracy.svg'), 'utf8');
  const svg = await inspectSvg(page, svgText);
  expect(svg).toMatchObject({
    error: false,
    root: 'svg',
    ns: 'http://www.w3.org/2000/svg',
    scripts: 0,
    handlers: 0,
    vars: false,
    caption,
  });
  expect(svg.runPaths.length).toBe(4); // test and validation of each run
  expect(new Set(svg.runPaths).size).toBe(2);
  expect(svg.legend.map((l) => l.replace(/ \(best.*$/, ''))).toEqual(['LR 0.01', 'LR 0.1']);
  expect(svg.fonts.every((f) => f?.includes('DejaVu Sans') && f.includes('sans-serif'))).toBe(true);

  // PNG at 3x: three times the SVG's size in pixels.
  harness.nextSavePath = join(dir, 'accuracy.png');
  await page.getByLabel('PNG scale of the accuracy chart').selectOption('3');
  await page.getByRole('button', { name: 'Export the accuracy chart as PNG' }).click();
  await expect(page.getByTestId('compare-accuracy').getByRole('status')).toContainText('accuracy.png');
  expect(pngSize(join(dir, 'accuracy.png'))).toEqual({ width: svg.width * 3, height: svg.height * 3 });
  harness.nextSavePath = join(dir, 'loss-1x.png');
  await page.getByLabel('PNG scale of the loss chart').selectOption('1');
  await page.getByRole('button', { name: 'Export the loss chart as PNG' }).click();
  await expect(page.getByTestId('compare-loss').getByRole('status')).toContainText('loss-1x.png');
  const loss1 = pngSize(join(dir, 'loss-1x.png'));
  expect(loss1.width).toBe(720); // the exported figure's fixed width (src-main/figures/compare-figure.ts), at 1x

  // The CLI draws the same selection into the same bytes: SVG and the 3x PNG (one figure builder, one rasteriser).
  const ids = harness.lab.store
    .listRuns(harness.lab.store.currentSessionId())
    .sort((a, b) => a.config.lr - b.config.lr)
    .map((r) => r.id);
  for (const [file, extra] of [
    ['accuracy.svg', []],
    ['accuracy.png', ['--scale', '3']],
  ] as const) {
    const cliFile = join(dir, `cli-${file}`);
    const r = spawnSync(
      process.execPath,
      [
        'bin/momentum-lab.mjs',
        'figure',
        'LR study',
        '--runs',
        ids[0],
        '--runs',
        ids[1],
        '--metric',
        'test-acc',
        '--x',
        'epoch',
        '--caption',
        caption,
        '--out',
        cliFile,
        ...extra,
        '--db',
        dbPath,
      ],
      { encoding: 'utf8' },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(cliFile).equals(readFileSync(join(dir, file))), file).toBe(true);
  }

  // CSV: the header and one row per evaluation of both runs (12 iterations, every 5 and the last: 3 each).
  harness.nextSavePath = join(dir, 'metrics.csv');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  await expect(page.getByRole('status').first()).toContainText('metrics.csv');
  const csv = readFileSync(join(dir, 'metrics.csv'), 'utf8').trimEnd().split('\r\n');
  expect(csv[0]).toMatch(
    /^run_id,run_name,label,status,lr,.*,iter,epoch,examples,train_loss,train_acc,test_loss,test_acc,val_loss,val_acc,elapsed_ms,sharpness_every,sharpness_batch,sharpness,sharpness_min,hvps,fc1_flip,fc1_velocity,fc2_flip,fc2_velocity$/,
  );
  expect(csv.length).toBe(1 + 3 + 3);

  // The HTML report opens in Chromium with every figure: the three on screen (loss, accuracy, and the sign-flip
  // chart every run has since the flip statistics are always recorded), two per run.
  harness.nextSavePath = join(dir, 'report.html');
  await page.getByRole('button', { name: 'Report of these runs (HTML)' }).click();
  await expect(page.getByRole('status').first()).toContainText('report.html');
  const report = await page.context().newPage();
  await report.goto(`file://${join(dir, 'report.html')}`);
  await expect(report.locator('figure')).toHaveCount(3 + 2 * 2);
  await expect(report.locator('body > p').first()).toContainText('2 training runs (the runs compared)');
  await expect(report.locator('figure svg')).toHaveCount(7);
  await expect(report.locator('figcaption').nth(0)).toContainText('Test loss; LR: 0.01 / 0.1');
  await expect(report.locator('figcaption').nth(1)).toContainText(caption);
  await expect(report.getByText('LR 0.01 barely moves in 12 iterations.')).toBeVisible();
  await report.screenshot({ path: 'e2e/screenshots/sessions-report.png', fullPage: true });
  // It prints: Chromium makes a PDF of it, one run per page after the comparison.
  const pdf = await report.pdf({ format: 'A4', printBackground: true });
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  expect((pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length).toBeGreaterThanOrEqual(3);
  await report.close();

  // Reload the page: the session and both runs are still there.
  await harness.reload();
  await view(page, 'sessions');
  await expect(page.getByTestId('session-title')).toHaveText('LR study');
  await expect(page.locator('tr[data-run-row]')).toHaveCount(2);

  // Restart the lab on the same database: the last session is reopened with both runs.
  harness.lab.shutdown();
  harness.lab = createLab({ launcher: nodeLauncher, emit: () => {}, pickDatasetFiles: async () => null }, { dbPath });
  await harness.reload();
  await view(page, 'sessions');
  await expect(page.getByTestId('session-title')).toHaveText('LR study');
  await expect(page.locator('tr[data-run-row]')).toHaveCount(2);
  await expect(page.locator('tr[data-run-row="slow"]')).toContainText('finished');
  await harness.shot('sessions-after-restart');
  expect(LAB_CHANNELS).toContain('exportFigure');
});

test('a sweep queues one run per combination on a pool of workers, and a looked-at simulation is saved too', async ({
  page,
  harness,
}) => {
  await createSession(page, 'Sweep');
  await queueSweep(
    page,
    { lr: '0.01, 0.1, 1', bs: '16, 32', perClass: '10', epochs: '1', evalEvery: '5', workers: '2' },
    6,
  );
  const queue = page.locator('[data-sweep]');
  await expect(queue.locator('tr')).toHaveCount(6);
  await queue.getByRole('button', { name: 'Cancel LR 1, BS 32' }).click();
  await harness.shot('sessions-sweep-running');
  await expect(queue.getByText('Sweep: 6 of 6 done')).toBeVisible({ timeout: 120_000 });
  await expect(queue.locator('tr', { hasText: 'LR 1, BS 32' })).toContainText('cancelled');
  await expect(page.locator('tr[data-run-row]')).toHaveCount(5);
  await expect(page.locator('tr[data-run-row="LR 0.1, BS 16"]')).toContainText('finished');
  const runs = harness.lab.store.listRuns(harness.lab.store.currentSessionId());
  expect(runs.every((r) => r.status === 'finished' && r.sweepId !== null)).toBe(true);

  // The Momentum view simulates as soon as it opens; once its settings settle the simulation is in the session.
  await view(page, 'momentum');
  await expect.poll(() => harness.lab.store.sessionDetail().sims.length, { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
  await view(page, 'sessions');
  await expect(page.locator('tr[data-sim-row]').first()).toContainText('heavy-ball');
  await harness.shot('sessions-sweep-done');
});
