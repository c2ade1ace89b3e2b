import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_CONFIG } from '../../../src-core/contracts/train-config';
import type { TrainerMessage } from '../../../src-core/contracts/train-protocol';
import { SessionStore } from '../../../src-core/node/store/session-store';
import { lateStartLauncher } from '../../workers/late-start-launcher';
import { createLab } from '../services';
import type { ServiceContext } from '../service-context';

// "Nothing recorded is lost": a run cancelled while its trainer process is still starting (before it says
// 'started') is recorded as cancelled, in the session database, like any other run. A real trainer process.

const dir = mkdtempSync(join(tmpdir(), 'ml-cancel-early-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A real trainer process whose requests reach it 2 s late: the cancel always comes before 'started'.
const slowToStart = lateStartLauncher(2000);

const ctx: ServiceContext = {
  launcher: slowToStart,
  emit: () => {},
  pickDatasetFiles: async () => null,
  pickSavePath: async () => null,
  pickOpenPath: async () => null,
};

describe('a run cancelled before its trainer started', () => {
  it('leaves a cancelled row in the session database', async () => {
    const dbPath = join(dir, 'lab.db');
    const lab = createLab(ctx, { dbPath });
    const seen: TrainerMessage[] = [];
    lab.runs.observe((m) => seen.push(m));
    const { runId } = (await lab.services.startTraining({ ...DEFAULT_TRAIN_CONFIG, epochs: 50 })) as {
      runId: string;
    };
    const end = await lab.services.cancelTraining(runId);
    // The case under test: the trainer had not said 'started' (it is killed a second after the cancel).
    expect(seen.filter((m) => m.type === 'started')).toEqual([]);
    expect(end).toMatchObject({ runId, status: 'cancelled' });
    expect(await lab.recorder.settle(5000)).toBe(true);
    expect(lab.recorder.status(runId)).toMatchObject({ saved: true, reason: null });
    lab.shutdown();

    // Read back from the file by another connection: the run is there, cancelled, with its settings.
    const store = new SessionStore(dbPath);
    try {
      const run = store.run(runId);
      expect(run).toMatchObject({ id: runId, status: 'cancelled', itersDone: 0 });
      expect(run?.config.epochs).toBe(50);
      expect(run?.message).toMatch(/cancelled/);
      expect(store.listRuns(store.currentSessionId()).map((r) => r.id)).toContain(runId);
    } finally {
      store.close();
    }
  }, 60_000);
});
