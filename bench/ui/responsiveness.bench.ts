import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import type { Page } from '@playwright/test';
import { expect, test } from '../../e2e/fixtures';

// How the page keeps up with the trainer, under load: two busy loops keep
// both cores occupied while the standard workload W trains in a real trainer
// process and the real renderer draws it in Chromium.
//  - finish lag: from the moment the main process has the worker's 'end'
//    message to the moment the status line says "finished" / "cancelled";
//  - long tasks (> 50 ms, the browser's own measure) during W, the longest;
//  - cancel: CANCELS attempts at random points of a long run; a freeze is a
//    status still not "cancelled" FREEZE_MS after the click.
// Figures are printed and written to bench/results/ui-responsiveness.json.

const CANCELS = Number(process.env['UI_BENCH_CANCELS'] ?? 20);
const FREEZE_MS = 10_000;

function busyLoops(n: number): ChildProcess[] {
  return Array.from({ length: n }, () => spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }));
}

async function watchPage(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __long: number[]; __status: [number, string][] };
    w.__long = [];
    w.__status = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__long.push(e.duration);
    }).observe({ type: 'longtask', buffered: false });
    new MutationObserver(() => {
      const el = document.querySelector('[data-testid="run-status"]');
      const text = el?.textContent ?? '';
      const last = w.__status[w.__status.length - 1];
      if (!last || last[1] !== text) w.__status.push([Date.now(), text]);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

async function readPage(page: Page): Promise<{ long: number[]; status: [number, string][] }> {
  return page.evaluate(() => {
    const w = window as unknown as { __long: number[]; __status: [number, string][] };
    const out = { long: w.__long.slice(), status: w.__status.slice() };
    w.__long.length = 0;
    w.__status.length = 0;
    return out;
  });
}

const quantile = (xs: number[], q: number) => {
  if (xs.length === 0) return NaN;
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

test('responsiveness under load: W, then repeated cancels', async ({ page, harness }) => {
  const ends: number[] = [];
  harness.lab.runs.observe((m) => {
    if (m.type === 'end') ends.push(Date.now());
  });
  const hogs = busyLoops(2);
  const result: Record<string, unknown> = { date: new Date().toISOString(), cores: cpus().length, busyLoops: 2 };
  try {
    // W: the defaults (784-64-10, BS 32, LR 0.1, 4 epochs, evaluation every 200).
    await watchPage(page);
    await page.getByTestId('train-button').click();
    await expect(page.getByTestId('run-status')).toHaveText(/^finished/, { timeout: 600_000 });
    await page.waitForTimeout(300);
    const w = await readPage(page);
    const shown = w.status.find(([, t]) => /^finished/.test(t))![0];
    result['W'] = {
      finishLagMs: shown - ends.at(-1)!,
      longTasks: w.long.length,
      longTasksOver100ms: w.long.filter((d) => d > 100).length,
      longestTaskMs: Math.round(Math.max(0, ...w.long)),
      longTaskTotalMs: Math.round(w.long.reduce((a, b) => a + b, 0)),
    };
    console.log('W', JSON.stringify(result['W']));

    // Cancels: a long run (20 epochs, evaluation every 500), cancelled after a random 1-8 s.
    await page.getByLabel('Epochs').fill('20');
    await page.getByLabel('Evaluate every').fill('500');
    const lags: number[] = [];
    let freezes = 0;
    for (let k = 0; k < CANCELS; k++) {
      await page.getByTestId('train-button').click();
      await expect(page.getByTestId('run-status')).toHaveText('running', { timeout: 60_000 });
      await page.waitForTimeout(1000 + Math.floor(Math.random() * 7000));
      const before = ends.length;
      await readPage(page);
      await page.getByTestId('cancel-button').click();
      const clicked = Date.now();
      try {
        await expect(page.getByTestId('run-status')).toHaveText(/^cancelled/, { timeout: FREEZE_MS });
      } catch {
        freezes++;
        await expect(page.getByTestId('run-status')).toHaveText(/^cancelled/, { timeout: 600_000 });
      }
      const s = await readPage(page);
      const shownAt = s.status.find(([, t]) => /^cancelled/.test(t))?.[0] ?? Date.now();
      const endAt = ends.length > before ? ends[ends.length - 1] : clicked;
      lags.push(shownAt - endAt);
      console.log(`cancel ${k + 1}/${CANCELS}: shown ${shownAt - endAt} ms after the worker's end`);
    }
    result['cancel'] = { attempts: CANCELS, freezes, lagMedianMs: quantile(lags, 0.5), lagMaxMs: Math.max(...lags) };
    console.log('cancel', JSON.stringify(result['cancel']));
  } finally {
    for (const h of hogs) h.kill();
    mkdirSync('bench/results', { recursive: true });
    writeFileSync('bench/results/ui-responsiveness.json', JSON.stringify(result, null, 2) + '\n');
  }
});
