import { aggregateSeeds } from '../../../src-core/analysis/seeds';
import type { RunCurves } from '../../../src-core/contracts/session-types';

// Runs repeated over seeds folded into one series per value: the mean on a
// common iteration grid, with min-max and ±1 sd. A run's value is its seed
// group (the run's seed_group field, "LR 0.1"), never read from its name.

export interface SeedSeries {
  label: string;
  runIds: string[];
  xs: number[];
  mean: Record<'testLoss' | 'trainLoss' | 'testAcc' | 'trainAcc', number[]>;
  lo: Record<'testLoss' | 'testAcc', number[]>;
  hi: Record<'testLoss' | 'testAcc', number[]>;
}

/** A run's seed group: its field, or (a run of no study) the run alone, named by its name. */
const groupOf = (c: RunCurves) => c.run.seedGroup ?? c.run.name;

/** Do some runs repeat one value over seeds (a seed group holds two runs or more)? */
export function hasSeedGroups(runs: readonly { seedGroup?: string | null }[]): boolean {
  const seen = new Set<string>();
  for (const r of runs) {
    if (!r.seedGroup) continue;
    if (seen.has(r.seedGroup)) return true;
    seen.add(r.seedGroup);
  }
  return false;
}

/** One series per seed group; band = min-max or mean ± 1 sd of the test metric. */
export function seedSeries(curves: readonly RunCurves[], band: 'minmax' | 'sd'): SeedSeries[] {
  const groups = new Map<string, RunCurves[]>();
  for (const c of curves) {
    const label = groupOf(c);
    groups.set(label, [...(groups.get(label) ?? []), c]);
  }
  return [...groups].map(([label, runs]) => {
    const curve = (k: 'testLoss' | 'trainLoss' | 'testAcc' | 'trainAcc') =>
      aggregateSeeds(runs.map((r) => ({ xs: r.points.map((p) => p.iter), ys: r.points.map((p) => p[k]) })));
    const tl = curve('testLoss');
    const ta = curve('testAcc');
    const lo = (b: typeof tl) => (band === 'minmax' ? b.min : b.mean.map((m, i) => m - b.sd[i]));
    const hi = (b: typeof tl) => (band === 'minmax' ? b.max : b.mean.map((m, i) => m + b.sd[i]));
    return {
      label: runs.length > 1 ? `${label} (${runs.length} seeds)` : label,
      runIds: runs.map((r) => r.run.id),
      xs: tl.xs,
      mean: {
        testLoss: tl.mean,
        trainLoss: curve('trainLoss').mean,
        testAcc: ta.mean,
        trainAcc: curve('trainAcc').mean,
      },
      lo: { testLoss: lo(tl), testAcc: lo(ta) },
      hi: { testLoss: hi(tl), testAcc: hi(ta) },
    };
  });
}
