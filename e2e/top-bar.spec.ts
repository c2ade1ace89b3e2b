import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LabEvent } from '../src-core/contracts/lab-api';
import { expect, test } from './fixtures';
import { fillTrainForm } from './helpers/training-form';

// The top bar: the navigation stays visible on long pages (sticky), the notice bar lies over the page instead of
// pushing it down, and nothing sticky sits under it; a "Saved …" note under a chart goes when a new run starts.

test('the navigation stays at the top, a notice does not move the page, the Momentum column sits below the bar', async ({
  page,
  harness,
}) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  const nav = page.getByRole('navigation', { name: 'Views' });
  const main = page.locator('main#content');

  // A notice (the desktop menu's "Export session") appears without moving the page.
  const before = (await main.boundingBox())!.y;
  harness.nextSavePath = join(mkdtempSync(join(tmpdir(), 'mlab-top-')), 'session.mlab');
  await harness.emit({ channel: 'command', command: { type: 'session.export' } } as LabEvent);
  await expect(page.getByTestId('notice')).toContainText('Saved');
  expect((await main.boundingBox())!.y).toBe(before);
  await harness.shot('top-bar-notice');
  await page.getByTestId('notice').getByRole('button', { name: 'Dismiss' }).click();

  // A long page (the Momentum view) scrolled down: the navigation is still in the window, at its top.
  await page.locator('[data-view="momentum"]').click();
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(200);
  const navBox = (await nav.boundingBox())!;
  expect(navBox.y).toBeGreaterThanOrEqual(0);
  expect(navBox.y).toBeLessThan(20);
  await expect(nav.getByRole('button', { name: 'Training' })).toBeInViewport();
  // The sticky settings column sits below the bar, not under it.
  const bar = (await page.getByTestId('app-top').boundingBox())!;
  const settings = (await page.locator('[data-panel="settings"]').boundingBox())!;
  expect(settings.y).toBeGreaterThanOrEqual(bar.y + bar.height);
  await harness.shot('top-bar-sticky-momentum');
});

test('a "Saved …" note under a chart goes away when the next run starts', async ({ page, harness }) => {
  const small = async (lr: string) => {
    await page.getByLabel('Learning rate (LR)').fill(lr);
    await page.getByTestId('train-button').click();
    await expect(page.getByTestId('run-status')).toHaveText(/finished/, { timeout: 60_000 });
  };
  await fillTrainForm(page, { epochs: '2', perClass: '10' });
  await small('0.1');
  const lossExport = page.getByTestId('training-loss').getByTestId('figure-export');
  harness.nextSavePath = join(mkdtempSync(join(tmpdir(), 'mlab-note-')), 'loss.svg');
  await lossExport.getByRole('button', { name: /as SVG/ }).click();
  await expect(lossExport.getByRole('status')).toContainText('Saved');
  // Hovering the chart does not change the figure: the note stays.
  const box = (await page.locator('svg[data-figure="training-loss"] rect.hit').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await expect(lossExport.getByRole('status')).toContainText('Saved');
  await harness.shot('saved-note-before-next-run');
  await small('0.1'); // the same settings, the same caption: the figure's curves change
  await expect(lossExport.getByRole('status')).toHaveCount(0);
  // Editing the caption also retires it.
  harness.nextSavePath = join(mkdtempSync(join(tmpdir(), 'mlab-note-')), 'loss2.svg');
  await lossExport.getByRole('button', { name: /as SVG/ }).click();
  await expect(lossExport.getByRole('status')).toContainText('Saved');
  await lossExport.getByRole('textbox').fill('Figure 1. A new caption.');
  await expect(lossExport.getByRole('status')).toHaveCount(0);
  await harness.shot('saved-note-after-next-run');
});
