import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { enter } from './helpers/app';

// Issue 14, items 4 and 5: each d keeps its colour while it is shown; the
// default 2-D view is readable (d = 0, 0.5, 0.9; d = 1 and 1.1 one click
// away), marks the minimum, clips and labels what leaves the plot, and no
// coordinate, however large, raises a console error.

/** Computed stroke colour of each x_t line, keyed by its d. */
async function strokes(page: Page, figure: string, prefix: string): Promise<Record<string, string>> {
  return page.evaluate(
    ([fig, pre]) => {
      const out: Record<string, string> = {};
      for (const p of document.querySelectorAll<SVGPathElement>(
        `svg[data-figure="${fig}"] path[data-series^="${pre}"]`,
      ))
        out[p.dataset['series']!.slice(pre.length)] = getComputedStyle(p).stroke;
      return out;
    },
    [figure, prefix] as const,
  );
}

async function setD(page: Page, d: string) {
  await enter(page.getByTestId('d-input'), d);
  await expect(page.getByTestId('sim-status')).toContainText(`d = ${d}`);
}

test("changing the main d keeps every other run's stroke colour", async ({ page, harness }) => {
  void harness;
  await page.locator('[data-view="momentum"]').click();
  await expect(page.getByTestId('sim-status')).toContainText('d = 0.9');
  await expect(page.locator('svg[data-figure="momentum-x"] path[data-series^="x"]')).toHaveCount(5);
  const before = await strokes(page, 'momentum-x', 'x');
  expect(Object.keys(before).sort()).toEqual(['0', '0.5', '0.9', '1', '1.1']);
  // five runs, five different colours
  expect(new Set(Object.values(before)).size).toBe(5);
  await setD(page, '0.75');
  await expect(page.locator('svg[data-figure="momentum-x"] path[data-series="x0.75"]')).toHaveCount(1);
  const after = await strokes(page, 'momentum-x', 'x');
  for (const d of ['0', '0.5', '1', '1.1']) expect(after[d], `d = ${d}`).toBe(before[d]);
  // the other charts agree with the x_t chart
  const vel = await strokes(page, 'momentum-velocity', 'v');
  for (const d of ['0', '0.5', '1', '1.1', '0.75']) expect(vel[d]).toBe(after[d]);
  // removing a run frees its colour; the others keep theirs
  await page.getByRole('button', { name: 'remove d = 0.5' }).click();
  await expect(page.locator('svg[data-figure="momentum-x"] path[data-series^="x"]')).toHaveCount(4);
  const removed = await strokes(page, 'momentum-x', 'x');
  for (const d of ['0', '1', '1.1', '0.75']) expect(removed[d]).toBe(after[d]);
  // the sign strip has its own pair, not two of the runs' colours, and its legend names the grey zero state
  await expect(page.getByTestId('sign-legend')).toContainText('0 (zero gradient)');
  const sign = await page.evaluate(() => {
    const cs = getComputedStyle(document.documentElement);
    return ['--sign-pos', '--sign-neg', '--sign-zero', ...Array.from({ length: 8 }, (_, k) => `--series-${k}`)].map(
      (n) => cs.getPropertyValue(n).trim().toLowerCase(),
    );
  });
  const [pos, neg, zero, ...series] = sign;
  expect(new Set([pos, neg, zero]).size).toBe(3);
  for (const c of [pos, neg, zero]) expect(series).not.toContain(c);
  await page
    .locator('svg[data-figure="momentum-signs"]')
    .screenshot({ path: 'e2e/screenshots/momentum-signs-legend.png' });
});

test('2-D opens readable: d = 0, 0.5, 0.9 with the minimum marked; d = 1 and 1.1 are one click each and 1.1 is labelled where it leaves', async ({
  page,
  harness,
}) => {
  void harness;
  await page.locator('[data-view="momentum"]').click();
  await page.getByTestId('mode-2d').click();
  const contour = page.locator('svg[data-figure="momentum-contour"]');
  await expect(contour.locator('path[data-run]')).toHaveCount(3);
  expect(
    await contour
      .locator('path[data-run]')
      .evaluateAll((ps) => ps.map((p) => (p as SVGPathElement).dataset['d']).sort()),
  ).toEqual(['0', '0.5', '0.9']);
  await expect(page.getByTestId('momentum-contour-minimum')).toHaveCount(1);
  await expect(page.getByTestId('left-note')).toHaveCount(0);
  await page.locator('[data-testid="momentum-contour-hit"]').scrollIntoViewIfNeeded();
  await contour.screenshot({ path: 'e2e/screenshots/momentum-2d-default-contour.png' });
  await page.getByTestId('add-d-1').click();
  await expect(contour.locator('path[data-run]')).toHaveCount(4);
  await page.getByTestId('add-d-1.1').click();
  await expect(contour.locator('path[data-run]')).toHaveCount(5);
  await expect(page.getByTestId('add-d-1.1')).toHaveCount(0);
  // d = 1.1 at lr 0.1 on lambda2 = 10 grows by rho = sqrt(1.1) per step: it leaves the plot, and the plot says at which step
  const note = page.getByTestId('left-note').filter({ hasText: 'd = 1.1' });
  await expect(note).toContainText(/d = 1\.1 left the plot at step \d+/);
  const step = Number(/step (\d+)/.exec((await note.textContent())!)![1]);
  // the same step from the simulator's own numbers: the first point outside the plotted box
  const first = await page.evaluate(async () => {
    type R = { value: { runs: { x: Float64Array; y: Float64Array }[] } };
    const lab = (window as unknown as { lab: { simulate(r: unknown): Promise<R> } }).lab;
    const { value } = await lab.simulate({
      objective: { name: 'quadratic-2d', params: { lambda1: 1, lambda2: 10, angle: 0 } },
      start: [-2, 1],
      steps: 200,
      runs: [{ kind: 'heavy-ball', lr: 0.1, d: 1.1 }],
    });
    const r = value.runs[0];
    return Array.from(r.x).findIndex((x, t) => Math.abs(x) > 2.5 || Math.abs(r.y[t]) > 1.5);
  });
  expect(step).toBe(first);
  await contour.screenshot({ path: 'e2e/screenshots/momentum-2d-d1.1-left.png' });
});

test('no console error at any coordinate: huge starts, diverging runs, 1-D and 2-D', async ({ page, harness }) => {
  const errors: string[] = [];
  page.on('console', (m) => {
    // the test's static server has no favicon; the browser's request for it is not the view's doing
    if (m.type() === 'error' && !m.location().url.endsWith('/favicon.ico'))
      errors.push(`${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.locator('[data-view="momentum"]').click();
  await expect(page.getByTestId('sim-status')).toContainText('d = 0.9');
  const addD = async (d: string) => {
    await page.getByLabel('add a d value').fill(d);
    await page.getByLabel('add a d value').press('Enter');
  };
  // 1-D: a large lr and d > 1 reach |x| = 1e150 within the run
  await enter(page.getByTestId('lr-input'), '50');
  await addD('2');
  await enter(page.getByTestId('x0'), '1000000');
  await expect(page.getByTestId('sim-status')).toContainText('diverging');
  await page.getByTestId('scrubber').fill('3');
  await page.getByTestId('scrubber').fill('200');
  // 2-D: start far outside the plot, then inside with runs that blow up
  await page.getByTestId('mode-2d').click();
  await page.getByTestId('add-d-1.1').click();
  await addD('2');
  await enter(page.getByTestId('lr-input'), '100');
  await enter(page.getByLabel('start x'), '1000000');
  await enter(page.getByLabel('start y'), '-1000000');
  await expect(page.getByTestId('sim-status')).toContainText('diverging');
  await expect(page.locator('svg[data-figure="momentum-contour"]')).toContainText('is outside the plot');
  await enter(page.getByLabel('start x'), '-2');
  await enter(page.getByLabel('start y'), '1');
  await expect(page.getByTestId('left-note').first()).toContainText('left the plot at step');
  for (const f of ['1', '7', '200']) await page.getByTestId('scrubber').fill(f);
  for (const obj of ['rosenbrock', 'himmelblau', 'booth', 'saddle']) {
    await page.getByTestId('objective').selectOption(obj);
    await enter(page.getByTestId('lr-input'), '100');
    await expect(page.locator('svg[data-figure="momentum-contour"]')).toHaveAttribute('data-caption', new RegExp(obj));
  }
  await page.waitForTimeout(500);
  await harness.shot('momentum-huge-coordinates');
  expect(errors).toEqual([]);
});
