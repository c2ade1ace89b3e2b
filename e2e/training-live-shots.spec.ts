import { expect, test } from './fixtures';
import { startTraining } from './helpers/training-form';

// The Training view during a run and after it, at 1280 x 800 and 1920 x 1080, light and dark: screenshots to look
// at (e2e/screenshots/training-live-<when>-<width>-<theme>.png). During the run the status says "running" and the
// Hidden units panel, once on screen, names the iteration of the weights it draws; after it, the last one.

const SIZES = [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
] as const;

test('the Training view during and after a run, at two sizes, light and dark', async ({ page, harness }) => {
  test.setTimeout(240_000);
  for (const theme of ['light', 'dark'] as const) {
    await page.getByTestId('theme-select').selectOption(theme);
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    for (const size of SIZES) {
      await page.setViewportSize(size);
      // 30,000 iterations: long enough to be cancelled whatever the kernels' speed (60 epochs ended in 2 s once the
      // native kernels were in).
      await startTraining(page, { hidden: '16', batch: '10', epochs: '1000', evalEvery: '20', perClass: '30' });
      await expect(page.getByTestId('run-status')).toHaveText('running', { timeout: 60_000 });
      const caption = page.getByTestId('hidden-units-caption');
      await page.getByTestId('hidden-units-live').scrollIntoViewIfNeeded();
      await expect(caption).toContainText(/at iteration \d/, { timeout: 60_000 });
      await page.evaluate(() => window.scrollTo(0, 0));
      // Off screen, the panel keeps the weights it drew, and says when the lab has newer ones.
      await expect(page.getByTestId('hidden-units-newer')).toContainText(/The lab has the weights of iteration \d/);
      await harness.shot(`training-live-running-${size.width}-${theme}`);
      await page.getByTestId('cancel-button').click();
      await expect(page.getByTestId('run-status')).toHaveText(/^cancelled/, { timeout: 30_000 });
      // After the end the panel shows the weights of the last notice the lab sent.
      const last = harness.events.flatMap((e) =>
        e.channel === 'train' && e.message.type === 'weights' ? [e.message.iter] : [],
      );
      await page.getByTestId('hidden-units').scrollIntoViewIfNeeded();
      await expect(caption).toContainText(`at iteration ${last.at(-1)!.toLocaleString('en-US')}:`);
      await page.evaluate(() => window.scrollTo(0, 0));
      await harness.shot(`training-live-after-${size.width}-${theme}`);
    }
  }
});
