import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

// Simulations are saved once their settings settle, and identical ones are coalesced: moving d back and forth
// between two values, pausing at each, leaves two simulations in the session, not one per pause.

async function setD(page: Page, d: string) {
  const input = page.getByTestId('d-input');
  await input.fill(d);
  await input.press('Enter');
  await input.blur();
}

test('pausing on the same settings again updates the saved simulation instead of adding a copy; the view says so', async ({
  page,
  harness,
}) => {
  await page.locator('[data-view="momentum"]').click();
  await expect(page.getByTestId('sim-saving-note')).toContainText('Identical simulations are coalesced');
  const count = async () => (await harness.lab.services.currentSession()).sims.length;
  await page.waitForTimeout(2200); // the opening settings are saved after their 1.5 s pause
  const before = await count();
  for (const d of ['0.5', '0.8', '0.5', '0.8', '0.5']) {
    await setD(page, d);
    await page.waitForTimeout(2200); // past the recorder's 1.5 s pause: saved (or coalesced) now
  }
  expect(await count()).toBe(before + 2);
  await page.locator('[data-view="sessions"]').click();
  await expect(page.locator('table[aria-label="Simulations"] tbody tr')).toHaveCount(before + 2);
  await harness.shot('sim-coalesced-sessions');
  await page.locator('[data-view="momentum"]').click();
  await harness.shot('sim-saving-note');
});
