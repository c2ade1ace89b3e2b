import { expect, test } from './fixtures';
import { createSession, queueSweep } from './helpers/sessions';

// A session that a queued or running sweep still saves into cannot be
// deleted: the Sessions view says why, and nothing is lost. Once the sweep is
// cancelled (or done), Delete works.

test('deleting the session a sweep is saving into is refused with the reason; after cancelling the sweep it works', async ({
  page,
  harness,
}) => {
  await createSession(page, 'Sweep target');
  await queueSweep(page, { lr: '0.01, 0.1, 1', perClass: '10', epochs: '3', evalEvery: '5', workers: '1' }, 3);
  const queue = page.locator('[data-sweep]');
  await expect(queue.locator('tr')).toHaveCount(3);

  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  await page.getByRole('button', { name: /^Delete "Sweep target" and its/ }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('"Sweep target" is where a sweep or study still saves its runs');
  await expect(alert).toContainText('queued');
  await expect(alert).toContainText('cancel it first');
  await expect(page.getByTestId('session-title')).toHaveText('Sweep target');
  await expect(page.locator('button[data-session="Sweep target"]')).toBeVisible();
  await alert.scrollIntoViewIfNeeded();
  await harness.shot('sessions-delete-refused-sweep');

  await queue.getByRole('button', { name: 'Cancel sweep' }).click();
  await expect(queue.getByText('Sweep: 3 of 3 done')).toBeVisible({ timeout: 60_000 });
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  await page.getByRole('button', { name: /^Delete "Sweep target" and its/ }).click();
  await expect(page.locator('button[data-session="Sweep target"]')).toHaveCount(0);
  await expect(page.getByRole('status')).toContainText('Deleted "Sweep target"');
  expect(harness.lab.store.listSessions().map((s) => s.name)).not.toContain('Sweep target');
});
