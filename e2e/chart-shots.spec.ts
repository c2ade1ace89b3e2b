import type { Page } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { startTraining } from './helpers/training-form';
import { pickStudy, view } from './helpers/app';

// Every chart built on the shared chart pieces (src-renderer/charts: frame,
// axes, legend, tooltip), on every view that shows one, at 1280 and 1920 px,
// light and dark: each figure is drawn, lies inside the page (nothing wider
// than the window) and has its caption inside its own box; the screenshots
// (e2e/screenshots/charts-*.png) are for looking at.

const dir = mkdtempSync(join(tmpdir(), 'mlab-e2e-charts-'));
test.use({ labOptions: { dbPath: join(dir, 'lab.db'), sweepWorkers: 2 }, viewport: { width: 1280, height: 860 } });

/** Figures whose box reaches past the page's right edge, or whose caption lines leave the figure. */
async function misplaced(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const right = document.documentElement.clientWidth;
    for (const svg of document.querySelectorAll<SVGSVGElement>('svg[data-figure]')) {
      const b = svg.getBoundingClientRect();
      if (b.width === 0) continue;
      const name = svg.getAttribute('data-figure') ?? '';
      if (b.right > right + 1) out.push(`${name}: right edge ${b.right.toFixed(0)} > ${right}`);
      for (const t of svg.querySelectorAll('text.caption')) {
        const r = t.getBoundingClientRect();
        if (r.bottom > b.bottom + 1 || r.right > b.right + 1) out.push(`${name}: caption line outside`);
      }
    }
    return out;
  });
}

async function shots(page: Page, name: string, figures: string[]) {
  for (const w of [1280, 1920]) {
    await page.setViewportSize({ width: w, height: 900 });
    for (const theme of ['light', 'dark'] as const) {
      await page.evaluate((t) => document.documentElement.setAttribute('data-theme', t), theme);
      await page.waitForTimeout(300);
      for (const f of figures) await expect(page.locator(`svg[data-figure="${f}"]`).first()).toBeVisible();
      expect.soft(await misplaced(page)).toEqual([]);
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: `e2e/screenshots/charts-${name}-${w}-${theme}.png`, fullPage: true });
      // Close-ups of each figure, to read its text, scrolled to the middle of the window (clear of the sticky top bar).
      for (const f of figures) {
        const fig = page.locator(`svg[data-figure="${f}"]`).first();
        await fig.evaluate((el) => el.scrollIntoView({ block: 'center' }));
        await fig.screenshot({ path: `e2e/screenshots/charts-${name}-${f}-${w}-${theme}.png` });
      }
    }
  }
  await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'light'));
  await page.setViewportSize({ width: 1280, height: 860 });
}

test('every chart on the shared pieces, 1280 and 1920 px, light and dark', async ({ page, harness }) => {
  test.setTimeout(600_000);
  const store = harness.lab.store;
  const finished = () => store.listRuns(store.currentSessionId()).filter((r) => r.status === 'finished').length;

  await view(page, 'training');
  for (const [i, n] of ['10', '100'].entries()) {
    await startTraining(page, { epochs: '3', evalEvery: '5', perClass: n });
    await expect.poll(finished, { timeout: 120_000 }).toBe(i + 1);
  }
  await expect(page.getByTestId('run-analysis')).toBeVisible({ timeout: 60_000 });
  // The tooltip mark: hover the loss chart.
  const hit = page.locator('svg[data-figure="training-loss"] rect.hit');
  const hb = await hit.boundingBox();
  if (hb) await page.mouse.move(hb.x + hb.width * 0.6, hb.y + hb.height * 0.5);
  await expect(page.getByTestId('chart-tooltip')).toBeVisible();
  const analysis = ['early-stopping', 'generalisation-gap', 'per-class-accuracy'];
  await shots(page, 'training', ['training-loss', 'training-accuracy', ...analysis]);

  await view(page, 'compare');
  const picks = page.locator('input[data-run-pick]');
  await expect(picks).toHaveCount(2);
  for (let i = 0; i < 2; i++) await picks.nth(i).check();
  await expect(page.locator('svg[data-figure="compare-accuracy"] [data-legend]')).toHaveCount(2);
  await shots(page, 'compare', ['compare-loss', 'compare-accuracy']);
  await page.getByTestId('loss-log').check();
  await shots(page, 'compare-log', ['compare-loss']);

  await pickStudy(page, 'lr');
  await page.getByTestId('study-values').fill('0.05, 0.5');
  await page.getByLabel('Seeds per value').fill('2');
  await page.getByTestId('run-study').click();
  const progress = page.getByTestId('study-progress').getByRole('status');
  await expect(progress).toContainText('Done: 4 of 4', { timeout: 300_000 });
  await expect(page.locator('svg[data-figure="study-accuracy"] path[data-band]')).toHaveCount(2, { timeout: 30_000 });
  await shots(page, 'studies-band', ['study-loss', 'study-accuracy']);

  await view(page, 'momentum');
  await expect(page.locator('svg[data-figure="momentum-phase"] image')).toBeAttached({ timeout: 60_000 });
  await expect(page.getByTestId('flip-count').first()).toBeVisible({ timeout: 60_000 });
  await page.waitForTimeout(2500);
  await shots(page, 'momentum', ['momentum-path', 'momentum-signs', 'momentum-phase']);
  await page.getByRole('button', { name: '2-D', exact: true }).click();
  const trail = page.locator('svg[data-figure="momentum-contour"] path[data-run]').first();
  await expect(trail).toBeAttached({ timeout: 60_000 });
  await page.waitForTimeout(2500);
  await shots(page, 'momentum-2d', ['momentum-contour']);
});
