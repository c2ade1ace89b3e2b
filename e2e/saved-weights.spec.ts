import type { Page } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLab } from '../src-main/services/services';
import { nodeLauncher } from '../src-main/workers/node-launcher';
import { expect, test } from './fixtures';
import { view } from './helpers/app';
import { trainToEnd } from './helpers/training-form';
import { openFirstRun } from './helpers/sessions';

// Hidden-unit weights of a saved run: trained in the Training view, the lab
// restarted on the same database, the run opened from the Sessions view shows
// the same weight images (latest evaluation and the kept history); a session
// file carries them to an imported copy.

const dir = mkdtempSync(join(tmpdir(), 'mlab-e2e-weights-'));
const dbPath = join(dir, 'lab.db');
test.use({ labOptions: { dbPath } });

/** Per canvas: size, non-white pixels, distinct colours, and a hash of the pixels. */
function canvasStats(page: Page, testId = 'hidden-units') {
  return page
    .getByTestId(testId)
    .locator('canvas')
    .evaluateAll((els) =>
      els.map((el) => {
        const c = el as HTMLCanvasElement;
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let ink = 0;
        let h = 0;
        for (let i = 0; i < d.length; i += 4) {
          if (!(d[i] > 240 && d[i + 1] > 240 && d[i + 2] > 240)) ink++;
          h = (h * 31 + d[i] * 65536 + d[i + 1] * 256 + d[i + 2]) >>> 0;
        }
        return { w: c.width, h: c.height, ink, hash: h };
      }),
    );
}

test('a saved run reopened after a restart shows its hidden-unit weights, latest and history, also after export and import', async ({
  page,
  harness,
}) => {
  await trainToEnd(page, { hidden: '16', batch: '10', epochs: '2', evalEvery: '10', perClass: '30' });
  await expect(page.getByTestId('hidden-units-caption')).toContainText('iteration 60');
  const live = await canvasStats(page);
  expect(live).toHaveLength(16);

  // Restart the lab on the same database; the page knows nothing of the run any more.
  const file = join(dir, 'weights.mlab');
  harness.lab.shutdown();
  harness.lab = createLab(
    {
      launcher: nodeLauncher,
      emit: () => {},
      pickDatasetFiles: async () => null,
      pickSavePath: async () => file,
      pickOpenPath: async () => file,
    },
    { dbPath },
  );
  await harness.reload();
  await view(page, 'sessions');
  await openFirstRun(page);
  const opened = page.getByTestId('open-run');
  await expect(opened).toBeVisible();
  await expect(opened.getByTestId('run-analysis')).toBeVisible();
  await expect(opened.getByTestId('hidden-units-caption')).toContainText('iteration 60');
  const iters = opened.getByTestId('hidden-units-iter');
  await expect(iters.locator('option')).toHaveText(['iteration 60 (latest)', 'iteration 40', 'iteration 10']);
  const saved = await canvasStats(page);
  expect(saved.map((s) => s.hash)).toEqual(live.map((s) => s.hash)); // the same images as live, pixel for pixel
  for (const s of saved) {
    expect([s.w, s.h]).toEqual([28, 28]);
    expect(s.ink).toBeGreaterThan(100);
  }
  await opened.getByTestId('hidden-units').scrollIntoViewIfNeeded();
  await harness.shot('sessions-open-run-weights');

  await iters.selectOption('10');
  await expect(opened.getByTestId('hidden-units-caption')).toContainText('iteration 10');
  const early = await canvasStats(page);
  expect(early.map((s) => s.hash)).not.toEqual(live.map((s) => s.hash));

  // Export the session as a file and import it: the imported run has the same weights.
  await page.getByRole('button', { name: 'Export file…' }).click();
  await expect(page.getByRole('status')).toContainText('Saved 1 runs');
  await page.getByRole('button', { name: 'Import session file…' }).click();
  await expect(page.getByRole('status')).toContainText('Imported');
  await page.locator('button[data-session="Session 1 (2)"]').click();
  await expect(page.getByTestId('session-title')).toHaveText('Session 1 (2)');
  await openFirstRun(page);
  await expect(page.getByTestId('open-run').getByTestId('hidden-units-caption')).toContainText('iteration 60');
  expect((await canvasStats(page)).map((s) => s.hash)).toEqual(live.map((s) => s.hash));
  await page.getByTestId('open-run').getByRole('button', { name: 'Close' }).click();
  await expect(page.getByTestId('open-run')).toHaveCount(0);
});
