import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nodeLauncher } from '../../workers/node-launcher';
import { createLab, type Lab } from '../services';

// Simulations are coalesced: coming back to settings already looked at updates that simulation's row instead of
// adding a copy (a real SQLite file, read back by a second connection).

let dir: string;
let lab: Lab | null = null;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mlab-simrec-'));
});
afterEach(() => {
  lab?.shutdown();
  lab = null;
  rmSync(dir, { recursive: true, force: true });
});

const req = (d: number) => ({
  objective: { name: 'quadratic', params: { lambda: 1 } },
  start: [1],
  steps: 40,
  runs: [{ kind: 'heavy-ball', lr: 0.1, d }],
});

/** A lab on lab.db in this test's folder; simulations wait 60 s to settle, so the tests decide when (flushSims). */
function openLab(): Lab {
  lab = createLab(
    { launcher: nodeLauncher, emit: () => {}, pickDatasetFiles: async () => null },
    { dbPath: join(dir, 'lab.db'), simSettleMs: 60_000 },
  );
  return lab;
}

describe('the simulation recorder', () => {
  it('saves one row per distinct request in a session: going back to earlier settings updates its row (time moves to now), name and notes kept', async () => {
    const dbPath = join(dir, 'lab.db');
    const l = openLab();
    const settle = async (d: number) => {
      await l.services.simulate(req(d));
      l.flushSims();
    };
    // A user moves d between three values and back, pausing at each: 0.5, 0.9, 0.5, 0.9, 1.1, 0.5.
    await settle(0.5);
    await settle(0.9);
    const first = l.store.sessionDetail().sims;
    expect(first.map((s) => s.request.runs[0].d)).toEqual([0.5, 0.9]);
    await l.services.updateSim({ simId: first[0].id, name: 'd = 0.5 kept', notes: 'smooth' });
    await new Promise((r) => setTimeout(r, 5));
    await settle(0.5);
    await settle(0.9);
    await settle(1.1);
    await settle(0.5);
    const file = new Database(dbPath, { readonly: true, fileMustExist: true });
    try {
      const rows = file
        .prepare('SELECT id, name, notes, request, created_at FROM sims ORDER BY created_at, rowid')
        .all() as { id: string; name: string; notes: string; request: string; created_at: number }[];
      expect(rows).toHaveLength(3); // 6 pauses, 3 distinct settings
      expect(new Set(rows.map((r) => r.request)).size).toBe(3);
      // The newest is d = 0.5: the first row, updated, with its name and notes.
      expect(rows.at(-1)).toMatchObject({ id: first[0].id, name: 'd = 0.5 kept', notes: 'smooth' });
      expect(rows.at(-1)!.created_at).toBeGreaterThan(first[0].createdAt);
      expect(JSON.parse(rows[1].request).runs[0].d).toBe(1.1);
    } finally {
      file.close();
    }
  });

  it("the same request in another session is that session's own row", async () => {
    const l = openLab();
    await l.services.simulate(req(0.5));
    l.flushSims();
    const s1 = l.store.currentSessionId();
    await l.services.createSession({ name: 'Second' });
    const s2 = l.store.currentSessionId();
    expect(s2).not.toBe(s1);
    await l.services.simulate(req(0.9)); // something else first, so "never twice in a row" does not hide the case
    l.flushSims();
    await l.services.simulate(req(0.5));
    l.flushSims();
    expect(l.store.sessionDetail(s1).sims).toHaveLength(1);
    expect(l.store.sessionDetail(s2).sims.map((s) => s.request.runs[0].d)).toEqual([0.9, 0.5]);
  });

  it("a simulation sent with record: false (a view's side computation) is answered but never replaces the one to keep", async () => {
    const l = openLab();
    // The view's own runs, then its optimizer comparison answered last (the order that lost the view's runs).
    await l.services.simulate(req(0.9));
    const side = await l.services.simulate({ ...req(0.5), record: false });
    expect(side.runs).toHaveLength(1);
    l.flushSims();
    expect(l.store.sessionDetail().sims.map((s) => s.request.runs[0].d)).toEqual([0.9]);
    // Alone, it is not saved either.
    await l.services.simulate({ ...req(0.3), record: false });
    l.flushSims();
    expect(l.store.sessionDetail().sims.map((s) => s.request.runs[0].d)).toEqual([0.9]);
  });
});
