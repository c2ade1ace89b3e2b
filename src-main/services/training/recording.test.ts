import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LabEvent } from '../../../src-core/contracts/lab-api';
import { DEFAULT_TRAIN_CONFIG } from '../../../src-core/contracts/train-config';
import type { TrainerMessage } from '../../../src-core/contracts/train-protocol';
import { MAX_KEPT_EVALS } from '../../../src-core/node/store/eval-budget';
import { nodeLauncher } from '../../workers/node-launcher';
import { createLab } from '../services';
import { cli, holdWriteLock, waitForDb } from '../shared/test-processes';

// Item 1 of the data-loss class: a failed write must not end the recording of
// a run. Real CLI processes, real SQLite files, the lock held by ANOTHER
// process, a real full disk (tmpfs).

const dir = mkdtempSync(join(tmpdir(), 'ml-recording-'));
const mounts: string[] = [];
afterAll(() => {
  for (const m of mounts) execFileSync('umount', ['-l', m]);
  rmSync(dir, { recursive: true, force: true });
});

/** 100 training images, an evaluation every 2 iterations of 5: 20 iterations and 10 evaluations an epoch. */
const RUN = ['--per-class', '10', '--batch', '5', '--eval-every', '2', '--hidden', '16', '--seed', '3'];

interface TrainJson {
  status: string;
  saved: boolean | null;
  iterations: number;
  curve: { iter: number; testAcc: number }[];
  savedTo: { runId: string } | null;
  record: {
    written: Record<string, number>;
    notWritten: Record<string, number>;
    reason: string | null;
    evalsSeen: number;
    evalsKept: number;
    kept: string | null;
  };
}

function parse(stdout: string): TrainJson {
  return JSON.parse(stdout) as TrainJson;
}

/** Everything the run reported is in the file: every evaluation point, every iteration's batch loss, and how it ended. */
function expectAllSaved(dbPath: string, out: TrainJson) {
  const db = new Database(dbPath, { readonly: true });
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const runId = out.savedTo!.runId;
    const run = db.prepare('SELECT status, iters_done, total_iters FROM runs WHERE id = ?').get(runId) as {
      status: string;
      iters_done: number;
      total_iters: number;
    };
    expect(run.status).toBe(out.status);
    expect(run.iters_done).toBe(out.iterations);
    const iters = db.prepare('SELECT iter FROM evals WHERE run_id = ? ORDER BY iter').pluck().all(runId) as number[];
    expect(iters).toEqual(out.curve.map((p) => p.iter));
    // Batch losses cover iterations 0 .. iterations-1 without a gap.
    const batches = db
      .prepare('SELECT from_iter, length(loss) / 4 AS n FROM batches WHERE run_id = ? ORDER BY from_iter')
      .all(runId) as { from_iter: number; n: number }[];
    let next = 0;
    for (const b of batches) {
      expect(b.from_iter).toBe(next);
      next += b.n;
    }
    expect(next).toBe(out.iterations);
    expect(out.record.notWritten).toEqual({ started: 0, batches: 0, evals: 0, weights: 0, end: 0 });
  } finally {
    db.close();
  }
}

describe('the session database locked by another process during a run', () => {
  it('a lock held for 10 s and then released loses nothing: the run waits in memory, is written in order, and the CLI says saved', async () => {
    const dbPath = join(dir, 'lock.db');
    const run = cli(['train', ...RUN, '--epochs', '12', '--db', dbPath, '--json']);
    // Take the lock as soon as the run has recorded its first evaluation.
    await waitForDb(dbPath, (db) => (db.prepare('SELECT COUNT(*) FROM evals').pluck().get() as number) > 0);
    const lock = await holdWriteLock(dbPath, 10_000);
    const lockedAt = performance.now();
    const res = await run.done;
    const releasedAt = await lock.released;
    expect(res.code, res.stderr).toBe(0);
    const out = parse(res.stdout);
    expect(out.status).toBe('finished');
    expect(out.saved).toBe(true);
    // The lock did bite: the CLI said so, and it could not have written the end before the lock went.
    expect(res.stderr).toMatch(/in use by another process; keeping what cannot be written in memory and retrying/);
    expect(releasedAt - lockedAt).toBeGreaterThanOrEqual(9_900);
    expect(out.curve.length).toBe(12 * 10);
    expectAllSaved(dbPath, out);
  }, 300_000);

  it('a lock that outlasts the wait: exit 3, "not saved: …" with the reason, --json saved false and the counts', async () => {
    const dbPath = join(dir, 'lock-forever.db');
    const run = cli(['train', ...RUN, '--epochs', '3', '--db', dbPath, '--json'], {
      MOMENTUM_LAB_SAVE_WAIT_MS: '1500',
    });
    await waitForDb(dbPath, (db) => (db.prepare('SELECT COUNT(*) FROM runs').pluck().get() as number) > 0);
    const lock = await holdWriteLock(dbPath, 120_000);
    try {
      const res = await run.done;
      expect(res.code, res.stderr).toBe(3);
      expect(res.stderr).toMatch(/not saved: .*in use by another process/);
      const out = parse(res.stdout);
      expect(out.saved).toBe(false);
      expect(out.record.reason).toMatch(/in use by another process/);
      const lost = Object.values(out.record.notWritten).reduce((a, b) => a + b, 0);
      expect(lost).toBeGreaterThan(0);
      expect(out.record.notWritten.end).toBe(1);
      // Counts add up: every evaluation the run made is either written or counted as not written.
      expect(out.record.written.evals + out.record.notWritten.evals).toBe(out.curve.length);
    } finally {
      lock.child.kill('SIGKILL');
      await lock.released;
    }
  }, 300_000);

  it('in the app: past the memory bound the run is "not saved: …" (event and run message), and what fit is written once the lock goes', async () => {
    const dbPath = join(dir, 'bound.db');
    const events: LabEvent[] = [];
    const lab = createLab(
      { launcher: nodeLauncher, emit: (e) => events.push(e), pickDatasetFiles: async () => null },
      { dbPath, maxPendingBytes: 400_000 },
    );
    try {
      const seen: TrainerMessage[] = [];
      let firstEval!: () => void;
      const gotEval = new Promise<void>((r) => (firstEval = r));
      const ended = new Promise<void>((resolve) =>
        lab.runs.observe((m) => {
          seen.push(m);
          if (m.type === 'eval') firstEval();
          if (m.type === 'end') resolve();
        }),
      );
      const { runId } = await lab.services.startTraining({
        ...DEFAULT_TRAIN_CONFIG,
        hidden: 16,
        batchSize: 5,
        perClass: 10,
        evalEvery: 2,
        epochs: 6,
        seed: 4,
      });
      await gotEval;
      const lock = await holdWriteLock(dbPath, 8_000);
      await ended;
      const during = lab.recorder.status(runId);
      expect(during.saved).toBe(false);
      expect(during.reason).toMatch(/391 KB of recorded points waited in memory/);
      const notSaved = events.find(
        (e) => e.channel === 'recording' && e.recording.runId === runId && e.recording.state === 'not-saved',
      );
      expect(notSaved && notSaved.channel === 'recording' && notSaved.recording.message).toMatch(/^not saved: /);
      await lock.released;
      expect(await lab.recorder.settle(30_000)).toBe(true);
      const after = lab.recorder.status(runId);
      expect(after.pending).toBe(0);
      // What waited was written, in order, and the run says it is incomplete.
      const run = lab.store.run(runId);
      expect(run.status).toBe('finished');
      expect(run.message).toMatch(/not saved: the database stayed unavailable/);
      const stored = lab.store.curves(runId).points.length;
      expect(stored).toBe(after.written.evals);
      expect(after.written.evals + after.notWritten.evals).toBe(seen.filter((m) => m.type === 'eval').length);
    } finally {
      lab.shutdown();
    }
  }, 300_000);
});

describe('simulate --db with the database held by another process', () => {
  it('held before it starts: refused at once (exit 2, "in use by another process; nothing was simulated"); held when it saves: "not saved" with the reason', async () => {
    const dbPath = join(dir, 'sim-lock.db');
    const first = await cli(['simulate', '--objective', 'quadratic', '--db', dbPath, '--json']).done;
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout).saved).toBe(true);
    const lock = await holdWriteLock(dbPath, 60_000);
    try {
      const res = await cli(['simulate', '--objective', 'quadratic', '--lr', '0.05', '--db', dbPath, '--json']).done;
      expect(res.code, res.stderr).toBe(2);
      expect(res.stderr).toMatch(/^momentum-lab simulate: --db: .* in use by another process; nothing was simulated$/m);
      expect(res.stdout).toBe('');
    } finally {
      lock.child.kill('SIGKILL');
      await lock.released;
    }
    // The lock taken between the start and the save (the CLI's own path: lab.flushSims after services.simulate).
    const lab = createLab(
      { launcher: nodeLauncher, emit: () => {}, pickDatasetFiles: async () => null },
      { dbPath, dbRequired: true },
    );
    try {
      const late = await holdWriteLock(dbPath, 60_000);
      try {
        await lab.services.simulate({
          objective: { name: 'quadratic' },
          start: [1],
          steps: 20,
          runs: [{ kind: 'heavy-ball', lr: 0.05, d: 0.5 }],
        });
        const outcome = lab.flushSims();
        expect(outcome?.saved).toBe(false);
        expect(outcome?.reason).toMatch(/saving the simulation: the database is in use by another process/);
      } finally {
        late.child.kill('SIGKILL');
        await late.released;
      }
    } finally {
      lab.shutdown();
    }
    const db = new Database(dbPath, { readonly: true });
    expect(db.prepare('SELECT COUNT(*) FROM sims').pluck().get()).toBe(1);
    db.close();
  }, 120_000);
});

function tryMount(path: string, size: string): boolean {
  mkdirSync(path, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', path], { stdio: 'pipe' });
    mounts.push(path);
    return true;
  } catch (err) {
    console.log(`disk-full recording test skipped: cannot mount a tmpfs here (${(err as Error).message})`);
    return false;
  }
}

/** Fill the file system holding `path` until it refuses another byte. */
function fill(path: string): void {
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (err) {
    if ((err as { code?: string }).code !== 'ENOSPC') throw err;
  } finally {
    closeSync(fd);
  }
  // The last partial chunk: byte by byte up to the brim.
  const fd2 = openSync(path, 'a');
  try {
    for (;;) writeSync(fd2, Buffer.alloc(512, 1));
  } catch {
    /* full */
  } finally {
    closeSync(fd2);
  }
}

describe('a full disk during a run', () => {
  const mnt = join(dir, 'disk');
  const mounted = process.platform === 'linux' && tryMount(mnt, '96m');

  it.skipIf(!mounted)(
    'a disk full for 3 s and then freed loses nothing',
    async () => {
      const dbPath = join(mnt, 'lab.db');
      // HL 64: each evaluation also sends 200 KB of weights, so the database must grow while the disk is full.
      const run = cli([
        'train',
        '--per-class',
        '10',
        '--batch',
        '5',
        '--eval-every',
        '2',
        '--hidden',
        '64',
        '--seed',
        '5',
        '--epochs',
        '12',
        '--db',
        dbPath,
        '--json',
      ]);
      await waitForDb(dbPath, (db) => (db.prepare('SELECT COUNT(*) FROM evals').pluck().get() as number) > 0);
      const filler = join(mnt, 'filler');
      fill(filler);
      await new Promise((r) => setTimeout(r, 3000));
      rmSync(filler);
      const res = await run.done;
      expect(res.code, res.stderr).toBe(0);
      expect(res.stderr).toMatch(/no space left on the disk; keeping what cannot be written in memory and retrying/);
      const out = parse(res.stdout);
      expect(out.saved).toBe(true);
      expect(out.curve.length).toBe(12 * 10);
      expectAllSaved(dbPath, out);
    },
    300_000,
  );
});

describe('a setting that would fill the disk (--batch 1 --eval-every 1)', () => {
  it(`keeps at most ${MAX_KEPT_EVALS} evaluations (first, best, last and a regular grid), and the CLI says what was kept`, async () => {
    const dbPath = join(dir, 'budget.db');
    const res = await cli([
      'train',
      '--per-class',
      '5',
      '--batch',
      '1',
      '--eval-every',
      '1',
      '--hidden',
      '16',
      '--epochs',
      '7',
      '--seed',
      '2',
      '--db',
      dbPath,
      '--json',
    ]).done;
    expect(res.code, res.stderr).toBe(0);
    const out = parse(res.stdout);
    expect(out.curve.length).toBe(350);
    expect(out.saved).toBe(true);
    expect(out.record.evalsSeen).toBe(350);
    expect(out.record.evalsKept).toBeLessThanOrEqual(MAX_KEPT_EVALS);
    expect(out.record.kept).toMatch(/^kept \d+ of 350 evaluations/);
    expect(res.stderr).toMatch(/kept \d+ of 350 evaluations/);
    const db = new Database(dbPath, { readonly: true });
    try {
      const runId = out.savedTo!.runId;
      const iters = db.prepare('SELECT iter FROM evals WHERE run_id = ? ORDER BY iter').pluck().all(runId) as number[];
      expect(iters.length).toBe(out.record.evalsKept);
      // Oracle from the CLI's own curve (every evaluation): first, last and best are kept.
      const best = out.curve.reduce((b, p) => (p.testAcc > b.testAcc ? p : b));
      expect(iters[0]).toBe(out.curve[0].iter);
      expect(iters.at(-1)).toBe(out.curve.at(-1)!.iter);
      expect(iters).toContain(best.iter);
      const message = db.prepare('SELECT message FROM runs WHERE id = ?').pluck().get(runId) as string;
      expect(message).toContain(out.record.kept!);
    } finally {
      db.close();
    }
  }, 300_000);
});
