import type { Page } from '@playwright/test';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listSims } from '../src-core/node/store/sims';
import { expect, test } from './fixtures';
import { exportAs as exportIn, expectSameAsCli as sameIn } from './helpers/momentum-export';
import { svgFileProblems } from './text-boxes';

// The Momentum view's x_t chart and phase diagram export through the main process's figure builder: the files the
// view writes are byte for byte what `momentum-lab figure --sim / --phase` writes for the same settings (one
// builder, one rasteriser), their text stays inside the figure and apart, and the view itself is looked at in both
// themes at 1280 and 1920 px.

const dir = mkdtempSync(join(tmpdir(), 'mlab-e2e-momfig-'));
const dbPath = join(dir, 'lab.db');
test.use({ labOptions: { dbPath } });

const expectSameAsCli = (files: [string, Buffer][], ...args: string[]) => sameIn(dir, files, ...args);
const exportAs = (page: Page, harness: { nextSavePath: string | null }, figure: string, file: string) =>
  exportIn(page, harness, dir, figure, file);

/** Show a PNG file in a page of its own and save the screenshot, so a person can look at the exported pixels. */
async function look(page: Page, file: string, shot: string) {
  const p = await page.context().newPage();
  const b64 = readFileSync(join(dir, file)).toString('base64');
  await p.setContent(`<body style="margin:0;background:#888"><img src="data:image/png;base64,${b64}"></body>`);
  await p.screenshot({ path: `e2e/screenshots/${shot}.png`, fullPage: true });
  await p.close();
}

async function shots(page: Page, name: string) {
  for (const width of [1280, 1920]) {
    await page.setViewportSize({ width, height: 900 });
    for (const theme of ['light', 'dark'] as const) {
      await page.evaluate((t) => document.documentElement.setAttribute('data-theme', t), theme);
      await page.waitForTimeout(200);
      await page.screenshot({ path: `e2e/screenshots/${name}-${width}-${theme}.png`, fullPage: true });
      // The phase diagram's colour key up close: laid out from measured text at this column's width.
      await page
        .locator('svg[data-figure="momentum-phase"]')
        .screenshot({ path: `e2e/screenshots/${name}-phase-${width}-${theme}.png` });
    }
  }
  await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'light'));
  await page.setViewportSize({ width: 1280, height: 900 });
}

test("the view's x_t and phase-diagram exports are the CLI's figures, byte for byte", async ({ page, harness }) => {
  test.setTimeout(240_000);
  await page.locator('[data-view="momentum"]').click();
  await expect(page.locator('svg[data-figure="momentum-phase"] image')).toBeAttached({ timeout: 60_000 });
  const store = harness.lab.store;
  const session = store.currentSessionId();
  // The view saves its simulation once the settings stay put (1.5 s): the five heavy-ball runs of the main chart.
  const main = () =>
    listSims(store.db, session).find(
      (m) => m.request.runs.every((r) => r.kind === 'heavy-ball') && m.request.runs.length === 5,
    );
  await expect.poll(() => main() !== undefined, { timeout: 20_000 }).toBe(true);
  const sim = main()!;

  const viewSvg = await exportAs(page, harness, 'momentum-x', 'view-x.svg');
  const viewPng = await exportAs(page, harness, 'momentum-x', 'view-x.png');
  expectSameAsCli(
    [
      ['cli-x.svg', viewSvg],
      ['cli-x.png', viewPng],
    ],
    String(session),
    '--sim',
    sim.id,
    '--db',
    dbPath,
  );
  const x = viewSvg.toString('utf8');
  expect(x).toContain('data-caption="Momentum 1-D; quadratic λ=1; LR:0.1; d: 0.9, 0, 0.5, 1, 1.1; x0: 1; STEPS: 200."');
  expect([...x.matchAll(/data-legend="([^"]*)"/g)].map((m) => m[1])).toEqual([
    'd = 0.9 ◆',
    'd = 0',
    'd = 0.5',
    'd = 1',
    'd = 1.1 (diverged)',
  ]);

  // The phase diagram: the view's grid, colour choice and its marker at (h = lr·λ = 0.1, d = 0.9).
  const phaseSvg = await exportAs(page, harness, 'momentum-phase', 'view-phase.svg');
  const phasePng = await exportAs(page, harness, 'momentum-phase', 'view-phase.png');
  expectSameAsCli(
    [
      ['cli-phase.svg', phaseSvg],
      ['cli-phase.png', phasePng],
    ],
    '--phase',
    '--mark',
    '0.1,0.9',
  );
  expect(phaseSvg.toString('utf8')).toContain('data-mark="0"');
  // Coloured by the steps to tolerance in the view: the export follows, and so does the CLI's --colour-by.
  await page.getByTestId('phase-colour').selectOption('steps');
  const steps = await exportAs(page, harness, 'momentum-phase', 'view-phase-steps.svg');
  expect(steps.toString('utf8')).toContain('steps until |x| ≤ 1e-6');
  expectSameAsCli([['cli-phase-steps.svg', steps]], '--phase', '--mark', '0.1,0.9', '--colour-by', 'steps');

  // Text inside each exported figure and apart, as Chromium lays it out; and the pixels, looked at.
  for (const file of ['view-x.svg', 'view-phase.svg', 'view-phase-steps.svg']) {
    const p = await page.context().newPage();
    await p.goto(`file://${join(dir, file)}`);
    expect.soft(await svgFileProblems(p), file).toEqual([]);
    await p.close();
  }
  await look(page, 'view-x.png', 'momentum-export-x');
  await look(page, 'view-phase.png', 'momentum-export-phase');
  await shots(page, 'momentum-figures');
});
