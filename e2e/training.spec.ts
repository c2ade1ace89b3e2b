import type { Page } from '@playwright/test';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { tileInk } from './tile-ink';

// The Training view end to end: the form starts real runs in real trainer
// workers (through the services table), and the page shows them.

async function setSettings(
  page: Page,
  s: { hl?: string; bs?: string; lr?: string; epochs?: string; evalEvery?: string; perClass?: string | null },
) {
  if (s.hl !== undefined) await page.getByLabel('Hidden units (HL)').fill(s.hl);
  if (s.bs !== undefined) await page.getByLabel('Batch size (BS)').fill(s.bs);
  if (s.lr !== undefined) await page.getByLabel('Learning rate (LR)').fill(s.lr);
  if (s.epochs !== undefined) await page.getByLabel('Epochs').fill(s.epochs);
  if (s.evalEvery !== undefined) await page.getByLabel('Evaluate every').fill(s.evalEvery);
  if (s.perClass === null) await page.getByRole('radio', { name: /^All/ }).check();
  else if (s.perClass !== undefined) {
    await page.getByRole('radio', { name: 'Per class' }).check();
    await page.getByLabel('Examples per class').fill(s.perClass);
  }
}

/** Number of points in the path of one series of a chart (0 when nothing is drawn). */
async function pathPoints(page: Page, figure: string, series: string): Promise<number> {
  const d = (await page.locator(`svg[data-figure="${figure}"] path[data-series="${series}"]`).getAttribute('d')) ?? '';
  return (d.match(/[ML]/g) ?? []).length;
}

/** How many pixels of a canvas carry ink. */
async function inkedPixels(page: Page, selector: string): Promise<number[]> {
  return page.locator(selector).evaluateAll((els) =>
    els.map((el) => {
      const c = el as HTMLCanvasElement;
      const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
      return n;
    }),
  );
}

const status = (page: Page) => page.getByTestId('run-status');

test('the Training view shows the dataset, the default settings and empty charts', async ({ page, harness }) => {
  await expect(page.getByTestId('dataset-name')).toContainText('MNIST');
  await expect(page.getByLabel('Learning rate (LR)')).toHaveValue('0.1');
  await expect(page.getByLabel('Batch size (BS)')).toHaveValue('32');
  await expect(page.getByLabel('Hidden units (HL)')).toHaveValue('64');
  await expect(page.getByLabel('Epochs')).toHaveValue('4');
  await expect(page.locator('svg[data-figure="training-loss"]')).toHaveAttribute(
    'data-caption',
    'BS:32; LR:0.1; EPOCHS: 4; HL: 64; VAL: 5000.',
  );
  await expect(page.locator('svg[data-figure="training-accuracy"]')).toBeVisible();
  await expect(page.getByTestId('train-button')).toBeEnabled();
  await harness.shot('training-idle');
});

test('a run on a small class-balanced subset grows the loss chart, finishes and fills both galleries', async ({
  page,
  harness,
}) => {
  await setSettings(page, { bs: '10', epochs: '12', evalEvery: '10', perClass: '30' });
  await expect(page.getByText('30 × 10 = 300 examples')).toBeVisible();
  await page.getByTestId('train-button').click();

  // The loss curve grows while the run is going.
  const seen = new Set<number>();
  await expect
    .poll(
      async () => {
        seen.add(await pathPoints(page, 'training-loss', 'train'));
        return [...seen].filter((n) => n > 1).length;
      },
      { timeout: 60_000, intervals: [100] },
    )
    .toBeGreaterThanOrEqual(2);
  const iterNow = async () =>
    Number(
      /iteration ([\d,]+)/.exec((await page.getByTestId('run-iter').textContent()) ?? '')?.[1].replace(/,/g, '') ?? 0,
    );
  await expect.poll(iterNow, { timeout: 60_000, intervals: [100] }).toBeGreaterThan(80);
  await harness.shot('training-running');

  await expect(status(page)).toHaveText(/finished/, { timeout: 120_000 });
  await expect(page.getByTestId('run-iter')).toHaveText('iteration 360 / 360');
  expect(await pathPoints(page, 'training-loss', 'test')).toBeGreaterThan(10);
  expect(await pathPoints(page, 'training-accuracy', 'test')).toBeGreaterThan(10);
  await expect(page.locator('svg[data-figure="training-loss"]')).toHaveAttribute(
    'data-caption',
    'BS:10; LR:0.1; EPOCHS: 12; HL: 64; N: 300 (30/class); VAL: 5000.',
  );

  // Hovering the chart shows the values at that iteration.
  const box = (await page.locator('svg[data-figure="training-loss"] rect.hit').boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2);
  await expect(page.getByTestId('chart-tooltip')).toContainText('test (full test set)');

  // The same data as a table, for screen readers and for reading exact values.
  const lossFig = page.getByTestId('training-loss');
  await lossFig.getByTestId('show-as-table').click();
  await expect(lossFig.locator('table')).toBeVisible();
  await expect(lossFig.locator('table')).toContainText('test (full test set)');
  await lossFig.getByTestId('show-as-table').click();
  await expect(lossFig.locator('svg[data-figure="training-loss"]')).toBeVisible();
  await expect(lossFig.getByTestId('figure-export')).toBeVisible();

  // Both galleries draw digits with ink.
  const wrong = page.getByTestId('gallery-wrong');
  const right = page.getByTestId('gallery-right');
  await expect(wrong.getByTestId('digit-tile').first()).toBeVisible();
  await expect(right.getByTestId('digit-tile').first()).toBeVisible();
  await expect(page.getByTestId('gallery-wrong-count')).toHaveText(/\d+ misclassified/);
  await expect(wrong.locator('[data-testid="digit-tile"][data-loaded="true"]').first()).toBeVisible();
  await expect(right.locator('[data-testid="digit-tile"][data-loaded="true"]').first()).toBeVisible();
  // One canvas per gallery holds every tile's digit: the ink under each loaded tile.
  const loadedWrong = wrong.locator('[data-testid="digit-tile"][data-loaded="true"]');
  await expect.poll(async () => (await tileInk(loadedWrong)).slice(0, 20).every((n) => n > 30)).toBe(true);
  const inkWrong = await tileInk(wrong.locator('[data-testid="digit-tile"][data-loaded="true"]'));
  const inkRight = await tileInk(right.locator('[data-testid="digit-tile"][data-loaded="true"]'));
  expect(inkWrong.slice(0, 20).every((n) => n > 30)).toBe(true);
  expect(inkRight.slice(0, 20).every((n) => n > 30)).toBe(true);
  await harness.shot('training-finished');

  // The misclassified gallery exports as a PNG: a grid of the digits shown, with a caption.
  const galleryPng = join(mkdtempSync(join(tmpdir(), 'ml-gallery-')), 'misclassified.png');
  harness.nextSavePath = galleryPng;
  await page.getByTestId('gallery-wrong-png').click();
  await expect(wrong.getByRole('status')).toContainText('misclassified.png');
  const png = readFileSync(galleryPng);
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  expect(png.readUInt32BE(16)).toBeGreaterThan(600); // 2x of a 10-digit-wide grid
  expect(png.readUInt32BE(20)).toBeGreaterThan(100);

  await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'dark'));
  await harness.shot('training-finished-dark');
  await page.evaluate(() => document.documentElement.removeAttribute('data-theme'));

  // Misclassified tiles name a true label different from the predicted one.
  const firstWrong = await wrong.getByTestId('digit-tile').first().getAttribute('aria-label');
  const m = /true (\d), predicted (\d)/.exec(firstWrong ?? '');
  expect(m).not.toBeNull();
  expect(m![1]).not.toBe(m![2]);

  // Filter by true digit: every shown tile has that true label.
  await page.getByTestId('filter-truth').selectOption('3');
  await expect(page.getByTestId('gallery-right-count')).toHaveText(/ of .* correct/);
  const labels = await right
    .getByTestId('digit-tile')
    .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
  expect(labels.length).toBeGreaterThan(0);
  expect(labels.every((l) => l.includes('true 3,'))).toBe(true);
  await page.getByTestId('filter-pred').selectOption('5');
  const both = await wrong
    .getByTestId('digit-tile')
    .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
  expect(both.every((l) => l.includes('true 3, predicted 5'))).toBe(true);
  await page.getByRole('button', { name: 'Clear filters' }).click();

  // The enlarged view: the digit and its probabilities over 0-9.
  await wrong.getByTestId('digit-tile').first().click();
  const dialog = page.getByTestId('digit-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByText('Misclassified')).toBeVisible();
  await expect(dialog.locator('svg[data-figure="digit-probabilities"] rect')).toHaveCount(10);
  const inkBig = await inkedPixels(page, '[data-testid="digit-dialog"] canvas');
  expect(inkBig[0]).toBeGreaterThan(30);
  const heights = await dialog
    .locator('svg[data-figure="digit-probabilities"] rect')
    .evaluateAll((els) => els.map((e) => Number(e.getAttribute('height'))));
  expect(heights.some((h) => h > 10)).toBe(true);
  await harness.shot('training-digit-dialog');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});

test('an invalid learning rate is refused in the form with the reason', async ({ page, harness }) => {
  const lr = page.getByLabel('Learning rate (LR)');
  const train = page.getByTestId('train-button');
  for (const [value, reason] of [
    ['abc', 'LR not a number in decimal notation'],
    ['-1', 'LR must be > 0'],
    ['0', 'LR must be > 0'],
    ['NaN', 'LR not a number in decimal notation'],
    ['0x1', 'LR not a number in decimal notation'],
    ['1e400', 'LR not a number in decimal notation'],
    ['', 'LR required'],
  ] as const) {
    await lr.fill(value);
    await expect(page.locator('#e-lr')).toHaveText(reason);
    await expect(lr).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByTestId('form-refusal')).toContainText(reason);
    await expect(train).toBeDisabled();
    if (value === 'abc') await harness.shot('training-invalid-lr');
  }
  await lr.fill('0.05');
  await expect(page.locator('#e-lr')).toHaveCount(0);
  await expect(page.getByTestId('form-refusal')).toHaveCount(0);
  await expect(train).toBeEnabled();
});

test('a long run can be cancelled, and the next run works', async ({ page, harness }) => {
  await setSettings(page, { epochs: '200', evalEvery: '500' });
  await page.getByTestId('train-button').click();
  await expect(status(page)).toHaveText('running', { timeout: 60_000 });
  await expect.poll(() => pathPoints(page, 'training-loss', 'train'), { timeout: 60_000 }).toBeGreaterThan(2);
  await expect(page.getByTestId('train-button')).toBeDisabled();

  // Another view and back: the run is still followed, its curve kept.
  await page.locator('nav button[data-view="momentum"]').click();
  await expect(page.getByTestId('run-status')).toHaveCount(0);
  await page.locator('nav button[data-view="training"]').click();
  await expect(status(page)).toHaveText('running');
  await expect(page.getByLabel('Epochs')).toHaveValue('200');
  expect(await pathPoints(page, 'training-loss', 'train')).toBeGreaterThan(2);

  await page.getByTestId('cancel-button').click();
  await expect(status(page)).toHaveText(/^cancelled at iteration \d+/, { timeout: 10_000 });
  await expect(page.getByTestId('train-button')).toBeEnabled();
  await harness.shot('training-cancelled');

  await setSettings(page, { epochs: '2', evalEvery: '10', perClass: '5', bs: '10' });
  await page.getByTestId('train-button').click();
  await expect(status(page)).toHaveText(/finished/, { timeout: 60_000 });
  await expect(page.getByTestId('run-iter')).toHaveText('iteration 10 / 10');
});

test('a diverging run is reported as diverged at iteration N, with its curve kept, and the next run works', async ({
  page,
  harness,
}) => {
  await setSettings(page, { lr: '1000', bs: '10', epochs: '5', evalEvery: '5', perClass: '10' });
  await page.getByTestId('train-button').click();
  await expect(status(page)).toHaveText(/^diverged at iteration \d+/, { timeout: 60_000 });
  const text = (await status(page).textContent()) ?? '';
  const n = Number(/iteration (\d+)/.exec(text)![1]);
  expect(n).toBeGreaterThanOrEqual(1);
  await expect(page.locator('svg[data-figure="training-loss"] .marker-label')).toHaveText(`diverged at ${n}`);
  await harness.shot('training-diverged');

  await setSettings(page, { lr: '0.1', epochs: '1' });
  await page.getByTestId('train-button').click();
  await expect(status(page)).toHaveText(/finished/, { timeout: 60_000 });
  await expect(page.locator('svg[data-figure="training-loss"] .marker-label')).toHaveCount(0);
});

test('Open dataset… reports a bad pick and keeps MNIST; a cancelled pick changes nothing', async ({
  page,
  harness,
}) => {
  await expect(page.getByTestId('dataset-name')).toContainText('MNIST');
  await page.getByRole('button', { name: 'Open dataset…' }).click();
  await expect(page.getByText('No dataset chosen; kept the current one.')).toBeVisible();
  harness.nextDataset = {
    trainImages: '/nonexistent/a',
    trainLabels: '/nonexistent/b',
    testImages: '/nonexistent/c',
    testLabels: '/nonexistent/d',
  };
  await page.getByRole('button', { name: 'Open dataset…' }).click();
  await expect(page.getByTestId('dataset-error')).toBeVisible();
  await expect(page.getByTestId('dataset-name')).toContainText('MNIST');
  await harness.shot('training-dataset-error');
});
