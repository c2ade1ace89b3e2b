import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendEval, endRun, insertRun } from '../../../src-core/node/store/record';
import { SessionStore } from '../../../src-core/node/store/session-store';
import { newRun, point } from '../../../src-core/node/store/test-helpers';
import { isolatedPoints, lineChartSvg, percentDomain } from './export-chart';
import { createExportServices } from './export';
import { nodeLauncher } from '../../workers/node-launcher';

// Issue 14, item 14 (reports): a run with one evaluation draws a dot, not an empty chart; one-evaluation and
// diverged runs are in the session comparison, marked; a study's report is titled by the study; Compare's report
// holds the runs compared, not the whole session. Real SQLite files, the real export service.

let dir: string;
let store: SessionStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mlab-report-sel-'));
  store = new SessionStore(join(dir, 'lab.db'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A session with: a run of 3 evaluations, a run of one, a run that diverged after one finite evaluation. */
function session(): number {
  const sid = store.currentSessionId();
  insertRun(store.db, { ...newRun('many', sid, { lr: 0.1 }), name: 'LR 0.1' });
  for (const it of [4, 8, 12]) appendEval(store.db, 'many', point(it), null, null);
  endRun(store.db, 'many', 'finished', '', 12, 100, 2);
  insertRun(store.db, { ...newRun('one', sid, { lr: 0.01 }), name: 'LR 0.01', startedAt: 1_700_000_000_001 });
  appendEval(store.db, 'one', point(4), null, null);
  endRun(store.db, 'one', 'finished', '', 4, 100, 2);
  insertRun(store.db, { ...newRun('div', sid, { lr: 5 }), name: 'LR 5', startedAt: 1_700_000_000_002 });
  appendEval(store.db, 'div', point(4), null, null);
  appendEval(store.db, 'div', point(8, { testLoss: Infinity, trainLoss: NaN, testAcc: 0.098 }), null, null);
  endRun(store.db, 'div', 'diverged', 'diverged at iteration 8: loss is Infinity', 8, 100, 2);
  return sid;
}

async function exportReport(payload: unknown): Promise<string> {
  const out = join(dir, `report-${Math.random().toString(36).slice(2)}.html`);
  const services = createExportServices(
    { launcher: nodeLauncher, emit: () => {}, pickDatasetFiles: async () => null, pickSavePath: async () => out },
    store,
  );
  await services.exportReport(payload);
  return readFileSync(out, 'utf8');
}

describe('report charts', () => {
  it('a series with one finite point draws a dot; an empty chart says it is empty', () => {
    const one = lineChartSvg({
      id: 'x',
      width: 400,
      height: 200,
      xLabel: 'iteration',
      yLabel: 'loss',
      caption: '',
      series: [{ label: 'test loss', color: '#000', xs: [40], ys: [0.3] }],
    });
    expect(one).toMatch(/<circle [^>]*data-point="test loss"/);
    expect(one).not.toContain('data-empty');
    // The dot stands inside the plot area (x: 60..384, y: 16..156).
    const [cx, cy] = [...one.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)"/g)].map((m) => [
      Number(m[1]),
      Number(m[2]),
    ])[0];
    expect(cx).toBeGreaterThan(60);
    expect(cx).toBeLessThan(384);
    expect(cy).toBeGreaterThan(16);
    expect(cy).toBeLessThan(156);
    const none = lineChartSvg({
      id: 'y',
      width: 400,
      height: 200,
      xLabel: 'iteration',
      yLabel: 'loss',
      caption: '',
      series: [{ label: 'l', color: '#000', xs: [1], ys: [NaN] }],
    });
    expect(none).toContain('no finite value to draw');
    // Points on a line get no dot; a finite point between non-finite ones does.
    expect(isolatedPoints({ label: '', color: '', xs: [1, 2, 3, 4, 5], ys: [1, 2, NaN, 4, NaN] })).toEqual([3]);
  });

  it('a run with one evaluation gets a dot in its own figures', async () => {
    const sid = session();
    const html = await exportReport({ sessionId: sid });
    const runSection = html.slice(html.indexOf('<h2>LR 0.01</h2>'));
    expect(runSection.slice(0, runSection.indexOf('</section>'))).toMatch(/<circle [^>]*data-point="test loss"/);
  });

  it('the session comparison includes one-evaluation and diverged runs, marked, each with a visible mark', async () => {
    const sid = session();
    const html = await exportReport({ sessionId: sid });
    const comparison = html.slice(
      html.indexOf('data-figure="session-testAcc"'),
      html.indexOf('data-figure="session-testLoss"'),
    );
    expect(comparison).toContain('LR 0.1</text>');
    expect(comparison).toContain('LR 0.01 [1 evaluation]');
    expect(comparison).toContain('LR 5 [diverged]');
    expect(comparison).toMatch(/<circle [^>]*data-point="LR 0.01 \[1 evaluation\]"/);
    const loss = html.slice(html.indexOf('data-figure="session-testLoss"'));
    // The diverged run's loss: one finite point, then Infinity: a dot where its line is cut.
    expect(loss).toMatch(/<circle [^>]*data-point="LR 5 \[diverged\]"/);
    expect(html).toMatch(/2 runs marked \[diverged\] or \[1 evaluation\]/);
  });

  it("a report of some runs (Compare's, a study's) holds those runs only, under the title asked for", async () => {
    const sid = session();
    const all = await exportReport({ sessionId: sid });
    expect(all).toContain('<h1>Session 1</h1>');
    expect((all.match(/<section class="run">/g) ?? []).length).toBe(3);
    const some = await exportReport({
      sessionId: sid,
      runIds: ['div', 'many'],
      title: 'Learning rate study, small settings',
    });
    expect(some).toContain('<h1>Learning rate study, small settings</h1>');
    expect(some).toContain('<title>Learning rate study, small settings — Momentum Lab report</title>');
    expect(some).not.toContain('<h1>Session 1</h1>');
    expect(some).toContain('From the session Session 1: 2 training runs (the runs compared)');
    expect([...some.matchAll(/<section class="run"><h2>([^<]*)<\/h2>/g)].map((m) => m[1])).toEqual(['LR 5', 'LR 0.1']);
    // A run of another session is refused, and nothing is written.
    const other = store.createSession('Other');
    insertRun(store.db, { ...newRun('elsewhere', other.id), name: 'Elsewhere' });
    await expect(exportReport({ sessionId: sid, runIds: ['many', 'elsewhere'] })).rejects.toThrow(
      /run elsewhere is not in session/,
    );
  });
});

const PCT = '\u00a0%';

/** Two runs whose test accuracy stays between 90 % and 97 %. */
function highAccuracySession(): number {
  const sid = store.currentSessionId();
  const accs = { a: [0.9, 0.93, 0.95, 0.97], b: [0.91, 0.92, 0.94, 0.96] };
  for (const [id, ys] of Object.entries(accs)) {
    insertRun(store.db, { ...newRun(id, sid, { lr: id === 'a' ? 0.1 : 0.01 }), name: `run ${id}` });
    ys.forEach((acc, k) =>
      appendEval(store.db, id, point(4 * (k + 1), { testAcc: acc, trainAcc: acc - 0.005 }), null, null),
    );
    endRun(store.db, id, 'finished', '', 16, 100, 2);
  }
  return sid;
}

/** The y tick labels of the figure `id` (right-aligned grey text left of the plot). */
function yTicks(html: string, id: string): string[] {
  const start = html.indexOf(`data-figure="${id}"`);
  expect(start).toBeGreaterThan(0);
  const svg = html.slice(start, html.indexOf('</svg>', start));
  return [...svg.matchAll(/text-anchor="end" fill="#333333">([^<]+)<\/text>/g)].map((m) => m[1]);
}

// Issue 14, item 6 in the HTML report: accuracy axes read percentages in the lab's number format (a no-break space
// before %) and take the app's automatic range, so runs at 90–97 % fill the plot instead of its top tenth.
describe('report accuracy axes', () => {
  it("the automatic range is the data's, padded by 5 % of its span, rounded out, inside [0, 1]", () => {
    // 0.90..0.97: pad 0.0035 -> [0.8965, 0.9735]; d3's nice rounds to its tick step 0.01 -> [0.89, 0.98].
    const [lo, hi] = percentDomain([0.9, 0.95, 0.97, NaN]);
    expect(lo).toBeCloseTo(0.89, 12);
    expect(hi).toBeCloseTo(0.98, 12);
    // Near 100 %: the padding would pass 1; the range stops at 1.
    expect(percentDomain([0.96, 1])[1]).toBe(1);
    // Nothing finite: the full range.
    expect(percentDomain([NaN])).toEqual([0, 1]);
  });

  it('per-run and session accuracy figures read percentages from about 89 %, not fractions from 0', async () => {
    const html = await exportReport({ sessionId: highAccuracySession() });
    for (const id of ['run-a-acc', 'run-b-acc', 'session-testAcc']) {
      const ticks = yTicks(html, id);
      expect(ticks.length).toBeGreaterThanOrEqual(3);
      for (const t of ticks) expect(t).toMatch(new RegExp(`^\\d+(\\.\\d)?${PCT}$`));
      const values = ticks.map((t) => Number.parseFloat(t));
      expect(Math.min(...values)).toBeGreaterThanOrEqual(85);
      expect(Math.max(...values)).toBeLessThanOrEqual(100);
    }
    // Loss axes keep their plain numbers.
    for (const t of yTicks(html, 'run-a-loss')) expect(t).not.toContain('%');
  });
});
