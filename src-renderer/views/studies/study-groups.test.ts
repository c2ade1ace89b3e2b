import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../../src-core/contracts/session-types';
import { studyGroups } from './study-groups';
import { hasSeedGroups, seedSeries } from './seed-series';

type StudyOf = RunSummary['study'];
const study = (id: string, name: string, kind: NonNullable<StudyOf>['kind'] = 'lr'): StudyOf => ({ id, name, kind });
const run = (id: string, s: StudyOf, notes: string, startedAt: number, name = id, seedGroup: string | null = null) =>
  ({ id, sweepId: s?.id ?? null, study: s, seedGroup, notes, startedAt, name }) as unknown as RunSummary;

describe('studies found in a session', () => {
  it('groups runs by their study field, newest study first, runs in start order; notes play no part', () => {
    const g = studyGroups([
      run('a', study('s1', 'LR study'), '', 1),
      run('b', study('s1', 'LR study'), 'edited by the user', 2),
      run('c', study('s2', 'Momentum study', 'momentum'), 'Study: not what counts', 10),
      run('d', null, 'Study: LR study', 5),
      run('e', study('s3', 'Assignment', 'assignment'), '', 6),
    ]);
    expect(g.map((x) => [x.name, x.runs.map((r) => r.id)])).toEqual([
      ['Momentum study', ['c']],
      ['Assignment', ['e']],
      ['LR study', ['a', 'b']],
    ]);
    expect(
      studyGroups(
        [run('e', study('s3', 'Assignment', 'assignment'), '', 6), run('a', study('s1', 'LR'), '', 1)],
        ['assignment'],
      ).map((x) => x.name),
    ).toEqual(['Assignment']);
  });
});

describe('seed series', () => {
  const pts = (accs: number[]) =>
    accs.map((testAcc, i) => ({
      iter: (i + 1) * 10,
      epoch: 0,
      examples: 0,
      trainLoss: 1,
      trainAcc: 0.5,
      testLoss: 1 - testAcc,
      testAcc,
      elapsedMs: 0,
    }));
  it('folds the runs of one seed group into one mean series with a min-max band, whatever the runs are named', () => {
    const s = seedSeries(
      [
        { run: run('a', study('s', 'S'), '', 0, 'renamed by hand', 'LR 0.1'), points: pts([0.5, 0.7]) },
        { run: run('b', study('s', 'S'), '', 0, 'LR 0.1, seed 2', 'LR 0.1'), points: pts([0.7, 0.9]) },
        { run: run('c', study('s', 'S'), '', 0, 'LR 1, seed 1', 'LR 1'), points: pts([0.1, 0.1]) },
      ],
      'minmax',
    );
    expect(s.map((x) => x.label)).toEqual(['LR 0.1 (2 seeds)', 'LR 1']);
    expect(s[0].mean.testAcc[0]).toBeCloseTo(0.6, 12);
    expect(s[0].lo.testAcc).toEqual([0.5, 0.7]);
    expect(s[0].hi.testAcc).toEqual([0.7, 0.9]);
  });

  it('a study is seeded when a seed group holds two runs, not when a name ends in ", seed k"', () => {
    expect(hasSeedGroups([{ seedGroup: 'LR 0.1' }, { seedGroup: 'LR 1' }])).toBe(false);
    expect(hasSeedGroups([{ seedGroup: 'LR 0.1' }, { seedGroup: 'LR 0.1' }])).toBe(true);
    expect(hasSeedGroups([{ seedGroup: null }, { seedGroup: null }])).toBe(false);
  });
});
