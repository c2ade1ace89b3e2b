import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { pickStudy } from './helpers/app';
import { expectSameAsCli, exportAs } from './helpers/momentum-export';
import { fillTrainForm } from './helpers/training-form';

// Issue 15 in the app: the flip chart and its sentence, the run's path on the momentum map, and the
// "Edge of stability" study on small settings with its overlay lr·λ_max / (2(1+d)) (y = 1 is every run's edge).

const dir = mkdtempSync(join(tmpdir(), 'mlab-e2e-sharpmap-'));
test.use({ labOptions: { dbPath: join(dir, 'lab.db'), sweepWorkers: 2 } });

test('flip chart with the quadratic limits, and the run on the momentum map', async ({ page, harness }) => {
  test.setTimeout(180_000);
  // 30 images per class, BS 10: 30 iterations an epoch; 4 epochs, an evaluation every 10: 12 evaluations; d = 0.9.
  await fillTrainForm(page, {
    batch: '10',
    epochs: '4',
    evalEvery: '10',
    lr: '0.02',
    momentum: '0.9',
    perClass: '30',
    validation: '0',
  });
  await page.getByLabel('Sharpness').check();
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('run-status')).toContainText(/finished/i, { timeout: 90_000 });

  // The flip chart: two layers in each panel, the limits 1/(1−d) = 10 and 1/(1+d) = 0.526 drawn and labelled.
  const flips = page.getByTestId('training-flips');
  await expect(flips.locator('svg[data-figure="training-flips"] path[data-series="flip-fc1"]')).toHaveCount(1);
  await expect(flips.locator('svg[data-figure="training-flips"] path[data-series="flip-fc2"]')).toHaveCount(1);
  const ratio = flips.locator('svg[data-figure="training-velocity"]');
  await expect(ratio.locator('path[data-series="constant"]')).toHaveCount(1);
  await expect(ratio.locator('path[data-series="alternating"]')).toHaveCount(1);
  await expect(ratio).toContainText('constant sign: 1/(1−d) = 10');
  await expect(ratio).toContainText('alternation: 1/(1+d) = 0.526');
  await expect(flips.getByTestId('figure-export')).toHaveCount(2);
  const sentence = page.getByTestId('flip-sentence');
  await expect(sentence).toHaveText(
    /^First layer: \d+\s% of the sampled gradients flip sign from one step to the next \(median over 12 evaluation intervals up to iteration 120.*Second layer: /,
  );
  console.log('flip sentence:', await sentence.textContent());
  await flips.scrollIntoViewIfNeeded();
  await harness.shot('training-flips');

  // Show on the momentum map: the Momentum view's phase diagram with the run's path, one point per measurement.
  const sharp = page.getByTestId('training-sharpness');
  const measured = await page
    .locator('svg[data-figure="training-sharpness"] path[data-series="sharpness"]')
    .getAttribute('d');
  const n = ((measured ?? '').match(/[ML]/g) ?? []).length;
  expect(n).toBe(3); // the 5th and 10th evaluations, and the last
  await sharp.getByTestId('show-on-map').click();
  const path = page.getByTestId('phase-run-path');
  await expect(path).toBeVisible({ timeout: 30_000 });
  await expect(path.locator('[data-testid="phase-run-point"]')).toHaveCount(n);
  await expect(path.locator('text')).toContainText(['1']);
  await expect(page.getByTestId('run-path-note')).toContainText(
    /Training run on the map: LR 0\.02, d 0\.9, BS 10, HL 64, 300 images/,
  );
  await expect(page.getByTestId('run-path-note')).toContainText(
    /every point lies inside the region where a quadratic converges \(h < 2\(1\+d\) = 3\.8\)/,
  );
  // The points sit on the row d = 0.9 at h = lr·λ_max (all inside the plot: lr·λ_max is far below 5.2 here).
  const ys = await path.locator('circle').evaluateAll((els) => els.map((e) => Number(e.getAttribute('cy'))));
  expect(new Set(ys.map((y) => y.toFixed(3))).size).toBe(1);
  await expect(page.locator('svg[data-figure="momentum-phase"]')).toHaveAttribute(
    'data-caption',
    /Orange: the training run LR 0\.02, d 0\.9.*points 1–3 = \(lr·λ_max, d\)/,
  );
  // The map computed on a log h axis spanning the path, so the points separate.
  await expect(page.locator('svg[data-figure="momentum-phase"] image')).toHaveCount(1, { timeout: 60_000 });
  await expect(page.locator('svg[data-figure="momentum-phase"]')).toHaveAttribute('data-caption', /h on a log axis/);
  const xs = await path.locator('circle').evaluateAll((els) => els.map((e) => Number(e.getAttribute('cx'))));
  expect(Math.max(...xs) - Math.min(...xs)).toBeGreaterThan(10);
  await page.locator('svg[data-figure="momentum-phase"]').scrollIntoViewIfNeeded();
  await harness.shot('momentum-map-run-path');
  await page
    .locator('svg[data-figure="momentum-phase"]')
    .screenshot({ path: 'e2e/screenshots/momentum-map-run-path-chart.png' });
  await expect(path.locator('circle.outside')).toHaveCount(0);
  // The map with the run's path, exported from the view, is what the shell draws for the saved run, byte for byte:
  // `figure SESSION --phase --path RUN` (the view's marker is its default setting, h = lr·λ = 0.1 at d = 0.9).
  const store = harness.lab.store;
  const session = store.currentSessionId();
  const [saved] = store.listRuns(session);
  const mapSvg = await exportAs(page, harness, dir, 'momentum-phase', 'view-map.svg');
  const mapPng = await exportAs(page, harness, dir, 'momentum-phase', 'view-map.png');
  expect(mapSvg.toString('utf8')).toContain('data-run-path="LR 0.02, d 0.9, BS 10, HL 64, 300 images"');
  expectSameAsCli(
    dir,
    [
      ['cli-map.svg', mapSvg],
      ['cli-map.png', mapPng],
    ],
    String(session),
    '--phase',
    '--path',
    saved.id,
    '--mark',
    '0.1,0.9',
    '--db',
    join(dir, 'lab.db'),
  );
  await page.getByTestId('clear-run-path').click();
  await expect(page.getByTestId('phase-run-path')).toHaveCount(0);

  // Compare: the run's sharpness and flip metrics, one at a time.
  await page.locator('nav button[data-view="compare"]').click();
  const pick = page.locator('input[data-run-pick]').first();
  if (!(await pick.isChecked())) await pick.check();
  const extra = page.getByTestId('compare-extra');
  await expect(extra.locator('svg[data-figure="compare-extra"] path[data-series]')).toHaveCount(1, { timeout: 30_000 });
  await page.getByTestId('compare-extra-metric').selectOption('edge');
  await expect(extra.locator('svg[data-figure="compare-extra"] path[data-series="edge"]')).toHaveCount(1);
  await page.getByTestId('compare-extra-metric').selectOption('fc1Ratio');
  await expect(extra.locator('svg[data-figure="compare-extra"] path[data-series]')).toHaveCount(1);
  await expect(extra.getByTestId('figure-export')).toHaveCount(1);
  await extra.scrollIntoViewIfNeeded();
  await harness.shot('compare-sharpness-flips');
});

test('Edge of stability study on small settings: 8 runs, the overlay with the edge at y = 1', async ({
  page,
  harness,
}) => {
  test.setTimeout(900_000);
  await pickStudy(page, 'edgeOfStability');
  await expect(page.getByTestId('study-values')).toHaveValue('0.02, 0.05, 0.1, 0.2');
  await expect(page.getByTestId('study-small')).toBeChecked();
  await expect(page.getByTestId('eos-note')).toContainText('Cohen et al. (ICLR 2021)');
  await expect(page.getByTestId('run-study')).toHaveText('Run study (8 runs)');
  await page.getByTestId('run-study').click();
  const progress = page.getByTestId('study-progress');
  await expect(progress.locator('tbody tr')).toHaveCount(8);
  await expect(progress.getByRole('status')).toContainText('Done: 8 of 8', { timeout: 840_000 });
  const edge = page.getByTestId('study-edge');
  await expect(edge.locator('svg[data-figure="study-edge"] path[data-series="edge"]')).toHaveCount(1, {
    timeout: 30_000,
  });
  await expect(edge.locator('tbody tr')).toHaveCount(8);
  await expect(edge.locator('tbody tr').first()).toContainText('d 0, LR 0.02');
  await expect(edge.locator('tbody tr').nth(4)).toContainText('d 0.9, LR 0.002');
  console.log('edge table:', (await edge.locator('tbody').innerText()).replace(/\n/g, ' | '));
  await edge.scrollIntoViewIfNeeded();
  await harness.shot('studies-edge-of-stability');
});
