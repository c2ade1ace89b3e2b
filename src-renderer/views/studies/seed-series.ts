import { aggregateSeeds } from '../../../src-core/analysis/seeds';
import type { RunCurves } from '../../../src-core/contracts/session-types';

// Runs repeated over seeds ("LR 0.1, seed 1", "LR 0.1, seed 2") folded into
// one series per value: the mean on a common iteration grid, with min-max
// and ±1 sd.

export interface SeedSeries {
  label: string;
  runIds: string[];
  xs: number[];
  mean: Record<'testLoss' | 'trainLoss' | 'testAcc' | 'trainAcc', number[]>;
  lo: Record<'testLoss' | 'testAcc', number[]>;
  hi: Record<'testLoss' | 'testAcc', number[]>;
}

const SEED_SUFFIX = /, seed \d+$/;

/** One series per label without its ", seed k"; band = min-max or mean ± 1 sd of the test metric. */
export function seedSeries(curves: readonly RunCurves[], band: 'minmax' | 'sd'): SeedSeries[] {
  const groups = new Map<string, RunCurves[]>();
  for (const c of curves) {
    const label = c.run.name.replace(SEED_SUFFIX, '');
    groups.set(label, [...(groups.get(label) ?? []), c]);
  }
  return [...groups].map(([label, runs]) => {
    const curve = (k: 'testLoss' | 'trainLoss' | 'testAcc' | 'trainAcc') => aggregateSeeds(runs.map((r) => ({ xs: r.points.map((p) => p.iter), ys: r.points.map((p) => p[k]) })));
    const tl = curve('testLoss');
    const ta = curve('testAcc');
    const lo = (b: typeof tl) => (band === 'minmax' ? b.min : b.mean.map((m, i) => m - b.sd[i]));
    const hi = (b: typeof tl) => (band === 'minmax' ? b.max : b.mean.map((m, i) => m + b.sd[i]));
    return {
      label: runs.length > 1 ? `${label} (${runs.length} seeds)` : label,
      runIds: runs.map((r) => r.run.id),
      xs: tl.xs,
      mean: { testLoss: tl.mean, trainLoss: curve('trainLoss').mean, testAcc: ta.mean, trainAcc: curve('trainAcc').mean },
      lo: { testLoss: lo(tl), testAcc: lo(ta) },
      hi: { testLoss: hi(tl), testAcc: hi(ta) },
    };
  });
}
