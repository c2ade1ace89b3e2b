import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendEval, endRun, insertRun } from '../../../src-core/node/store/record';
import { SessionStore } from '../../../src-core/node/store/session-store';
import { detail, newRun, point, tempDirEachTest } from '../../../src-core/node/store/test-helpers';
import { CSV_HEADER, metricsCsv } from './export-csv';

// The CSV's sharpness and flip columns, from runs recorded into a real session database and read back.

let dir: string;
tempDirEachTest('mlab-csv-sharp-', (d) => (dir = d));

describe('CSV export: sharpness and flip columns', () => {
  it('writes sharpness, sharpness_min, hvps and per-layer flip fraction and velocity ratio; empty where not measured', () => {
    const store = new SessionStore(join(dir, 'lab.db'));
    const sid = store.createSession('S').id;
    insertRun(store.db, newRun('on', sid, { sharpnessEvery: 2, sharpnessBatch: 500 }));
    const layers = [
      { layer: 'fc1' as const, flipFraction: 0.5, velocityRatio: 0.75 },
      { layer: 'fc2' as const, flipFraction: null, velocityRatio: 7 },
    ];
    appendEval(store.db, 'on', point(4, { layers }), detail(), null);
    appendEval(store.db, 'on', point(8, { sharpness: 19.625, sharpnessMin: -0.5, hvps: 12, layers }), detail(), null);
    appendEval(store.db, 'on', point(12, { sharpness: NaN, sharpnessMin: null, hvps: 0 }), detail(), null);
    endRun(store.db, 'on', 'finished', 'done', 12, 50, 60);
    insertRun(store.db, newRun('off', sid));
    appendEval(store.db, 'off', point(4), detail(), null);
    endRun(store.db, 'off', 'finished', 'done', 4, 50, 60);

    const { text, rows } = metricsCsv(store.sessionCurves(sid));
    store.close();
    expect(rows).toBe(4);
    const lines = text
      .trimEnd()
      .split('\r\n')
      .map((l) => l.replace(/"[^"]*"/g, 'Q').split(','));
    expect(lines[0]).toEqual([...CSV_HEADER]);
    const col = (row: string[], name: string) => row[CSV_HEADER.indexOf(name as (typeof CSV_HEADER)[number])];
    const pick = (row: string[]) =>
      [
        'sharpness_every',
        'sharpness_batch',
        'sharpness',
        'sharpness_min',
        'hvps',
        'fc1_flip',
        'fc1_velocity',
        'fc2_flip',
        'fc2_velocity',
      ].map((c) => col(row, c));
    expect(lines.slice(1).every((l) => l.length === CSV_HEADER.length)).toBe(true);
    expect(pick(lines[1])).toEqual(['2', '500', '', '', '', '0.5', '0.75', '', '7']);
    expect(pick(lines[2])).toEqual(['2', '500', '19.625', '-0.5', '12', '0.5', '0.75', '', '7']);
    expect(pick(lines[3])).toEqual(['2', '500', 'NaN', '', '0', '', '', '', '']);
    expect(pick(lines[4])).toEqual(['', '', '', '', '', '', '', '', '']);
  });
});
