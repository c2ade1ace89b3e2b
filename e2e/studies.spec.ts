import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { pickStudy } from './helpers/app';
import { startTraining } from './helpers/training-form';
import { tileInk } from './tile-ink';

// Studies end to end: the training-set-size study on small settings (three
// runs: 10 images, 1,000 images, all 60,000), its comparison, the
// early-stopping sentence, and a confusion-matrix cell that shows exactly its digits.

const dir = mkdtempSync(join(tmpdir(), 'mlab-e2e-studies-'));
test.use({ labOptions: { dbPath: join(dir, 'lab.db'), sweepWorkers: 3 } });

test('training-set-size study: run, compare, early stopping, confusion cell -> its digits', async ({
  page,
  harness,
}) => {
  test.setTimeout(400_000);
  await pickStudy(page, 'trainSize');
  await expect(page.getByTestId('study-values')).toHaveValue('1, 100, all');
  await expect(page.getByTestId('study-small')).toBeChecked();
  await expect(page.getByTestId('crn-note')).toContainText(/same initial weights/i);
  await expect(page.getByTestId('crn-note')).toContainText('different mini-batches');
  await page.getByTestId('run-study').click();

  const progress = page.getByTestId('study-progress');
  await expect(progress.locator('tbody tr')).toHaveCount(3);
  await expect(progress.locator('tbody tr').first()).toContainText('N 10 (1/class)');
  await page.waitForTimeout(4000);
  await harness.shot('studies-running');
  await expect(progress.getByRole('status')).toContainText('Done: 3 of 3', { timeout: 360_000 });
  await expect(progress.locator('tbody tr[data-status="finished"]')).toHaveCount(3);

  // The comparison: one test and one train curve per run, legend by training-set size.
  const cmp = page.getByTestId('study-comparison');
  await expect(cmp.locator('svg[data-figure="study-accuracy"] path[data-metric="test"]')).toHaveCount(3, {
    timeout: 30_000,
  });
  await expect(cmp.locator('svg[data-figure="study-accuracy"] [data-legend]')).toHaveText([
    /N 10 \(1\/class\)/,
    /N 1000 \(100\/class\)/,
    /N all/,
  ]);
  await expect(cmp.locator('svg[data-figure="study-accuracy"]')).toHaveAttribute(
    'data-caption',
    /Training-set size study, small settings: test \(solid\) and train \(dashed\) accuracy/,
  );

  // Early stopping on the 10-example run: the sentence, the minimum marked.
  const sentence = page.getByTestId('early-stop-sentence');
  await expect(sentence).toContainText(
    /^Early stopping with patience 5 on the validation loss (stops at iteration [\d,]+, restoring the weights of iteration [\d,]+ \(validation loss [\d.]+, test accuracy there [\d.]+\s%\), against [\d.]+\s% test accuracy at the end|does not stop before the end)/,
  );
  console.log('early stopping:', await sentence.textContent());
  await expect(page.locator('[data-testid="early-stopping"] circle[data-min-iter]')).toHaveCount(1);
  await expect(page.getByTestId('train-loss-note')).toContainText('running mean of the mini-batch values');

  // Patience 1 stops at the first evaluation that does not improve.
  await page.getByLabel('Patience (evaluations)').fill('1');
  await expect(sentence).toContainText('patience 1 on the validation loss stops at iteration');

  // Confusion matrix at the last evaluation; the largest mistake's cell shows exactly its digits.
  const panel = page.getByTestId('confusion-panel');
  await expect(panel.locator('[data-cell]')).toHaveCount(100);
  const cells = await panel.locator('[data-cell]').evaluateAll((els) =>
    els.map((el) => ({
      id: el.getAttribute('data-cell')!,
      n: Number(/: ([\d,]+) test images/.exec(el.getAttribute('aria-label') ?? '')?.[1].replace(/,/g, '') ?? 0),
    })),
  );
  const rowSum = cells.reduce((s, c) => s + c.n, 0);
  expect(rowSum).toBe(10_000);
  const off = cells.filter((c) => c.id[0] !== c.id[2]).sort((a, b) => b.n - a.n)[0];
  const [t, p] = off.id.split('-');
  await panel.locator(`[data-cell="${off.id}"]`).click();
  const gallery = page.getByTestId('cell-gallery');
  await expect(gallery.getByRole('heading')).toContainText(`True ${t}, predicted ${p}`, { timeout: 60_000 });
  await expect(gallery.getByTestId('gallery-cell-count')).toHaveText(`${off.n.toLocaleString('en-US')} misclassified`);
  const tiles = gallery.getByTestId('digit-tile');
  await expect(tiles).toHaveCount(Math.min(off.n, 120));
  for (const label of await tiles.evaluateAll((els) =>
    els.slice(0, 10).map((e) => e.getAttribute('aria-label') ?? ''),
  )) {
    expect(label).toMatch(new RegExp(`true ${t}, predicted ${p}`));
  }
  // Pixels drawn on the first tile.
  await expect(tiles.first()).toHaveAttribute('data-loaded', 'true');
  await expect.poll(async () => (await tileInk(tiles.first()))[0]).toBeGreaterThan(30);
  await gallery.scrollIntoViewIfNeeded();
  await harness.shot('studies-comparison');

  // An earlier evaluation: another matrix, still rows summing to the test set.
  await panel.getByLabel('Evaluation to show').selectOption({ index: 0 });
  await expect(panel.locator('[data-cell]').first()).toBeVisible();
});

test('momentum study with the LR scaled: d = 1.05 diverges; the page links to the simulator', async ({
  page,
  harness,
}) => {
  await pickStudy(page, 'momentum');
  await expect(page.getByTestId('study-values')).toHaveValue('0, 0.5, 0.9, 0.99, 1.05');
  test.setTimeout(400_000);
  await page.getByRole('radio', { name: /scaled by/ }).check();
  await page.getByTestId('run-study').click();
  const progress = page.getByTestId('study-progress');
  await expect(progress.getByRole('status')).toContainText('Done: 5 of 5', { timeout: 360_000 });
  // d > 1 diverges even with the learning rate scaled down by |1 - d|.
  await expect(progress.locator('tbody tr').nth(4)).toContainText('d 1.05, LR 0.005');
  await expect(progress.locator('tbody tr').nth(4)).toHaveAttribute('data-status', 'diverged');
  await expect(progress.locator('tbody tr[data-status="finished"]')).toHaveCount(4);
  await expect(page.locator('svg[data-figure="study-loss"] path[data-metric="test"]')).toHaveCount(5, {
    timeout: 30_000,
  });
  await harness.shot('studies-momentum');
  await page.getByTestId('open-momentum').click();
  await expect(page.locator('nav button[data-view="momentum"]')).toHaveAttribute('aria-current', /page|true/);
});

test('the Training view shows the analysis after a run', async ({ page, harness }) => {
  await startTraining(page, { epochs: '3', evalEvery: '5', perClass: '10' });
  const analysis = page.getByTestId('run-analysis');
  await expect(analysis).toBeVisible({ timeout: 120_000 });
  await expect(analysis.getByTestId('early-stop-sentence')).toContainText(
    /^Early stopping with patience 5 on the validation loss/,
  );
  await expect(analysis.getByTestId('train-loss-note')).toContainText('not a full pass over the training set');
  await analysis.locator('[data-cell="3-3"]').click();
  await expect(analysis.getByTestId('gallery-cell-count')).toHaveText(/correct$/, { timeout: 60_000 });
  await analysis.scrollIntoViewIfNeeded();
  await harness.shot('studies-training-analysis');
});

test('a learning-rate study over two seeds draws the mean with a band', async ({ page, harness }) => {
  test.setTimeout(300_000);
  await pickStudy(page, 'lr');
  await page.getByTestId('study-values').fill('0.01, 0.5');
  await page.getByLabel('Seeds per value').fill('2');
  await expect(page.getByTestId('run-study')).toHaveText('Run study (4 runs)');
  await page.getByTestId('run-study').click();
  await expect(page.getByTestId('study-progress').getByRole('status')).toContainText('Done: 4 of 4', {
    timeout: 240_000,
  });
  const acc = page.locator('svg[data-figure="study-accuracy"]');
  await expect(acc.locator('path[data-mean]')).toHaveCount(2, { timeout: 30_000 });
  await expect(acc.locator('path[data-band]')).toHaveCount(2);
  await expect(acc.locator('[data-legend]')).toHaveText(['LR 0.01 (2 seeds)', 'LR 0.5 (2 seeds)']);
  await expect(acc).toHaveAttribute('data-caption', /mean with min–max over seeds/);
  // A band has area where the seeds differ.
  expect(((await acc.locator('path[data-band]').first().getAttribute('d')) ?? '').length).toBeGreaterThan(20);
  await page.getByLabel('Band over seeds').selectOption('sd');
  await expect(acc).toHaveAttribute('data-caption', /±1 sd over seeds/);
  await acc.scrollIntoViewIfNeeded();
  await harness.shot('studies-seeds');
  // The study report: the figures on screen (comparison and analysis) with their captions.
  const out = join(dir, 'study-report.html');
  harness.nextSavePath = out;
  await page.getByRole('button', { name: 'Study report (HTML)' }).click();
  await expect(page.getByTestId('study-comparison').getByRole('status')).toContainText('Saved the report', {
    timeout: 60_000,
  });
  const html = readFileSync(out, 'utf8');
  expect(html).toContain('test accuracy, mean with ±1 sd over seeds');
  expect(html).toContain('Validation loss and early stopping; LR 0.01, seed 1');
  expect(html).not.toMatch(/<script/i);
  // Titled by the study, not by the session it lives in (issue 14, item 14).
  expect(html).toMatch(/<h1>Learning rate study[^<]*<\/h1>/);
  expect(html).not.toMatch(/<h1>Session/);
});

test('the analysis reads in the dark theme too', async ({ page, harness }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await startTraining(page, { epochs: '2', evalEvery: '4', perClass: '10' });
  const analysis = page.getByTestId('run-analysis');
  await expect(analysis).toBeVisible({ timeout: 120_000 });
  await analysis.locator('[data-cell="1-1"]').click();
  await expect(analysis.getByTestId('digit-tile').first()).toBeVisible({ timeout: 60_000 });
  // Counts on the heat map keep their contrast: text colour differs from the page background.
  const [fill, bg] = await analysis
    .locator('[data-cell="1-1"] text')
    .evaluate((t) => [getComputedStyle(t).fill, getComputedStyle(document.body).backgroundColor]);
  expect(fill).not.toBe(bg);
  await analysis.scrollIntoViewIfNeeded();
  await harness.shot('studies-analysis-dark');
});
