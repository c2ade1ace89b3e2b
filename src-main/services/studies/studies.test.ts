import { afterEach, describe, expect, it } from 'vitest';
import { rowSums } from '../../../src-core/analysis/confusion';
import { labRecordingSweeps, stopLabs } from './test-helpers';

afterEach(stopLabs);

describe('a study', () => {
  it('queues its planned runs on the sweep pool, names them, records the study as fields of each run, and answers any evaluation snapshot', async () => {
    const { lab, states } = labRecordingSweeps('mlab-study-');
    const session = await lab.services.createSession({ name: 'Studies' });
    const study = await lab.services.startStudy({
      kind: 'momentum',
      values: [0, 0.9],
      seeds: 1,
      small: true,
      momentumLr: 'scaled',
      base: {
        hidden: 16,
        batchSize: 32,
        lr: 0.1,
        epochs: 1,
        momentum: 0,
        optimizer: 'heavy-ball',
        activation: 'relu',
        loss: 'ce',
        seed: 3,
        evalEvery: 10,
        perClass: 5,
      },
      workers: 2,
    });
    expect(study.name).toBe('Momentum study, small settings, LR scaled by |1-d|');
    expect(study.sweep.items.map((i) => i.label)).toEqual(['d 0, LR 0.1', 'd 0.9, LR 0.01']);
    await expect.poll(() => states.filter((s) => s.id === study.sweep.id).at(-1)?.done, { timeout: 90_000 }).toBe(true);
    const runs = lab.store.listRuns(session.session.id).sort((a, b) => a.config.momentum - b.config.momentum);
    const asStudy = { id: study.sweep.id, kind: 'momentum', name: study.name };
    expect(
      runs.map((r) => [r.name, r.config.momentum, r.config.lr, r.status, r.sweepId, r.notes, r.study, r.seedGroup]),
    ).toEqual([
      ['d 0, LR 0.1', 0, 0.1, 'finished', study.sweep.id, '', asStudy, 'd 0, LR 0.1'],
      ['d 0.9, LR 0.01', 0.9, 0.01, 'finished', study.sweep.id, '', asStudy, 'd 0.9, LR 0.01'],
    ]);
    // The notes are the user's: editing them leaves the run in its study.
    lab.store.updateRun(runs[0].id, { notes: 'my own words' });
    expect(lab.store.run(runs[0].id).study).toEqual(asStudy);
    const curves = await lab.services.runCurves({ runIds: [runs[0].id] });
    const first = curves[0].points[0];
    const snap = await lab.services.evalSnapshot({ runId: runs[0].id, iter: first.iter });
    expect(snap?.iter).toBe(first.iter);
    expect(rowSums(snap!.confusion).reduce((a, b) => a + b, 0)).toBe(10_000);
    expect(snap!.predicted.length).toBe(10_000);
    expect((await lab.services.listStudies()).map((s) => s.id)).toEqual([study.id]);
    await expect(lab.services.evalSnapshot({ runId: 'nope' })).rejects.toThrow();
    await expect(lab.services.startStudy({ kind: 'lr', values: [], seeds: 1, small: true })).rejects.toThrow(
      /at least one value/,
    );
  });
});
