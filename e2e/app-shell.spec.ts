import { expect, test } from './fixtures';

test('the lab opens on the Training view with MNIST ready', async ({ page, harness }) => {
  await expect(page.getByRole('heading', { name: 'Momentum Lab' })).toBeVisible();
  await expect(page.getByTestId('dataset-name')).toContainText('MNIST');
  await harness.shot('app-shell');
});
