import { expect, test } from './fixtures';
import { fillTrainForm } from './helpers/training-form';

// Sharpness in the Training view (issue 15): the opt-in checkbox, the live chart beside loss and accuracy with the
// stability threshold drawn and labelled, and the run's sentence.

test('a run with Sharpness checked shows the sharpness chart, the threshold 2/lr and a true sentence', async ({
  page,
  harness,
}) => {
  // 30 images per class, batch 10: 30 iterations an epoch; 4 epochs, an evaluation every 10: 12 evaluations, sharpness at the 5th, 10th and 12th.
  await fillTrainForm(page, { batch: '10', epochs: '4', evalEvery: '10', perClass: '30', validation: '0' });
  await expect(page.getByTestId('training-sharpness')).toHaveCount(0);
  await page.getByLabel('Sharpness').check();
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('run-status')).toContainText(/finished/i, { timeout: 60_000 });
  const chart = page.getByTestId('training-sharpness');
  await expect(chart).toBeVisible();
  // Three measurements drawn, and the threshold line labelled in the legend.
  const d =
    (await page.locator('svg[data-figure="training-sharpness"] path[data-series="sharpness"]').getAttribute('d')) ?? '';
  expect((d.match(/[ML]/g) ?? []).length).toBe(3);
  await expect(page.locator('svg[data-figure="training-sharpness"] path[data-series="threshold"]')).toHaveCount(1);
  await expect(page.locator('svg[data-figure="training-sharpness"]')).toContainText('threshold 2/lr = 20');
  await expect(page.getByTestId('sharpness-sentence')).toHaveText(
    /^Sharpness (rose|fell|went) from [\d.]+ to [\d.]+ and stayed below the threshold 2\/lr = 20 \(at most [\d.]+, \d+\s% of it, at iteration \d+\)\.$/,
  );
  // The caption names the images measured on: the run's own 300-image subset, not the first 1,000 of the file.
  await expect(page.locator('svg[data-figure="training-sharpness"]')).toHaveAttribute(
    'data-caption',
    /^Sharpness at every 5th evaluation and the last, on the run's 300-image training subset; BS:10; LR:0\.1;/,
  );
  // The export bar under the chart (the same component as every chart's).
  await expect(chart.getByTestId('figure-export')).toHaveCount(1);
  await harness.shot('training-sharpness');
});
