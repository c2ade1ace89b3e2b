import { expect, test } from './fixtures';

// "Train loss: full pass" in the Training form: the run's analysis says its train numbers are a full pass.

test('a run with the full-pass train loss says so in its analysis', async ({ page, harness }) => {
  void harness;
  await page.getByLabel('Hidden units (HL)').fill('16');
  await page.getByLabel('Batch size (BS)').fill('10');
  await page.getByLabel('Epochs').fill('3');
  await page.getByLabel('Evaluate every').fill('10');
  await page.getByRole('radio', { name: 'Per class' }).check();
  await page.getByLabel('Examples per class').fill('30');
  await page.getByLabel('Train loss').selectOption('full');
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('run-status')).toHaveText(/finished/, { timeout: 120_000 });
  const note = page.getByTestId('train-loss-note');
  await expect(note).toContainText('full pass over the training set');
  await expect(note).toContainText('the 300 images of the subset');
  await expect(page.locator('svg[data-figure="generalisation-gap"]')).toContainText('train loss (full pass)');
});
