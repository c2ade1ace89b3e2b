import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { ASSIGNMENT_SIMULATIONS } from '../src-core/studies/test-helpers';

// The assignment end to end (issue 14, items 9 and 10): a preset fills the form; "Run all" (quick settings) runs
// every simulation into a new session; the report opens in Chromium with, per simulation, the loss/accuracy figure
// and both galleries captioned in the report style, then the learning-rate and training-set-size comparisons.

const dir = mkdtempSync(join(tmpdir(), 'mlab-e2e-assignment-'));
test.use({ labOptions: { dbPath: join(dir, 'lab.db'), sweepWorkers: 2 } });

test('presets fill the form; Run all; the report has every figure with its caption', async ({ page, harness }) => {
  test.setTimeout(600_000);
  const box = page.getByTestId('assignment');
  await expect(box.getByLabel('Assignment preset').locator('option')).toHaveText([
    'Choose a simulation…',
    ...ASSIGNMENT_SIMULATIONS,
  ]);
  await box.getByLabel('Assignment preset').selectOption({ label: 'Simulation 3 (LR 1, BS 64)' });
  await expect(page.getByLabel('Evaluate every')).toHaveValue('auto');
  await expect(page.getByLabel('Learning rate (LR)')).toHaveValue('1');
  await expect(page.getByLabel('Batch size (BS)')).toHaveValue('64');
  await expect(page.getByLabel('Hidden units (HL)')).toHaveValue('64');
  await box.getByLabel('Assignment preset').selectOption({ label: 'Simulation 4' });
  await expect(page.getByLabel('Examples per class')).toHaveValue('1');
  await expect(page.getByLabel('Epochs')).toHaveValue('1000');
  // 1,000 one-batch epochs: evaluated every 20 iterations (about 40 times), not every epoch.
  await expect(page.getByLabel('Evaluate every')).toHaveValue('20');
  await expect(page.getByLabel('Learning rate (LR)')).toHaveValue('0.1');
  await harness.shot('assignment-presets');

  await box.getByLabel('quick (small settings)').check();
  await box.getByRole('button', { name: 'Run all simulations' }).click();
  await expect(box.getByTestId('assignment-progress')).toContainText(/of 7 simulations done/);
  await expect(box.getByTestId('assignment-progress')).toContainText('All 7 simulations done (7 finished)', {
    timeout: 540_000,
  });
  await harness.shot('assignment-done');

  const out = join(dir, 'assignment.html');
  harness.nextSavePath = out;
  await box.getByRole('button', { name: 'Assignment report (HTML)…' }).click();
  await expect(box.getByRole('status').last()).toContainText('Saved the assignment report');
  expect(readFileSync(out, 'utf8')).not.toMatch(/<script/i);

  const report = await page.context().newPage();
  await report.setViewportSize({ width: 1200, height: 900 });
  await report.goto(`file://${out}`);
  await expect(report.locator('h1')).toHaveText('Assignment (small settings)');
  await expect(report.locator('section.run h2')).toHaveText(ASSIGNMENT_SIMULATIONS);
  const captions = report.locator('figcaption');
  await expect(captions).toHaveCount(16);
  await expect(captions.nth(2)).toHaveText(
    'Figure 3. Simulation 2; BS:32; LR:0.1; EPOCHS: 1; HL: 64; N: 2000 (200/class).',
  );
  await expect(captions.nth(3)).toContainText('Figure 4. Simulation 2: misclassified test digits');
  await expect(captions.nth(14)).toContainText('Figure 15. Learning rate comparison (Simulations 2 and 3)');
  await expect(captions.nth(15)).toContainText('Figure 16. Training-set size comparison (Simulations 2, 4 and 5)');
  // Every chart draws its data: a path with points in each curve figure, and every gallery digit decodes.
  const sim2 = report.locator('figure').nth(2);
  await expect(sim2.locator('svg')).toHaveCount(2);
  expect(((await sim2.locator('path[data-series="test accuracy"]').getAttribute('d')) ?? '').length).toBeGreaterThan(
    20,
  );
  const digits = report.locator('figure').nth(3).locator('image[data-digit]');
  await expect(digits).toHaveCount(32);
  const decoded = await report.evaluate(async () => {
    const hrefs = [...document.querySelectorAll('image[data-digit]')].map((i) => i.getAttribute('href') ?? '');
    const sizes = await Promise.all(
      hrefs.map(async (h) => {
        const img = new Image();
        img.src = h;
        await img.decode();
        return img.width * 100 + img.height;
      }),
    );
    return { n: hrefs.length, all28: sizes.every((s) => s === 2828) };
  });
  expect(decoded).toEqual({ n: 7 * 32, all28: true });
  await sim2.screenshot({ path: 'e2e/screenshots/assignment-report-simulation-2.png' });
  await report.locator('figure').nth(3).screenshot({ path: 'e2e/screenshots/assignment-report-galleries.png' });
  await report.locator('section.end').first().screenshot({ path: 'e2e/screenshots/assignment-report-lr.png' });
  await report.locator('section.end').nth(1).screenshot({ path: 'e2e/screenshots/assignment-report-size.png' });
  await report.close();
});

test('the guide points at the presets, typesets its formulas, and the comparison says when Adam cannot use d', async ({
  page,
  harness,
}) => {
  await expect(page.getByTestId('dataset-name')).toContainText('MNIST');
  await page.keyboard.press('F1');
  const guide = page.getByTestId('guide');
  await expect(guide).toBeVisible();
  await expect(guide).toContainText('Assignment menu');
  await guide.getByTestId('guide-next').click();
  await guide.getByTestId('guide-next').click();
  await expect(guide.locator('.math var').first()).toBeVisible();
  await expect(guide.locator('.math sup')).toHaveCount(1);
  await expect(guide).toContainText('ρ ≥ √d > 1');
  await expect(guide).not.toContainText('sqrt');
  await harness.shot('guide-formulas');
  await guide.getByTestId('guide-skip').click();

  await page.locator('nav button[data-view="momentum"]').click();
  // The objective's formula is typeset too: λ, not "lambda*".
  await expect(page.getByTestId('objective-formula')).toHaveText('f(x) = λ·x2/2');
  await expect(page.getByTestId('objective-formula').locator('var')).toHaveText(['f', 'x', 'x']);
  const note = page.getByTestId('compare-substitution');
  await expect(note).toHaveCount(0);
  await page.getByTestId('d-input').fill('1.05');
  await page.getByTestId('d-input').press('Enter');
  await page.getByTestId('d-input').blur();
  await expect(note).toContainText('Adam cannot use d = 1.05');
  await note.scrollIntoViewIfNeeded();
  await harness.shot('momentum-adam-substitution');
});
