import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SweepState } from '../../src-core/contracts/api-sweeps';
import type { RunCurves, RunSummary } from '../../src-core/contracts/session-types';
import { SessionStore } from '../../src-core/node/store/session-store';
import { planStudy } from '../../src-core/studies/plan';
import { createLab } from '../services/services';
import { nodeLauncher } from '../workers/node-launcher';

// `momentum-lab study` through the real CLI process into a real SQLite file, against the app's path (the Studies
// view's startStudy service) on another file: the same runs, settings, names, notes and — common random numbers,
// deterministic training — the same curves.

const CLI = resolve('bin/momentum-lab.mjs');
const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 240_000 });
const dir = mkdtempSync(join(tmpdir(), 'mlab-study-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function rowsOf(db: string, session: string): { runs: RunSummary[]; curves: RunCurves[] } {
  const store = new SessionStore(db);
  try {
    const s = store.listSessions().find((x) => x.name === session)!;
    const runs = store.listRuns(s.id).sort((a, b) => a.config.lr - b.config.lr);
    return { runs, curves: runs.map((r) => store.curves(r.id)) };
  } finally {
    store.close();
  }
}

describe('momentum-lab study (the real CLI process)', () => {
  it("records the app's study: the planned runs, their names and notes, one sweep, and the same curves as the service", async () => {
    const cliDb = join(dir, 'cli.db');
    const r = cli(
      'study',
      'lr',
      '--values',
      '0.05,0.5',
      '--small',
      '--workers',
      '2',
      '--db',
      cliDb,
      '--session',
      'LR study',
      '--json',
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^Learning rate study, small settings: 2 runs on 2 workers, into session "LR study"/);
    expect(r.stderr).toMatch(/2\/2 runs done\n$/);
    const out = JSON.parse(r.stdout) as {
      study: { name: string; sweepId: string };
      saved: boolean;
      runs: { label: string; status: string; finalTestAcc: number; runId: string }[];
    };
    expect(out.saved).toBe(true);
    expect(out.study.name).toBe('Learning rate study, small settings');
    expect(out.runs.map((x) => [x.label, x.status])).toEqual([
      ['LR 0.05', 'finished'],
      ['LR 0.5', 'finished'],
    ]);

    // The plan is the app's (MNIST: 60,000 training images, the fewest in a class 5,421).
    const plan = planStudy({ kind: 'lr', values: [0.05, 0.5], seeds: 1, small: true }, 60_000, 5421);
    const mine = rowsOf(cliDb, 'LR study');
    expect(mine.runs.map((x) => x.config)).toEqual(plan.configs);
    expect(mine.runs.map((x) => x.name)).toEqual(plan.labels);
    // The study is a field of each run (schema v10), not text in its notes.
    expect(mine.runs.map((x) => x.notes)).toEqual(['', '']);
    expect(mine.runs.map((x) => [x.study?.kind, x.study?.name, x.study?.id])).toEqual([
      ['lr', 'Learning rate study, small settings', out.study.sweepId],
      ['lr', 'Learning rate study, small settings', out.study.sweepId],
    ]);
    expect(new Set(mine.runs.map((x) => x.sweepId))).toEqual(new Set([out.study.sweepId]));
    // The table's numbers are the recorded ones.
    expect(out.runs.map((x) => x.finalTestAcc)).toEqual(mine.curves.map((c) => c.points.at(-1)!.testAcc));
    // Common random numbers: every run of the study shares the seed (its init and batch-order streams).
    expect(mine.runs[0].config.seed).toBe(mine.runs[1].config.seed);

    // The app's path: the Studies view's service, the same request, another database.
    const appDb = join(dir, 'app.db');
    const states: SweepState[] = [];
    const lab = createLab(
      {
        launcher: nodeLauncher,
        emit: (e) => e.channel === 'sweep' && states.push(e.sweep),
        pickDatasetFiles: async () => null,
      },
      { dbPath: appDb },
    );
    try {
      await lab.services.createSession({ name: 'LR study' });
      const study = await lab.services.startStudy({
        kind: 'lr',
        values: [0.05, 0.5],
        seeds: 1,
        small: true,
        workers: 2,
      });
      await expect
        .poll(() => states.filter((s) => s.id === study.sweep.id).at(-1)?.done, { timeout: 180_000, interval: 250 })
        .toBe(true);
      await lab.recorder.settle(30_000);
    } finally {
      lab.shutdown();
    }
    const app = rowsOf(appDb, 'LR study');
    const strip = (x: RunSummary) => ({
      name: x.name,
      notes: x.notes,
      status: x.status,
      config: x.config,
      itersDone: x.itersDone,
      totalIters: x.totalIters,
      trainSize: x.trainSize,
    });
    expect(mine.runs.map(strip)).toEqual(app.runs.map(strip));
    const metrics = (c: RunCurves) =>
      c.points.map((p) => [p.iter, p.trainLoss, p.testLoss, p.testAcc, p.valLoss ?? null]);
    expect(mine.curves.map(metrics)).toEqual(app.curves.map(metrics));
  }, 400_000);

  it('bad input: one line naming the problem, exit 2, before any training', () => {
    const db = join(dir, 'bad.db');
    for (const [args, pattern] of [
      [
        ['study', 'speed', '--db', db],
        /unknown study "speed" \(known: lr, batch-size, hidden, train-size, momentum, edge-of-stability\)/,
      ],
      [['study', '--db', db], /name a study/],
      [['study', 'lr', '--values', '0.1,fast', '--db', db], /--values: "fast" is not a number/],
      [['study', 'lr', '--values', 'all', '--db', db], /--values: "all" is not a number/],
      [['study', 'lr', '--seeds', '0', '--db', db], /seeds: must be >= 1/],
      [['study', 'lr', '--momentum-lr', 'scaled', '--db', db], /--momentum-lr applies to the momentum study only/],
      [['study', 'momentum', '--momentum-lr', 'up', '--db', db], /--momentum-lr: "up" is not fixed or scaled/],
      [['study', 'lr'], /study needs --db PATH/],
      [['study', 'lr', 'hidden', '--db', db], /unexpected argument "hidden"/],
      [['study', 'lr', '--db', dir], /--db: /],
    ] as const) {
      const r = cli(...args);
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(pattern);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  }, 120_000);
});
