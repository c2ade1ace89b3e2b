import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { fillTrainForm } from './helpers/training-form';

// "Evaluate every" defaults to auto: about 40 evaluations a run, at least one an epoch (src-core/contracts/
// eval-interval.ts). The 10- and 1,000-image runs of the assignment get curves, not single dots; a typed value wins.

async function pathPoints(page: Page, figure: string, series: string): Promise<number> {
  const d = (await page.locator(`svg[data-figure="${figure}"] path[data-series="${series}"]`).getAttribute('d')) ?? '';
  return (d.match(/[ML]/g) ?? []).length;
}

test('auto evaluation interval: the form shows the effective value, small sets get curves, a typed value wins', async ({
  page,
  harness,
}) => {
  const field = page.getByLabel('Evaluate every');
  const note = page.getByTestId('eval-every-note');
  await expect(field).toHaveValue('auto');
  // MNIST's defaults keep evaluating every 200 iterations.
  await expect(note).toHaveText(/^auto: every 200 iterations \(35 evaluations over 6,876 iterations/);
  await harness.shot('eval-interval-default');

  // 10 images (1 per class): one iteration an epoch, evaluated every iteration.
  await fillTrainForm(page, { perClass: '1' });
  await expect(note).toHaveText(/^auto: every 1 iteration \(4 evaluations over 4 iterations/);
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('run-status')).toHaveText(/finished/, { timeout: 60_000 });
  await expect.poll(() => pathPoints(page, 'training-accuracy', 'test')).toBe(4);

  // 1,000 images: 128 iterations, every 5 -> 26 evaluations.
  await fillTrainForm(page, { perClass: '100' });
  await expect(note).toHaveText(/^auto: every 5 iterations \(26 evaluations over 128 iterations/);
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('run-status')).toHaveText(/finished/, { timeout: 60_000 });
  await expect.poll(() => pathPoints(page, 'training-loss', 'test')).toBe(26);
  await harness.shot('eval-interval-1000-images');

  // A typed value wins (and the note says what it gives).
  await field.fill('200');
  await expect(note).toHaveText(/^iterations; 1 evaluation over 128 iterations/);
  await field.fill('');
  await expect(note).toHaveText(/^auto: every 5 iterations/);
  await field.fill('0');
  await expect(page.getByTestId('train-button')).toBeDisabled();
  await page.getByRole('button', { name: 'Defaults' }).click();
  await expect(field).toHaveValue('auto');
});
