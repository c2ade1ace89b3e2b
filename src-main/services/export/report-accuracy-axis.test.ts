import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendEval, endRun, insertRun } from '../../../src-core/node/store/record';
import { SessionStore } from '../../../src-core/node/store/session-store';
import { newRun, point } from '../../../src-core/node/store/test-helpers';
import { nodeLauncher } from '../../workers/node-launcher';
import { createExportServices } from './export';
import { percentDomain } from './export-chart';

// Issue 14, item 6 in the HTML report: accuracy axes read percentages in the lab's number format (a no-break space
// before %) and take the app's automatic range, so runs at 90–97 % fill the plot instead of its top tenth. Real SQLite
// files and the real export service; the expected ranges are worked out by hand below.

const PCT = '\u00a0%';
let dir: string;
let store: SessionStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mlab-report-acc-'));
  store = new SessionStore(join(dir, 'lab.db'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Two runs whose test accuracy stays between 90 % and 97 %. */
function session(): number {
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

async function report(sessionId: number): Promise<string> {
  const out = join(dir, 'report.html');
  const services = createExportServices(
    { launcher: nodeLauncher, emit: () => {}, pickDatasetFiles: async () => null, pickSavePath: async () => out },
    store,
  );
  await services.exportReport({ sessionId });
  return readFileSync(out, 'utf8');
}

/** The y tick labels of the figure `id` (right-aligned grey text left of the plot). */
function yTicks(html: string, id: string): string[] {
  const start = html.indexOf(`data-figure="${id}"`);
  expect(start).toBeGreaterThan(0);
  const svg = html.slice(start, html.indexOf('</svg>', start));
  return [...svg.matchAll(/text-anchor="end" fill="#333333">([^<]+)<\/text>/g)].map((m) => m[1]);
}

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
    const html = await report(session());
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
