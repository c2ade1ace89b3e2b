import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../../src-core/contracts/session-types';
import { studyGroups } from './study-groups';
import { seedSeries } from './seed-series';

const run = (id: string, sweepId: string | null, notes: string, startedAt: number, name = id) => ({ id, sweepId, notes, startedAt, name }) as unknown as RunSummary;

describe('studies found in a session', () => {
  it("groups runs by sweep when their notes name a study, newest study first, runs in start order", () => {
    const g = studyGroups([
      run('a', 's1', 'Study: LR study', 1),
      run('b', 's1', 'Study: LR study', 2),
      run('c', 's2', 'Study: Momentum study\nmy note', 10),
      run('d', 's3', 'a plain sweep', 5),
      run('e', null, 'Study: ignored without sweep', 6),
    ]);
    expect(g.map((x) => [x.name, x.runs.map((r) => r.id)])).toEqual([
      ['Momentum study', ['c']],
      ['LR study', ['a', 'b']],
    ]);
  });
});

describe('seed series', () => {
  it('folds ", seed k" runs into one mean series with a min-max band', () => {
    const pts = (accs: number[]) => accs.map((testAcc, i) => ({ iter: (i + 1) * 10, epoch: 0, examples: 0, trainLoss: 1, trainAcc: 0.5, testLoss: 1 - testAcc, testAcc, elapsedMs: 0 }));
    const s = seedSeries(
      [
        { run: run('a', 's', '', 0, 'LR 0.1, seed 1'), points: pts([0.5, 0.7]) },
        { run: run('b', 's', '', 0, 'LR 0.1, seed 2'), points: pts([0.7, 0.9]) },
        { run: run('c', 's', '', 0, 'LR 1, seed 1'), points: pts([0.1, 0.1]) },
      ],
      'minmax',
    );
    expect(s.map((x) => x.label)).toEqual(['LR 0.1 (2 seeds)', 'LR 1']);
    expect(s[0].mean.testAcc[0]).toBeCloseTo(0.6, 12);
    expect(s[0].lo.testAcc).toEqual([0.5, 0.7]);
    expect(s[0].hi.testAcc).toEqual([0.7, 0.9]);
  });
});
