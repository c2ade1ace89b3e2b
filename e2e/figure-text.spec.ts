import type { Page } from '@playwright/test';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { startTraining } from './helpers/training-form';
import { pickStudy, view } from './helpers/app';
import { figureProblems, svgFileProblems } from './text-boxes';

// Readable figures (issue 14, items 3, 6, 7): in every exportable figure on
// every view, and in an exported SVG file, no text leaves the figure or runs
// into other text, even with a long caption; Compare and Studies have a log
// loss axis, an automatic accuracy range (with a 0–100 % toggle), a
// wall-clock x axis and legends that name every setting that differs; no
// dropdown cuts its options' names. Screenshots at 1280 px, light and dark.

const dir = mkdtempSync(join(tmpdir(), 'mlab-e2e-figtext-'));
test.use({ labOptions: { dbPath: join(dir, 'lab.db'), sweepWorkers: 2 }, viewport: { width: 1280, height: 860 } });

const LONG_CAPTION =
  'Figure 7. Simulation 2 with a deliberately long caption that a student might type: BS:32; LR:0.1; EPOCHS: 4; HL: 64; ' +
  'the test loss falls quickly over the first epoch and then flattens while the train loss keeps falling, which is the ' +
  'generalisation gap the assignment asks about; Supercalifragilisticexpialidociousunbreakablewordthatmustbecutsomewhere.';

/** Selects whose widest option's text (in the select's own font) is wider than the room the select gives it. */
async function cutSelects(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const ctx = document.createElement('canvas').getContext('2d')!;
    const out: string[] = [];
    for (const sel of document.querySelectorAll('select')) {
      if (sel.offsetParent === null) continue;
      const cs = getComputedStyle(sel);
      ctx.font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
      // The room for text: the content box minus the drop-down arrow (about 16 px in Chromium).
      const room = sel.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - 16;
      // Nor may a box that clips its overflow (a narrow column) hide part of the select.
      const box = sel.getBoundingClientRect();
      for (let el = sel.parentElement; el; el = el.parentElement) {
        const o = getComputedStyle(el);
        if (o.overflowX === 'visible') continue;
        const r = el.getBoundingClientRect();
        if (box.right > r.right + 1 || box.left < r.left - 1)
          out.push(
            `${sel.getAttribute('aria-label') ?? sel.getAttribute('data-testid') ?? 'select'}: clipped by its container (${box.left.toFixed(0)}–${box.right.toFixed(0)} px outside ${r.left.toFixed(0)}–${r.right.toFixed(0)} px)`,
          );
        break;
      }
      for (const o of sel.options) {
        const w = ctx.measureText(o.text).width;
        if (w > room + 1)
          out.push(
            `${sel.getAttribute('aria-label') ?? sel.id ?? 'select'}: "${o.text}" ${w.toFixed(0)} px > ${room.toFixed(0)} px`,
          );
      }
    }
    return out;
  });
}

async function setTheme(page: Page, theme: 'light' | 'dark') {
  await page.evaluate((t) => document.documentElement.setAttribute('data-theme', t), theme);
}

async function shots(page: Page, name: string) {
  for (const theme of ['light', 'dark'] as const) {
    await setTheme(page, theme);
    await page.waitForTimeout(150);
    await page.screenshot({ path: `e2e/screenshots/figtext-${name}-1280-${theme}.png`, fullPage: true });
  }
  await setTheme(page, 'light');
}

const train = (page: Page, perClass: string) => startTraining(page, { epochs: '3', evalEvery: '5', perClass });

test('figures keep their text inside and apart; Compare and Studies scales, legends and wall-clock axis; dropdowns fit', async ({
  page,
  harness,
}) => {
  test.setTimeout(420_000);
  const finished = () =>
    harness.lab.store.listRuns(harness.lab.store.currentSessionId()).filter((r) => r.status === 'finished').length;

  // Training: three small runs on 10, 100 and 1,000 images.
  await view(page, 'training');
  for (const [i, n] of ['1', '10', '100'].entries()) {
    await train(page, n);
    await expect.poll(finished, { timeout: 120_000 }).toBe(i + 1);
  }
  await page.waitForTimeout(600);
  let r = await figureProblems(page);
  expect(r.figures.length).toBeGreaterThanOrEqual(2);
  expect.soft(r.problems).toEqual([]);
  // A long caption typed into the caption field wraps inside the figure.
  await page.getByLabel('Caption of the loss chart').first().fill(LONG_CAPTION);
  await page.waitForTimeout(200);
  r = await figureProblems(page);
  expect.soft(r.problems).toEqual([]);
  const lines = await page.locator('svg[data-figure] text.caption').count();
  expect(lines).toBeGreaterThan(2);
  expect.soft(await cutSelects(page)).toEqual([]);
  await shots(page, 'training');

  // The exported SVG, opened as a page of its own, passes the same check.
  harness.nextSavePath = join(dir, 'loss.svg');
  await page.getByRole('button', { name: 'Export the loss chart as SVG' }).first().click();
  await expect
    .poll(
      () => {
        try {
          return readFileSync(join(dir, 'loss.svg'), 'utf8').length;
        } catch {
          return 0;
        }
      },
      { timeout: 15_000 },
    )
    .toBeGreaterThan(0);
  const exported = await page.context().newPage();
  await exported.goto(`file://${join(dir, 'loss.svg')}`);
  expect.soft(await svgFileProblems(exported)).toEqual([]);
  expect(await exported.locator('text[data-caption-line]').count()).toBeGreaterThan(1);
  await exported.screenshot({ path: 'e2e/screenshots/figtext-exported-loss.png' });
  await exported.close();

  // Compare: all three runs; the legend and the picker name the training-set size.
  await view(page, 'compare');
  const picks = page.locator('input[data-run-pick]');
  await expect(picks).toHaveCount(3);
  for (let i = 0; i < 3; i++) await picks.nth(i).check();
  const acc = page.locator('svg[data-figure="compare-accuracy"]');
  const loss = page.locator('svg[data-figure="compare-loss"]');
  await expect(acc.locator('[data-legend]')).toHaveCount(3);
  const legends = await acc
    .locator('[data-legend]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-legend')));
  expect(new Set(legends).size).toBe(3);
  expect(legends.join(' | ')).toMatch(/N 10\b.*N 100\b.*N 1,000/);
  const settings = await page.locator('[data-run-settings]').allTextContents();
  expect(new Set(settings).size).toBe(3);
  r = await figureProblems(page);
  expect(r.figures).toEqual(expect.arrayContaining(['compare-loss', 'compare-accuracy']));
  expect.soft(r.problems).toEqual([]);

  // Accuracy: the range follows the data (never below 0 or above 100 %), the toggle gives 0–100 %.
  const domainOf = async (svg: typeof acc) => ((await svg.getAttribute('data-y-domain')) ?? '').split(',').map(Number);
  const accVals = harness.lab.store
    .listRuns(harness.lab.store.currentSessionId())
    .flatMap((run) =>
      harness.lab.store.curves(run.id).points.flatMap((p) => [p.testAcc, p.trainAcc, p.valAcc ?? p.testAcc]),
    );
  const [a0, a1] = await domainOf(acc);
  expect(a0).toBeGreaterThanOrEqual(0);
  expect(a1).toBeLessThanOrEqual(1);
  expect(a0).toBeLessThanOrEqual(Math.min(...accVals) + 1e-9);
  expect(a1).toBeGreaterThanOrEqual(Math.max(...accVals) - 1e-9);
  if (Math.min(...accVals) > 0.1) expect(a0).toBeGreaterThan(0);
  await page.getByTestId('acc-full').check();
  await expect(acc).toHaveAttribute('data-y-domain', '0,1');
  await page.getByTestId('acc-full').uncheck();

  // Loss: a log axis on request.
  await expect(loss).toHaveAttribute('data-y-scale', 'linear');
  await page.getByTestId('loss-log').check();
  await expect(loss).toHaveAttribute('data-y-scale', 'log');
  const [l0, l1] = await domainOf(loss);
  expect(l0).toBeGreaterThan(0);
  expect(Math.log10(l1 / l0)).toBeGreaterThan(0);

  // Wall clock: x is seconds since each run started, up to the slowest run's last evaluation.
  await page.getByLabel('x axis').selectOption('time');
  await expect(loss.locator('text.axis-label').first()).toContainText('wall-clock');
  const maxS = Math.max(
    ...harness.lab.store
      .listRuns(harness.lab.store.currentSessionId())
      .map((run) => harness.lab.store.curves(run.id).points.at(-1)!.elapsedMs / 1000),
  );
  const xd = ((await loss.getAttribute('data-x-domain')) ?? '').split(',').map(Number);
  expect(xd[1]).toBeGreaterThanOrEqual(maxS - 1e-9);
  expect(xd[1]).toBeLessThan(maxS * 2 + 1);
  await page.getByLabel('Caption of the accuracy chart').fill(LONG_CAPTION);
  await page.waitForTimeout(200);
  r = await figureProblems(page);
  expect.soft(r.problems).toEqual([]);
  expect.soft(await cutSelects(page)).toEqual([]);
  await shots(page, 'compare');

  // Studies: a small learning-rate study; the same scales and the same text rules.
  await pickStudy(page, 'lr');
  await page.getByTestId('study-values').fill('0.1, 1');
  await page.getByTestId('study-small').check();
  await page.getByTestId('run-study').click();
  await expect(page.getByTestId('study-progress').getByRole('status')).toContainText('Done: 2 of 2', {
    timeout: 300_000,
  });
  const cmp = page.getByTestId('study-comparison');
  const sacc = cmp.locator('svg[data-figure="study-accuracy"]');
  const sloss = cmp.locator('svg[data-figure="study-loss"]');
  await expect(sacc.locator('[data-legend]')).toHaveCount(2, { timeout: 30_000 });
  await expect(sacc.locator('[data-legend]')).toHaveText([/LR 0\.1/, /LR 1/]);
  await cmp.getByTestId('loss-log').check();
  await expect(sloss).toHaveAttribute('data-y-scale', 'log');
  await cmp.getByTestId('acc-full').check();
  await expect(sacc).toHaveAttribute('data-y-domain', '0,1');
  await cmp.getByTestId('acc-full').uncheck();
  await expect(sacc).not.toHaveAttribute('data-y-domain', '0,1');
  await cmp.getByLabel('x axis').selectOption('time');
  await expect(sloss.locator('text.axis-label').first()).toContainText('wall-clock');
  await page.waitForTimeout(500);
  r = await figureProblems(page);
  expect(r.figures).toEqual(expect.arrayContaining(['study-loss', 'study-accuracy']));
  expect.soft(r.problems).toEqual([]);
  expect.soft(await cutSelects(page)).toEqual([]);
  await shots(page, 'studies');

  // Momentum: every figure of the simulator view.
  await view(page, 'momentum');
  await page.waitForTimeout(2500);
  r = await figureProblems(page);
  expect(r.figures.length).toBeGreaterThanOrEqual(3);
  expect.soft(r.problems).toEqual([]);
  expect.soft(await cutSelects(page)).toEqual([]);
  await shots(page, 'momentum');

  // The 2-D simulator's figures too.
  await page.getByRole('button', { name: '2-D', exact: true }).click();
  await page.waitForTimeout(2500);
  r = await figureProblems(page);
  expect(r.figures.length).toBeGreaterThanOrEqual(1);
  expect.soft(r.problems).toEqual([]);
  expect.soft(await cutSelects(page)).toEqual([]);
  await shots(page, 'momentum-2d');
});
