import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { fillTrainForm, trainToEnd } from './helpers/training-form';

// "Train loss: full pass" in the Training form: the run's analysis says its train numbers are a full pass.

test('a run with the full-pass train loss says so in its analysis', async ({ page, harness }) => {
  void harness;
  await trainToEnd(page, {
    hidden: '16',
    batch: '10',
    epochs: '3',
    evalEvery: '10',
    perClass: '30',
    trainLoss: 'full',
  });
  const note = page.getByTestId('train-loss-note');
  await expect(note).toContainText('full pass over the training set');
  await expect(note).toContainText('the 300 images of the subset');
  await expect(page.locator('svg[data-figure="generalisation-gap"]')).toContainText('train loss (full pass)');
});

test('the live loss and accuracy charts name the train-loss mode in their legend, and exported SVG keeps it', async ({
  page,
  harness,
}) => {
  await fillTrainForm(page, { hidden: '16', batch: '10', epochs: '2', evalEvery: '10', perClass: '30' });
  const loss = page.locator('svg[data-figure="training-loss"]');
  const acc = page.locator('svg[data-figure="training-accuracy"]');

  // Default: the running mean of the mini-batches.
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('run-status')).toHaveText(/finished/, { timeout: 120_000 });
  for (const chart of [loss, acc]) {
    await expect(chart).toContainText('train at evaluations (mean of the mini-batches since the last)');
    await expect(chart).not.toContainText('full pass over the training set');
    await expect(chart.locator('path[data-series="train-eval"]')).toHaveCount(1);
  }

  // Full pass.
  await page.getByLabel('Train loss', { exact: true }).selectOption('full');
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('run-status')).toHaveText(/finished/, { timeout: 120_000 });
  for (const chart of [loss, acc]) {
    await expect(chart).toContainText('train at evaluations (full pass over the training set)');
    await expect(chart).not.toContainText('mean of the mini-batches');
  }
  // The numbers behind the dashed series are the full-pass train numbers of each evaluation.
  const lossFig = page.getByTestId('training-loss');
  await lossFig.getByTestId('show-as-table').click();
  await expect(lossFig.locator('table')).toContainText('train at evaluations (full pass over the training set)');
  await lossFig.getByTestId('show-as-table').click();

  // The SVG export carries the legend.
  const file = join(mkdtempSync(join(tmpdir(), 'mlab-e2e-mode-')), 'loss.svg');
  harness.nextSavePath = file;
  await page.getByRole('button', { name: 'Export the loss chart as SVG' }).click();
  await expect(lossFig.getByRole('status')).toContainText('loss.svg');
  expect(readFileSync(file, 'utf8')).toContain('train at evaluations (full pass over the training set)');
  await lossFig.scrollIntoViewIfNeeded();
  await harness.shot('training-train-loss-full-legend');
});
