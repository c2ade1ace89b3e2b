import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_CONFIG } from '../../../src-core/contracts/train-config';
import { invokeService } from '../invoke';
import { labRecordingSweeps, stopLabs } from './test-helpers';
import { expandGrid } from './sweeps';

afterEach(stopLabs);

/** A lab recording sweep states, a new session, and a sweep of one-epoch runs on 10 images a class started into it. */
async function sweepIntoNewSession(prefix: string, name: string, grid: Record<string, number[]>, workers: number) {
  const { lab, states } = labRecordingSweeps(prefix);
  const session = await lab.services.createSession({ name });
  const start = await lab.services.startSweep({
    base: { ...DEFAULT_TRAIN_CONFIG, epochs: 1, evalEvery: 2, perClass: 10 },
    grid,
    workers,
  });
  return { lab, states, session, start };
}

describe('sweep grids', () => {
  it('make one config per combination, first axis varying slowest, other settings from the base', () => {
    const configs = expandGrid(
      { ...DEFAULT_TRAIN_CONFIG, epochs: 2 },
      { lr: [0.01, 0.1], batchSize: [16, 32, 64], perClass: [10] },
    );
    expect(configs.map((c) => [c.lr, c.batchSize])).toEqual([
      [0.01, 16],
      [0.01, 32],
      [0.01, 64],
      [0.1, 16],
      [0.1, 32],
      [0.1, 64],
    ]);
    expect(configs.every((c) => c.epochs === 2 && c.perClass === 10 && c.hidden === 64)).toBe(true);
  });

  it('refuse a value a single run would refuse, naming the run', () => {
    expect(() => expandGrid(DEFAULT_TRAIN_CONFIG, { momentum: [0.5, 3] })).toThrow(/sweep run 2: momentum/);
  });
});

describe('a sweep', () => {
  it('runs every combination on a pool of workers, never more at once, records each run in the session, and cancels a queued run', async () => {
    const { lab, states, session, start } = await sweepIntoNewSession(
      'mlab-sweep-',
      'Sweep',
      { lr: [0.01, 0.1, 1], seed: [1] },
      2,
    );
    expect(start.items.map((i) => [i.label, i.status])).toEqual([
      ['LR 0.01', 'running'],
      ['LR 0.1', 'running'],
      ['LR 1', 'queued'],
    ]);
    await lab.services.cancelSweep({ sweepId: start.id, index: 2 });
    await expect.poll(() => states.at(-1)?.done, { timeout: 60_000 }).toBe(true);
    const last = states.at(-1)!;
    expect(last.items.map((i) => i.status)).toEqual(['finished', 'finished', 'cancelled']);
    expect(Math.max(...states.map((s) => s.items.filter((i) => i.status === 'running').length))).toBeLessThanOrEqual(2);
    const runs = lab.store.listRuns(session.session.id).sort((a, b) => a.config.lr - b.config.lr);
    expect(runs.map((r) => [r.name, r.config.lr, r.status, r.sweepId])).toEqual([
      ['LR 0.01', 0.01, 'finished', start.id],
      ['LR 0.1', 0.1, 'finished', start.id],
    ]);
  });
});

describe('a session a sweep is saving into', () => {
  it('cannot be deleted while the sweep has queued or training runs (busy, saying why); once cancelled and done it can', async () => {
    const {
      lab,
      states,
      session: target,
      start,
    } = await sweepIntoNewSession('mlab-sweep-delete-', 'Sweep target', { lr: [0.01, 0.1, 1] }, 1);
    expect(start.sessionId).toBe(target.session.id);
    // Another session becomes current: the sweep still saves into "Sweep target".
    await lab.services.createSession({ name: 'Elsewhere' });
    const refused = await invokeService(lab.services, 'deleteSession', { id: target.session.id });
    expect(refused).toEqual({
      ok: false,
      error: {
        code: 'busy',
        message:
          'deleteSession: "Sweep target" is where a sweep or study still saves its runs (1 training and 2 queued); cancel it first (Sessions → Sweep, or the Studies view), or let it finish',
      },
    });
    expect(lab.store.session(target.session.id).name).toBe('Sweep target');
    // Other sessions can still be deleted.
    const other = await lab.services.createSession({ name: 'Scratch' });
    expect((await invokeService(lab.services, 'deleteSession', { id: other.session.id })).ok).toBe(true);

    await lab.services.cancelSweep({ sweepId: start.id });
    await expect.poll(() => states.at(-1)?.done, { timeout: 60_000 }).toBe(true);
    const after = await invokeService(lab.services, 'deleteSession', { id: target.session.id });
    expect(after.ok).toBe(true);
    expect(
      lab.store
        .listSessions()
        .map((s) => s.name)
        .sort(),
    ).toEqual(['Elsewhere', 'Session 1']);
  });
});
