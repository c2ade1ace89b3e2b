import type { Page } from '@playwright/test';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkSvg } from '../src-main/services/export/export-check';
import { expect, test } from './fixtures';
import { fillTrainForm } from './helpers/training-form';
import { view } from './helpers/app';

// Every "Export … as SVG" button of the Training, Compare and Momentum views
// (every figure of the Momentum view, in 1-D and 2-D) goes through the real
// export path (serializeFigure in Chromium → exportFigure → checkSvg) and must
// be accepted by the allow-list check. With EXPORT_CORPUS_DIR set, the files
// are also copied there: src-main/services/export/export-corpus/ holds one such run,
// which export-svg-check.test.ts checks on every unit-test run.

const dir = mkdtempSync(join(tmpdir(), 'mlab-e2e-export-corpus-'));
test.use({ labOptions: { dbPath: join(dir, 'lab.db') } });

const saved: string[] = [];

async function exportEvery(page: Page, harness: { nextSavePath: string | null }, prefix: string) {
  const buttons = page.getByRole('button', { name: /^Export the .* as SVG$/ });
  const n = await buttons.count();
  for (let i = 0; i < n; i++) {
    const b = buttons.nth(i);
    if (!(await b.isVisible())) continue;
    const label = ((await b.getAttribute('aria-label')) ?? `figure-${i}`)
      .replace(/^Export the | as SVG$/g, '')
      .replace(/[^a-z0-9]+/gi, '-');
    const file = join(dir, `${prefix}-${label}.svg`);
    harness.nextSavePath = file;
    await b.click();
    await page.waitForTimeout(200);
    const said = (await page.getByRole('status').allInnerTexts()).join(' | ');
    await expect
      .poll(
        () => {
          try {
            return readFileSync(file, 'utf8').length > 0;
          } catch {
            return false;
          }
        },
        { message: `${prefix} ${label}: the export was refused or never written: ${said}` },
      )
      .toBe(true);
    saved.push(file);
  }
}

test('every SVG the lab exports passes the allow-list check', async ({ page, harness }) => {
  test.setTimeout(240_000);
  await view(page, 'training');
  await fillTrainForm(page, { epochs: '2', evalEvery: '5', perClass: '10' });
  for (const lr of ['0.05', '0.2']) {
    await page.getByLabel('Learning rate (LR)').fill(lr);
    const before = harness.lab.store.listRuns(harness.lab.store.currentSessionId()).length;
    await page.getByTestId('train-button').click();
    await expect
      .poll(
        () =>
          harness.lab.store.listRuns(harness.lab.store.currentSessionId()).filter((r) => r.status === 'finished')
            .length,
        { timeout: 120_000 },
      )
      .toBe(before + 1);
  }
  await expect(page.getByTestId('early-stopping')).toBeVisible({ timeout: 30_000 });
  await exportEvery(page, harness, 'training');

  await view(page, 'sessions');
  const rows = page.locator('tr[data-run-row]');
  await expect(rows).toHaveCount(2);
  for (const i of [0, 1])
    await rows
      .nth(i)
      .getByRole('checkbox', { name: /^Compare / })
      .check();
  await page.getByRole('button', { name: 'Compare selected (2)' }).click();
  await expect(page.locator('svg[data-figure="compare-accuracy"] path[data-run]').first()).toBeAttached();
  await exportEvery(page, harness, 'compare');

  await view(page, 'momentum');
  for (const mode of ['mode-1d', 'mode-2d']) {
    await page.getByTestId(mode).click();
    const choice = page.getByTestId('figure-choice');
    await expect(choice).toBeVisible();
    const options = await choice.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    for (const o of options) {
      await choice.selectOption(o);
      await page.waitForTimeout(300); // a heat map is drawn on the next frame
      await exportEvery(page, harness, `momentum-${mode}-${o}`);
    }
  }
  expect(saved.length).toBeGreaterThanOrEqual(8);
  for (const f of saved) expect(() => checkSvg(readFileSync(f, 'utf8'))).not.toThrow();
  if (process.env.EXPORT_CORPUS_DIR) {
    mkdirSync(process.env.EXPORT_CORPUS_DIR, { recursive: true });
    for (const f of saved) copyFileSync(f, join(process.env.EXPORT_CORPUS_DIR, f.split('/').pop()!));
  }
  console.log(`export corpus: ${saved.length} SVGs accepted`);
});
