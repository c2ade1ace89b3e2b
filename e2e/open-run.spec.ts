import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { trainToEnd } from './helpers/training-form';
import { openFirstRun } from './helpers/sessions';

// "Open" on a saved run shows what the Training view showed for it: the loss and accuracy curves and the galleries,
// besides its analysis; "Load settings" puts its configuration into the Training form to run it again.

async function pathPoints(page: Page, scope: string, figure: string, series: string): Promise<number> {
  const d =
    (await page.locator(`${scope} svg[data-figure="${figure}"] path[data-series="${series}"]`).getAttribute('d')) ?? '';
  return (d.match(/[ML]/g) ?? []).length;
}

test('a saved run opens with its curves and galleries; Load settings fills the Training form with its settings', async ({
  page,
  harness,
}) => {
  await trainToEnd(page, {
    hidden: '16',
    batch: '10',
    lr: '0.05',
    epochs: '2',
    evalEvery: '10',
    momentum: '0.5',
    perClass: '30',
  });
  const liveTest = await pathPoints(page, '', 'training-loss', 'test');
  expect(liveTest).toBe(6);

  // Back to the defaults, then reopen the run from the Sessions view (a reload: the page knows nothing of it).
  await page.getByRole('button', { name: 'Defaults' }).click();
  await harness.reload();
  await page.locator('[data-view="sessions"]').click();
  await openFirstRun(page);
  const opened = page.getByTestId('open-run');
  await expect(opened.locator('svg[data-figure="training-loss"]')).toBeVisible();
  await expect(opened.locator('svg[data-figure="training-accuracy"]')).toBeVisible();
  await expect.poll(() => pathPoints(page, '[data-testid="open-run"]', 'training-loss', 'test')).toBe(liveTest);
  await expect.poll(() => pathPoints(page, '[data-testid="open-run"]', 'training-accuracy', 'test')).toBe(liveTest);
  expect(await pathPoints(page, '[data-testid="open-run"]', 'training-loss', 'train')).toBeGreaterThan(50); // the 60 mini-batch values
  await expect(opened.getByTestId('gallery-wrong').getByTestId('digit-tile').first()).toBeVisible();
  await expect(opened.getByTestId('gallery-right').getByTestId('digit-tile').first()).toBeVisible();
  await expect(opened.getByTestId('gallery-wrong-count')).toHaveText(/\d+ misclassified/);
  await harness.shot('open-run-curves-galleries');

  await opened.getByTestId('load-settings').click();
  await expect(page.getByLabel('Learning rate (LR)')).toHaveValue('0.05');
  await expect(page.getByLabel('Hidden units (HL)')).toHaveValue('16');
  await expect(page.getByLabel('Batch size (BS)')).toHaveValue('10');
  await expect(page.getByLabel('Epochs')).toHaveValue('2');
  await expect(page.getByLabel('Evaluate every')).toHaveValue('10');
  await expect(page.getByLabel('Momentum d')).toHaveValue('0.5');
  await expect(page.getByLabel('Examples per class')).toHaveValue('30');
  await expect(page.getByRole('radio', { name: 'Per class' })).toBeChecked();
  await harness.shot('open-run-load-settings');
});
