import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_KEPT_EVALS, thinEvals } from './eval-budget';
import { appendEval, insertRun } from './record';
import { SessionStore } from './session-store';
import { detail, newRun, point } from './test-helpers';

// The evaluation budget on a real SQLite file: however many evaluations a run
// makes, it keeps at most MAX_KEPT_EVALS rows — always the first, the best
// and the latest, the rest a regular grid — and the file stops growing.

const dir = mkdtempSync(join(tmpdir(), 'ml-budget-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A seeded accuracy series with noise, so the best point moves around. */
function accuracies(n: number, seed: number): number[] {
  let a = seed >>> 0;
  const rnd = () => (a = (Math.imul(a ^ (a >>> 15), 2246822507) + 0x9e3779b9) >>> 0) / 4294967296;
  return Array.from({ length: n }, (_, k) =>
    Math.min(0.99, 0.3 + 0.6 * (1 - Math.exp(-k / (n / 4))) + (rnd() - 0.5) * 0.1),
  );
}

/** Bytes the file's live pages take (freed pages are reused, so this is what the file grows to). */
const usedBytes = (s: SessionStore) =>
  ((s.db.pragma('page_count', { simple: true }) as number) -
    (s.db.pragma('freelist_count', { simple: true }) as number)) *
  (s.db.pragma('page_size', { simple: true }) as number);

describe('the evaluation budget', () => {
  for (const [n, every, seed] of [
    [300, 1, 1],
    [2000, 3, 2],
    [6000, 200, 3],
  ] as const) {
    it(`${n} evaluations every ${every} iterations: ≤ ${MAX_KEPT_EVALS} kept; first, best and last kept; the rest a complete regular grid`, () => {
      const store = new SessionStore(join(dir, `b-${n}.db`));
      try {
        const runId = `r${n}`;
        insertRun(store.db, newRun(runId, store.currentSessionId(), { evalEvery: every }));
        const acc = accuracies(n, seed);
        const iters = acc.map((_, k) => (k + 1) * every);
        let stride = 1;
        for (let k = 0; k < n; k++) {
          store.db.transaction(() => {
            appendEval(store.db, runId, point(iters[k], { testAcc: acc[k] }), detail(), null);
            stride = thinEvals(store.db, runId, every, stride);
          })();
          const count = store.db.prepare('SELECT COUNT(*) FROM evals WHERE run_id = ?').pluck().get(runId) as number;
          expect(count).toBeLessThanOrEqual(MAX_KEPT_EVALS);
        }
        const kept = store.db
          .prepare('SELECT iter FROM evals WHERE run_id = ? ORDER BY iter')
          .pluck()
          .all(runId) as number[];
        // Oracle from the full series, computed here: first, last, best (earliest on ties).
        let best = 0;
        for (let k = 1; k < n; k++) if (acc[k] > acc[best]) best = k;
        expect(kept[0]).toBe(iters[0]);
        expect(kept.at(-1)).toBe(iters[n - 1]);
        expect(kept).toContain(iters[best]);
        // Every other kept point is on the final grid, and no grid point is missing.
        const onGrid = (it: number) => (it / every) % stride === 0;
        const grid = iters.filter(onGrid);
        const protectedSet = new Set([iters[0], iters[n - 1], iters[best]]);
        expect(kept.filter((it) => !protectedSet.has(it)).every(onGrid)).toBe(true);
        for (const g of grid) expect(kept).toContain(g);
        if (n <= MAX_KEPT_EVALS) expect(kept.length).toBe(n);
        else expect(stride).toBeGreaterThan(1);
      } finally {
        store.close();
      }
    }, 120_000);
  }

  it('the file stops growing: 4,000 evaluations with 10,000 predictions each take no more room than 500', () => {
    const store = new SessionStore(join(dir, 'growth.db'));
    try {
      const runId = 'g';
      insertRun(store.db, newRun(runId, store.currentSessionId(), { evalEvery: 1 }));
      const acc = accuracies(4000, 9);
      const big = detail(10_000);
      let stride = 1;
      const sizes: Record<number, number> = {};
      for (let k = 0; k < 4000; k++) {
        store.db.transaction(() => {
          appendEval(store.db, runId, point(k + 1, { testAcc: acc[k] }), big, null);
          stride = thinEvals(store.db, runId, 1, stride);
        })();
        if (k + 1 === 500 || k + 1 === 4000) sizes[k + 1] = usedBytes(store);
      }
      console.log(
        `evaluation budget: live pages after 500 evaluations ${(sizes[500] / 1e6).toFixed(1)} MB, after 4,000 ${(sizes[4000] / 1e6).toFixed(1)} MB (without the budget: ~${((4000 * 10_100) / 1e6).toFixed(0)} MB)`,
      );
      expect(sizes[4000]).toBeLessThanOrEqual(sizes[500] * 1.05);
      expect(sizes[4000]).toBeLessThan(MAX_KEPT_EVALS * 12_000 + 1e6);
    } finally {
      store.close();
    }
  }, 300_000);
});
