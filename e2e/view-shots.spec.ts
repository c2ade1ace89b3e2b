import { expect, test } from './fixtures';

// Every view at 1280 x 800 and 1920 x 1080, light and dark, after one small run: screenshots to look at
// (e2e/screenshots/views-<view>-<width>-<theme>.png). Each view must show its heading content and no error.

const SIZES = [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
] as const;
const VIEWS = ['training', 'momentum', 'sessions', 'compare', 'studies'] as const;

test('every view at laptop and desktop sizes, light and dark', async ({ page, harness }) => {
  test.setTimeout(300_000);
  await expect(page.getByTestId('dataset-name')).toContainText('MNIST');
  await page.getByRole('radio', { name: 'Per class' }).check();
  await page.getByLabel('Examples per class').fill('30');
  await page.getByLabel('Epochs').fill('3');
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'finished', { timeout: 120_000 });
  const firstTile = page.getByTestId('gallery-right').getByTestId('digit-tile').first();
  await expect(firstTile).toHaveAttribute('data-loaded', 'true');

  for (const theme of ['light', 'dark'] as const) {
    await page.getByTestId('theme-select').selectOption(theme);
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    for (const size of SIZES) {
      await page.setViewportSize(size);
      for (const view of VIEWS) {
        await page.locator(`nav button[data-view="${view}"]`).click();
        await expect(page.locator(`nav button[data-view="${view}"]`)).toHaveAttribute('aria-current', 'page');
        // The Momentum view simulates on entry: shoot once its charts have data (slow on a loaded machine).
        if (view === 'momentum') await expect(page.getByText('No data yet')).toHaveCount(0, { timeout: 30_000 });
        await page.waitForTimeout(400);
        await expect(page.locator('main [role="alert"]')).toHaveCount(0);
        await harness.shot(`views-${view}-${size.width}-${theme}`);
      }
    }
  }
});
