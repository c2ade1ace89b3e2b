import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendEval, endRun, insertRun } from '../../../src-core/node/store/record';
import { SessionStore } from '../../../src-core/node/store/session-store';
import { detail, newRun, point, tempDirEachTest } from '../../../src-core/node/store/test-helpers';
import { buildReport } from './export-report';

// The HTML report's sharpness figure (issue 15), from a real session database: one per run that measured sharpness,
// with the threshold where it applies and the run's own sentences; none for a run without.

let dir: string;
tempDirEachTest('mlab-report-sharp-', (d) => (dir = d));

const LAYERS = [
  { layer: 'fc1' as const, flipFraction: 0.62, velocityRatio: 0.6 },
  { layer: 'fc2' as const, flipFraction: 0.3, velocityRatio: 3 },
];

describe("the report's sharpness figure", () => {
  it('is drawn for runs that measured sharpness, with the threshold for heavy-ball and the sentences in its caption', () => {
    const store = new SessionStore(join(dir, 'lab.db'));
    const sid = store.currentSessionId();
    insertRun(store.db, newRun('hb', sid, { sharpnessEvery: 1, lr: 0.1, momentum: 0 }));
    insertRun(store.db, newRun('adam', sid, { sharpnessEvery: 1, optimizer: 'adam', lr: 0.001, momentum: 0.9 }));
    insertRun(store.db, newRun('plain', sid));
    for (const [k, s] of [
      [4, 4.1],
      [8, 12],
      [12, 19.6],
    ] as const) {
      appendEval(
        store.db,
        'hb',
        point(k, { sharpness: s, sharpnessMin: null, hvps: 10, layers: LAYERS }),
        detail(),
        null,
      );
      appendEval(
        store.db,
        'adam',
        point(k, { sharpness: s, sharpnessMin: null, hvps: 10, layers: LAYERS }),
        detail(),
        null,
      );
      appendEval(store.db, 'plain', point(k, { layers: LAYERS }), detail(), null);
    }
    for (const id of ['hb', 'adam', 'plain']) endRun(store.db, id, 'finished', 'done', 12, 50, 60);
    const html = buildReport(store.session(sid), store.sessionCurves(sid), []);
    store.close();

    expect(html.match(/data-figure="run-hb-sharpness"/g)).toHaveLength(1);
    expect(html.match(/data-figure="run-adam-sharpness"/g)).toHaveLength(1);
    expect(html).not.toMatch(/run-plain-sharpness/);
    const section = (id: string) =>
      html.slice(html.indexOf(`<h2>run ${id}</h2>`), html.indexOf('</section>', html.indexOf(`<h2>run ${id}</h2>`)));
    const hb = section('hb');
    expect(hb).toContain('threshold 2/lr = 20');
    expect(hb).toContain(
      'Sharpness rose from 4.1 to 19.6 and is within 10\u00a0% of 2/lr = 20 at the last measurement (iteration 12).',
    );
    expect(hb).toContain('First layer: 62\u00a0% of the sampled gradients flip sign');
    const adam = section('adam');
    expect(adam).not.toMatch(/threshold 2[^(]*= /);
    expect(adam).toMatch(/does not apply to Adam/);
    expect(section('plain')).not.toContain('Sharpness');
  });
});
