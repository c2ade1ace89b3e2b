import type { Locator, Page } from '@playwright/test';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LabEvent } from '../src-core/contracts/lab-api';
import { exportSessionFile } from '../src-core/node/store/session-file';
import { expect, test } from './fixtures';
import { idxBytes } from '../src-core/node/idx-test-helpers';

// Desktop conventions end to end: keyboard-only use, shortcuts, the theme
// switch, the guide with its "show as table" chart, menu commands and files
// dropped on the window.

const mod = process.platform === 'darwin' ? 'Meta' : 'Control';

/** Press Tab (or Shift+Tab) until the target has focus; fails if it never gets there. */
async function tabTo(page: Page, target: Locator, { back = false, max = 80 } = {}): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`Tab never reached ${target}`);
}

/** The focus ring of the focused element: its outline, as the page computes it. */
const focusOutline = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement;
    const cs = getComputedStyle(el);
    return { style: cs.outlineStyle, width: parseFloat(cs.outlineWidth), color: cs.outlineColor };
  });

const colours = (page: Page) =>
  page.evaluate(() => {
    const body = getComputedStyle(document.body);
    return {
      bg: body.backgroundColor,
      fg: body.color,
      accent: getComputedStyle(document.documentElement).getPropertyValue('--accent').trim(),
    };
  });

test('a short standard run, by keyboard only: Tab, typing, Ctrl+Enter to train; Escape cancels a long one', async ({
  page,
  harness,
}) => {
  await expect(page.getByTestId('dataset-name')).toContainText('MNIST');
  await page.locator('body').click({ position: { x: 1, y: 1 } }); // a neutral start: nothing focused

  // Every stop on the way shows a focus ring.
  await tabTo(page, page.getByLabel('Epochs'));
  const ring = await focusOutline(page);
  expect(ring.style).toBe('solid');
  expect(ring.width).toBeGreaterThanOrEqual(2);
  await page.keyboard.press(`${mod}+A`);
  await page.keyboard.type('1');
  await tabTo(page, page.getByLabel('Evaluate every'));
  await page.keyboard.press(`${mod}+A`);
  await page.keyboard.type('5');

  // The subset radios: arrow keys choose "Per class", Tab reaches its count.
  await tabTo(page, page.getByRole('radio', { name: /^All/ }));
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('radio', { name: 'Per class' })).toBeChecked();
  await tabTo(page, page.getByLabel('Examples per class'));
  await page.keyboard.press(`${mod}+A`);
  await page.keyboard.type('10');
  await expect(page.getByText('10 × 10 = 100 examples')).toBeVisible();
  await harness.shot('desktop-keyboard-form');

  // Ctrl/Cmd+Enter trains, wherever the focus is.
  await page.keyboard.press(`${mod}+Enter`);
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'finished', { timeout: 60_000 });
  expect(
    harness.events.some((e) => e.channel === 'train' && e.message.type === 'end' && e.message.status === 'finished'),
  ).toBe(true);

  // The accuracy chart, read by keyboard: focus it, → puts the crosshair on the last iteration.
  const accChart = page.locator('svg[data-figure="training-accuracy"]');
  await tabTo(page, accChart);
  await page.keyboard.press('ArrowRight');
  const tip = page.getByTestId('chart-tooltip');
  await expect(tip).toBeVisible();
  const at = ((await tip.locator('.tip-head').textContent()) ?? '').replace(/^iteration\s*/, '').trim();
  const tipRows = await tip.locator('.tip-row').evaluateAll((rows) =>
    rows.map((r) => ({
      label: r.querySelector('.tip-label')?.textContent?.trim() ?? '',
      value: r.querySelector('.tip-value')?.textContent?.trim() ?? '',
    })),
  );
  const exact = tipRows.filter((r) => !r.value.includes('@'));
  expect(exact.length).toBeGreaterThan(0);
  // Its "Show as table" (Shift+Tab back to it, Enter): the last row holds the same values.
  const accFigure = page.locator('figure', { has: accChart });
  await page.keyboard.press('Escape');
  await tabTo(page, accFigure.getByTestId('show-as-table'), { back: true });
  await page.keyboard.press('Enter');
  await expect(accChart).toBeHidden();
  const table = accFigure.getByTestId('data-table');
  const headers = await table.locator('thead th').allTextContents();
  const last = table.locator('tbody tr').last();
  await expect(last.locator('th')).toHaveText(at);
  const cells = await last.locator('td').allTextContents();
  for (const r of exact) expect(cells[headers.indexOf(r.label) - 1], `${r.label} at iteration ${at}`).toBe(r.value);
  await harness.shot('desktop-training-table');
  await page.keyboard.press('Enter');
  await expect(accChart).toBeVisible();

  // Escape cancels a long run: all 60,000 examples, 4 epochs.
  await tabTo(page, page.getByRole('radio', { name: 'Per class' }), { back: true });
  await page.keyboard.press('ArrowUp');
  await expect(page.getByRole('radio', { name: /^All/ })).toBeChecked();
  await tabTo(page, page.getByLabel('Epochs'), { back: true });
  await page.keyboard.press(`${mod}+A`);
  await page.keyboard.type('4');
  await page.keyboard.press(`${mod}+Enter`);
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'running');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'cancelled', { timeout: 30_000 });
});

/**
 * Tab through the page once. Answers the visible, enabled controls Tab never
 * reached (a radio group counts once: its checked radio) and those that
 * showed no focus ring (outline or box-shadow) when it did.
 */
async function tabWalk(page: Page, max = 600): Promise<{ total: number; missed: string[]; noRing: string[] }> {
  const total = await page.evaluate(() => {
    // Native controls, anything made focusable, and ARIA widgets (which must be focusable too).
    const sel =
      'a[href], button:not(:disabled), input:not(:disabled), select:not(:disabled), textarea:not(:disabled), [tabindex]:not([tabindex="-1"]), ' +
      '[role="button"]:not([aria-disabled="true"]), [role="tab"], [role="slider"], [role="checkbox"], [role="switch"], [role="link"], [role="menuitem"]';
    const els = [...document.querySelectorAll<HTMLElement>(sel)].filter((el) => {
      if (el.getClientRects().length === 0 || el.closest('dialog:not([open]), [inert], [hidden]')) return false;
      // Inside a closed <details> only its summary can take focus.
      const closed = el.closest('details:not([open])');
      if (closed && !el.closest('summary')) return false;
      if (el instanceof HTMLInputElement && el.type === 'radio' && !el.checked) {
        const group = document.querySelectorAll<HTMLInputElement>(`input[type="radio"][name="${el.name}"]`);
        if ([...group].some((r) => r.checked)) return false;
      }
      return true;
    });
    els.forEach((el, i) => el.setAttribute('data-tabcheck', String(i)));
    (document.activeElement as HTMLElement | null)?.blur();
    return els.length;
  });
  const seen = new Set<string>();
  const noRing: string[] = [];
  for (let i = 0; i < max && seen.size < total; i++) {
    await page.keyboard.press('Tab');
    const info = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el) return null;
      const cs = getComputedStyle(el);
      const ring = (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 1) || cs.boxShadow !== 'none';
      const name = `${el.tagName.toLowerCase()} "${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40)}"`;
      return { id: el.getAttribute('data-tabcheck'), ring, name };
    });
    if (!info?.id) continue;
    if (!seen.has(info.id) && !info.ring) noRing.push(info.name);
    seen.add(info.id);
  }
  const missed = await page.evaluate(
    (ids) =>
      [...document.querySelectorAll<HTMLElement>('[data-tabcheck]')]
        .filter((el) => !ids.includes(el.getAttribute('data-tabcheck') ?? ''))
        .map(
          (el) =>
            `${el.tagName.toLowerCase()} "${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40)}"`,
        ),
    [...seen],
  );
  return { total, missed, noRing };
}

test('every control of every view is reached by Tab and shows a focus ring', async ({ page, harness }) => {
  await expect(page.getByTestId('dataset-name')).toContainText('MNIST');
  const views = await page
    .locator('nav button[data-view]')
    .evaluateAll((bs) => bs.map((b) => b.getAttribute('data-view') ?? ''));
  expect(views.slice(0, 2)).toEqual(['training', 'momentum']);
  for (const view of views) {
    await page.locator(`nav button[data-view="${view}"]`).click();
    await page.waitForTimeout(500);
    const walk = await tabWalk(page);
    expect(walk.total, `${view}: controls found`).toBeGreaterThan(5);
    expect(walk.missed, `${view}: controls Tab never reached`).toEqual([]);
    expect(walk.noRing, `${view}: controls without a visible focus ring`).toEqual([]);
  }
  await harness.shot('desktop-tab-walk');
});

test('Ctrl+1..5 switch views, and menu commands pushed from the main process reach the shell', async ({
  page,
  harness,
}) => {
  await expect(page.getByTestId('dataset-name')).toContainText('MNIST');
  await page.keyboard.press(`${mod}+2`);
  await expect(page.locator('nav button[data-view="momentum"]')).toHaveAttribute('aria-current', 'page');
  await expect(page.locator('main')).toBeFocused();
  // The view is remembered: a restart (here a reload on the same services) opens on it.
  await expect.poll(() => harness.lab.services.desktopState()).toEqual({ lastView: 'momentum' });
  await harness.reload();
  await expect(page.locator('nav button[data-view="momentum"]')).toHaveAttribute('aria-current', 'page');
  await page.keyboard.press(`${mod}+5`);
  await expect(page.locator('nav button[data-view="studies"]')).toHaveAttribute('aria-current', 'page');
  await expect.poll(() => harness.lab.services.desktopState()).toEqual({ lastView: 'studies' });
  await harness.shot('desktop-ctrl5-studies');
  await page.keyboard.press(`${mod}+1`);
  await expect(page.locator('nav button[data-view="training"]')).toHaveAttribute('aria-current', 'page');

  // The shortcut is in the tooltip and in aria-keyshortcuts.
  const momentumTab = page.locator('nav button[data-view="momentum"]');
  await expect(momentumTab).toHaveAttribute('title', /Momentum \((Ctrl\+2|⌘2)\)/);
  await expect(momentumTab).toHaveAttribute('aria-keyshortcuts', /^(Control|Meta)\+2$/);
  await expect(page.locator('nav button[data-view="studies"]')).toHaveAttribute('title', /Studies \((Ctrl\+5|⌘5)\)/);

  // A command as the application menu sends it (LabEvent { channel: 'command' }).
  const emit = async (command: unknown) => harness.emit({ channel: 'command', command } as LabEvent);
  await emit({ type: 'view.show', view: 'momentum' });
  await expect(momentumTab).toHaveAttribute('aria-current', 'page');
  await emit({ type: 'help.shortcuts' });
  await expect(page.getByTestId('shortcuts-dialog')).toBeVisible();
  await expect(page.getByTestId('shortcuts-dialog')).toContainText('Export figure');
  await expect(page.getByTestId('shortcuts-dialog')).toContainText('Studies view');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('shortcuts-dialog')).toBeHidden();
  // Ctrl/Cmd+E exports the figure in view (the Training view's loss chart) as a PNG with its caption.
  await page.keyboard.press(`${mod}+1`);
  const out = join(mkdtempSync(join(tmpdir(), 'mlab-e2e-fig-')), 'loss.png');
  harness.nextSavePath = out;
  await page.keyboard.press(`${mod}+E`);
  await expect(page.getByTestId('notice')).toContainText('Saved the figure to');
  expect(existsSync(out)).toBe(true);
  expect([...readFileSync(out).subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
  // Run > Run Study… leads to the Studies view.
  await emit({ type: 'run.study' });
  await expect(page.locator('nav button[data-view="studies"]')).toHaveAttribute('aria-current', 'page');
  await expect(page.getByTestId('notice')).toContainText('Run Study');
  await page.keyboard.press(`${mod}+2`);
  // A malformed command is ignored.
  await emit({ type: 'rm -rf' });
  await expect(momentumTab).toHaveAttribute('aria-current', 'page');
});

test('the theme follows the system, switches by hand and by shortcut, and is remembered', async ({ page, harness }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await expect(page.getByTestId('dataset-name')).toContainText('MNIST');
  const light = await colours(page);
  expect(light.bg).toBe('rgb(255, 255, 255)');

  // System dark: the colours change without touching the switch.
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect.poll(async () => (await colours(page)).bg).toBe('rgb(21, 24, 30)');
  const dark = await colours(page);
  expect(dark.fg).not.toBe(light.fg);
  expect(dark.accent).not.toBe(light.accent);

  // Pin light by the switch (keyboard: focus the select, choose with the arrows).
  await page.getByTestId('theme-select').selectOption('light');
  await expect.poll(async () => (await colours(page)).bg).toBe('rgb(255, 255, 255)');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await harness.shot('desktop-theme-light');

  // Ctrl/Cmd+Shift+L toggles.
  await page.locator('body').click({ position: { x: 1, y: 1 } });
  await page.keyboard.press(`${mod}+Shift+L`);
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect.poll(async () => (await colours(page)).bg).toBe('rgb(21, 24, 30)');
  await harness.shot('desktop-theme-dark');
  await page.keyboard.press(`${mod}+/`);
  await expect(page.getByTestId('shortcuts-dialog')).toBeVisible();
  await harness.shot('desktop-shortcuts-dark');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('shortcuts-dialog')).toBeHidden();

  // Remembered across a reload, even when the system says light.
  await page.emulateMedia({ colorScheme: 'light' });
  await harness.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(page.getByTestId('theme-select')).toHaveValue('dark');
});

test('the guide opens from the ? button and F1, walks four steps, and its chart can be shown as a table with the same values', async ({
  page,
  harness,
}) => {
  await expect(page.getByTestId('dataset-name')).toContainText('MNIST');
  // Not opened on its own under automation (it would cover every other test), but one press away.
  await expect(page.getByTestId('guide')).toBeHidden();
  await page.keyboard.press('F1');
  const guide = page.getByTestId('guide');
  await expect(guide).toBeVisible();
  await expect(guide).toContainText('Step 1 of 4');
  await expect(guide.getByRole('heading')).toHaveText('Train the standard run');
  await page.getByTestId('guide-next').click();
  await expect(guide).toContainText('Step 2 of 4');
  await page.getByTestId('guide-next').press('Enter');
  await expect(guide).toContainText('Step 3 of 4');
  await expect(guide.getByRole('heading')).toHaveText('Momentum, in one dimension');
  await harness.shot('desktop-guide-momentum');

  // The chart's values at the last step, read from its keyboard crosshair (focus it, press →).
  const chart = guide.locator('svg[data-figure="guide-momentum"]');
  await chart.focus();
  await page.keyboard.press('ArrowRight');
  const tip = page.getByTestId('chart-tooltip');
  await expect(tip).toBeVisible();
  const tipValues = await tip.locator('.tip-row').evaluateAll((rows) =>
    rows.map((r) => ({
      label: r.querySelector('.tip-label')?.textContent?.trim(),
      value: r.querySelector('.tip-value')?.textContent?.trim(),
    })),
  );
  expect(tipValues.map((v) => v.label)).toEqual(['d = 0.5', 'd = 1.05']);

  // Show as table: one row per step, the same numbers.
  await guide.getByTestId('show-as-table').click();
  await expect(guide.getByTestId('show-as-table')).toHaveAttribute('aria-pressed', 'true');
  await expect(chart).toBeHidden();
  const table = guide.getByTestId('data-table');
  await expect(table.locator('thead th')).toHaveText(['step t', 'd = 0.5', 'd = 1.05']);
  await expect(table.locator('tbody tr')).toHaveCount(41);
  await expect(table.locator('tbody tr').first().locator('th')).toHaveText('0');
  await expect(table.locator('tbody tr').first().locator('td')).toHaveText(['1', '1']);
  const lastRow = table.locator('tbody tr').last();
  await expect(lastRow.locator('th')).toHaveText('40');
  await expect(lastRow.locator('td')).toHaveText(tipValues.map((v) => v.value ?? ''));
  // d = 1.05 diverges: by step 40 it is far from 0, d = 0.5 has converged.
  const [conv, div] = (await lastRow.locator('td').allTextContents()).map(Number);
  expect(Math.abs(conv)).toBeLessThan(1e-3);
  expect(Math.abs(div)).toBeGreaterThan(1);
  await harness.shot('desktop-guide-table');

  await guide.getByTestId('show-as-table').click();
  await expect(chart).toBeVisible();
  await page.getByTestId('guide-next').click();
  await expect(guide).toContainText('Step 4 of 4');
  await guide.getByRole('button', { name: 'Finish' }).click();
  await expect(guide).toBeHidden();

  // Reopened from the ? button; Escape skips.
  await page.getByTestId('open-guide').click();
  await expect(guide).toContainText('Step 1 of 4');
  await page.keyboard.press('Escape');
  await expect(guide).toBeHidden();
});

const idx = (dims: number[], fill: (i: number) => number) => Array.from(idxBytes(dims, fill));

async function drop(page: Page, files: { name: string; bytes: number[] }[]) {
  await page.evaluate((fs) => {
    const dt = new DataTransfer();
    for (const f of fs) dt.items.add(new File([new Uint8Array(f.bytes)], f.name));
    window.dispatchEvent(new DragEvent('dragenter', { dataTransfer: dt, bubbles: true, cancelable: true }));
    window.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, files);
}

test('four IDX files dropped on the window become the dataset after validation; bad drops are refused with a reason', async ({
  page,
  harness,
}) => {
  await expect(page.getByTestId('dataset-name')).toContainText('MNIST');
  const train = 50;
  const test = 20;
  const px = (i: number) => (i * 37) % 256;
  const files = [
    { name: 'train-images-idx3-ubyte', bytes: idx([train, 28, 28], px) },
    { name: 'train-labels-idx1-ubyte', bytes: idx([train], (i) => i % 10) },
    { name: 't10k-images-idx3-ubyte', bytes: idx([test, 28, 28], px) },
    { name: 't10k-labels-idx1-ubyte', bytes: idx([test], (i) => (i * 3) % 10) },
  ];

  // Two files only: refused in the page, nothing sent.
  await drop(page, files.slice(0, 2));
  await expect(page.getByTestId('notice')).toContainText('Drop all four IDX files at once');

  // A label outside 0..9: refused by the main process, the dataset stays MNIST.
  const bad = files.map((f) => (f.name === 't10k-labels-idx1-ubyte' ? { ...f, bytes: idx([test], () => 12) } : f));
  await drop(page, bad);
  await expect(page.getByTestId('notice')).toContainText('Dataset not opened');
  await expect(page.getByTestId('notice')).toContainText('outside 0..9');
  await expect(page.getByTestId('dataset-name')).toContainText('MNIST');

  // The good quadruple, shuffled: recognised by header and name, opened, shown.
  await drop(page, [files[3], files[0], files[2], files[1]]);
  await expect(page.getByTestId('notice')).toContainText('Now training on');
  await expect(page.getByTestId('dataset-name')).not.toContainText('MNIST');
  await expect(page.getByTestId('dataset-name')).toContainText('50 train / 20 test');
  expect(harness.lab.datasets.info().trainCount).toBe(train);
  await harness.shot('desktop-dropped-dataset');

  // A session file: imported through the session store's checks.
  await drop(page, [{ name: 'week3.mlab', bytes: [1, 2, 3, 4] }]);
  await expect(page.getByTestId('notice')).toContainText('Session not opened');
  const dir = mkdtempSync(join(tmpdir(), 'mlab-e2e-session-'));
  const file = join(dir, 'week3.mlab');
  const store = harness.lab.store;
  const id = store.createSession('Week 3 homework').id;
  exportSessionFile(store, id, file);
  const before = store.listSessions().length;
  await drop(page, [{ name: 'week3.mlab', bytes: [...readFileSync(file)] }]);
  await expect(page.getByTestId('notice')).toContainText('Imported “Week 3 homework');
  expect(store.listSessions().length).toBe(before + 1);
});
