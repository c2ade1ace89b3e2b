import { describe, expect, it } from 'vitest';
import { seriesRows } from './series-table';

describe('a chart as table rows', () => {
  it('has one row per distinct x and one column per series, blanks where a series has no point', () => {
    const t = seriesRows([
      { name: 'train', x: [1, 2, 3, 4], y: [0.9, 0.7, 0.6, 0.5] },
      { label: 'test', x: new Float64Array([2, 4]), y: new Float64Array([0.8, 0.55]) },
    ]);
    expect(t.columns).toEqual(['train', 'test']);
    expect(t.xs).toEqual([1, 2, 3, 4]);
    expect(t.rows).toEqual([
      [0.9, null],
      [0.7, 0.8],
      [0.6, null],
      [0.5, 0.55],
    ]);
  });
  it('uses only the first n points of a growing series and keeps non-finite values', () => {
    const t = seriesRows([{ name: 'loss', x: [3, 1, 2, 0], y: [Infinity, 1, NaN, 9], n: 3 }]);
    expect(t.xs).toEqual([1, 2, 3]);
    expect(t.rows).toEqual([[1], [NaN], [Infinity]]);
  });
  it('is empty for no series', () => {
    expect(seriesRows([])).toEqual({ columns: [], xs: [], rows: [] });
  });
});
