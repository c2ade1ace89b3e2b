import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from '../../../src-core/contracts/train-config';
import type { TrainerMessage } from '../../../src-core/contracts/train-protocol';
import { nodeLauncher } from '../../workers/node-launcher';
import type { WorkerHandle, WorkerLauncher } from '../../workers/worker-handle';
import { invokeService } from '../invoke';
import { createLab, type Lab } from '../services';

// Faults the lab must survive: trainer processes killed at random moments,
// the database locked by another process, and a full disk. Real SQLite files,
// real trainer processes.

const KILLS = Number(process.env['FAULT_KILLS'] ?? 30);
const dir = mkdtempSync(join(tmpdir(), 'ml-faults-'));
let mountedDisk: string | null = null;
afterAll(() => {
  if (mountedDisk) execFileSync('umount', ['-l', mountedDisk]);
  rmSync(dir, { recursive: true, force: true });
});

/** A small, long run with frequent evaluations: 50 training images, an eval every 2 iterations. */
const LONG_RUN: TrainConfig = {
  ...DEFAULT_TRAIN_CONFIG,
  hidden: 16,
  batchSize: 5,
  epochs: 1000,
  perClass: 5,
  evalEvery: 2,
  seed: 7,
};

function recordingLauncher() {
  const workers: WorkerHandle<unknown, unknown>[] = [];
  const launcher: WorkerLauncher = <In, Out>(name: Parameters<WorkerLauncher>[0]) => {
    const handle = nodeLauncher<In, Out>(name);
    workers.push(handle as WorkerHandle<unknown, unknown>);
    return handle;
  };
  return { workers, launcher };
}

/** A seeded RNG for the kill moments (mulberry32), so a failure can be replayed with FAULT_SEED. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function waitFor(lab: Lab, pred: (m: TrainerMessage) => boolean, timeoutMs = 60_000): Promise<TrainerMessage> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error('timed out waiting for a trainer message'));
    }, timeoutMs);
    const stop = lab.runs.observe((m) => {
      if (pred(m)) {
        clearTimeout(timer);
        stop();
        resolve(m);
      }
    });
  });
}

describe('a trainer killed with SIGKILL at random moments', () => {
  it(`${KILLS} kills: integrity ok, every evaluation seen is committed, no run left running, and the next run works`, async () => {
    const seed = Number(process.env['FAULT_SEED'] ?? Date.now() % 100_000);
    const random = rng(seed);
    const dbPath = join(dir, 'kills.db');
    const { workers, launcher } = recordingLauncher();
    const lab = createLab({ launcher, emit: () => {}, pickDatasetFiles: async () => null }, { dbPath });
    const seen = new Map<string, Set<number>>();
    lab.runs.observe((m) => {
      // The recorder observes first: an eval seen here has been committed.
      if (m.type === 'eval') {
        if (!seen.has(m.runId)) seen.set(m.runId, new Set());
        seen.get(m.runId)!.add(m.point.iter);
      }
    });
    const moments = { beforeStarted: 0, afterEvals: 0 };
    try {
      for (let k = 0; k < KILLS; k++) {
        const { runId } = await lab.services.startTraining(LONG_RUN);
        const worker = workers.at(-1)!;
        const ended = waitFor(lab, (m) => m.type === 'end' && m.runId === runId);
        // Half the kills at a random time from the start (some before the worker has said anything),
        // half after a random number of evaluations (mid-stream).
        if (random() < 0.5) {
          const started = waitFor(lab, (m) => m.type === 'started' && m.runId === runId).then(() => true);
          const early = await Promise.race([
            started,
            new Promise<false>((r) => setTimeout(() => r(false), random() * 1500)),
          ]);
          if (!early) moments.beforeStarted++;
          else moments.afterEvals++;
        } else {
          const evals = 1 + Math.floor(random() * 4);
          let n = 0;
          await waitFor(lab, (m) => m.type === 'eval' && m.runId === runId && ++n >= evals);
          await new Promise((r) => setTimeout(r, random() * 30));
          moments.afterEvals++;
        }
        process.kill(worker.pid!, 'SIGKILL');
        const end = (await ended) as Extract<TrainerMessage, { type: 'end' }>;
        expect(end.status).toBe('interrupted');

        expect(lab.store.db.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(lab.store.db.prepare(`SELECT COUNT(*) FROM runs WHERE status = 'running'`).pluck().get()).toBe(0);
        const committed = new Set(
          lab.store.db.prepare('SELECT iter FROM evals WHERE run_id = ?').pluck().all(runId) as number[],
        );
        for (const iter of seen.get(runId) ?? [])
          expect(committed.has(iter), `eval at iteration ${iter} of kill ${k}`).toBe(true);
        const row = lab.store.db.prepare('SELECT status FROM runs WHERE id = ?').get(runId) as
          { status: string } | undefined;
        if (row) expect(row.status).toBe('interrupted');
      }
      // The next run works, to the end.
      const { runId } = await lab.services.startTraining({ ...LONG_RUN, epochs: 2, evalEvery: 5 });
      const end = (await waitFor(lab, (m) => m.type === 'end' && m.runId === runId)) as Extract<
        TrainerMessage,
        { type: 'end' }
      >;
      expect(end.status).toBe('finished');
      expect(lab.store.run(runId).status).toBe('finished');
    } finally {
      lab.shutdown();
    }
    // And the file, reopened by another connection, agrees.
    const db = new Database(dbPath, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.prepare(`SELECT COUNT(*) FROM runs WHERE status = 'running'`).pluck().get()).toBe(0);
    const evalCount = db.prepare('SELECT COUNT(*) FROM evals').pluck().get() as number;
    const seenCount = [...seen.values()].reduce((s, v) => s + v.size, 0);
    expect(evalCount).toBeGreaterThanOrEqual(seenCount);
    db.close();
    console.log(
      `faults: ${KILLS} SIGKILLs (seed ${seed}; ${moments.beforeStarted} before the run started, ${moments.afterEvals} mid-run); ${seenCount} evaluations seen, all committed`,
    );
  }, 600_000);
});

describe('the database locked by another process', () => {
  it('writes answer "busy ... in use by another process" within the busy timeout; nothing is corrupted', async () => {
    const dbPath = join(dir, 'locked.db');
    const lab = createLab({ launcher: nodeLauncher, emit: () => {}, pickDatasetFiles: async () => null }, { dbPath });
    try {
      const created = await invokeService(lab.services, 'createSession', { name: 'before the lock' });
      expect(created.ok).toBe(true);
      const id = lab.store.currentSessionId();
      const sessionsBefore = lab.store.listSessions().length;

      // Another process's connection takes the write lock and keeps it (a second app instance, a DB browser).
      const other = new Database(dbPath);
      other.pragma('busy_timeout = 0');
      other.exec('BEGIN EXCLUSIVE');
      try {
        const writes: [string, unknown][] = [
          ['createSession', { name: 'during the lock' }],
          ['renameSession', { id, name: 'renamed during the lock' }],
          ['duplicateSession', { id }],
          ['deleteSession', { id }],
        ];
        for (const [channel, payload] of writes) {
          const t0 = performance.now();
          const r = await invokeService(lab.services, channel, payload);
          const ms = performance.now() - t0;
          expect(r.ok, channel).toBe(false);
          if (!r.ok) {
            expect(r.error.code, `${channel}: ${r.error.message}`).toBe('busy');
            expect(r.error.message).toMatch(/in use/);
          }
          expect(ms, channel).toBeLessThan(5000 + 2000); // the busy timeout is 5 s
          if (channel === 'createSession') expect(ms, `${channel} waited for the lock`).toBeGreaterThan(1000);
        }
        // Reads go on (WAL readers are not blocked).
        const list = await invokeService(lab.services, 'listSessions', undefined);
        expect(list.ok).toBe(true);
      } finally {
        other.exec('ROLLBACK');
        other.close();
      }
      expect(lab.store.db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(lab.store.listSessions().length).toBe(sessionsBefore);
      expect(lab.store.listSessions().map((s) => s.name)).not.toContain('during the lock');
      // Once the lock is gone, writes work again.
      expect((await invokeService(lab.services, 'createSession', { name: 'after the lock' })).ok).toBe(true);
    } finally {
      lab.shutdown();
    }
  }, 60_000);
});

describe('the database locked by another process when the lab starts', () => {
  // (A lab that opens an existing, migrated file under another process's write lock reads on and answers
  // 'busy' to writes: the test above. Here the open itself must write: a new file another process holds.)
  it('every session call says "in use by another process" (busy) instead of quietly keeping nothing; training still works', async () => {
    const dbPath = join(dir, 'locked-at-start.db');
    const other = new Database(dbPath);
    other.exec('CREATE TABLE other_program (x); BEGIN EXCLUSIVE; INSERT INTO other_program VALUES (1)');
    const hash = () => execFileSync('sha256sum', [dbPath]).toString().split(' ')[0];
    const before = hash();
    const t0 = performance.now();
    const lab = createLab({ launcher: nodeLauncher, emit: () => {}, pickDatasetFiles: async () => null }, { dbPath });
    try {
      expect(performance.now() - t0).toBeLessThan(5000 + 2000);
      for (const channel of ['listSessions', 'currentSession', 'createSession'] as const) {
        const r = await invokeService(lab.services, channel, channel === 'createSession' ? { name: 'x' } : undefined);
        expect(r.ok, channel).toBe(false);
        if (!r.ok) {
          expect(r.error.code).toBe('busy');
          expect(r.error.message).toMatch(/in use by another process/);
        }
      }
      // Training does not need the database.
      const { runId } = await lab.services.startTraining({ ...LONG_RUN, epochs: 1, evalEvery: 5 });
      const end = (await waitFor(lab, (m) => m.type === 'end' && m.runId === runId)) as Extract<
        TrainerMessage,
        { type: 'end' }
      >;
      expect(end.status).toBe('finished');
    } finally {
      lab.shutdown();
      other.exec('ROLLBACK');
      other.close();
    }
    expect(hash()).toBe(before);
    const db = new Database(dbPath, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.prepare('SELECT COUNT(*) FROM other_program').pluck().get()).toBe(0);
    db.close();
  }, 60_000);
});

function tryMount(path: string, size: string): boolean {
  mkdirSync(path, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', path], { stdio: 'pipe' });
    return true;
  } catch (err) {
    console.log(
      `disk-full test skipped: cannot mount a tmpfs here (${((err as { stderr?: Buffer }).stderr ?? '').toString().trim() || (err as Error).message})`,
    );
    return false;
  }
}

describe('a full disk', () => {
  const mnt = join(dir, 'small-disk');
  const mounted = process.platform === 'linux' && tryMount(mnt, '2m');
  if (mounted) mountedDisk = mnt;

  it.skipIf(!mounted)(
    'answers disk-full, stays alive, keeps integrity, and holds exactly what was committed',
    async () => {
      const dbPath = join(mnt, 'lab.db');
      const lab = createLab({ launcher: nodeLauncher, emit: () => {}, pickDatasetFiles: async () => null }, { dbPath });
      try {
        expect(lab.store.path).toBe(dbPath); // the real file, not the in-memory fallback
        // Fill the disk but a little.
        const free = Number(statfsSync(mnt).bavail) * Number(statfsSync(mnt).bsize);
        writeFileSync(join(mnt, 'filler'), new Uint8Array(Math.max(0, free - 96 * 1024)));
        const committed: string[] = [];
        let error: { code: string; message: string } | null = null;
        for (let i = 0; i < 2000 && !error; i++) {
          const name = `session ${i} ${'x'.repeat(180)}`;
          const r = await invokeService(lab.services, 'createSession', { name });
          if (r.ok) committed.push(name);
          else error = r.error;
        }
        expect(error, 'the disk never filled').not.toBeNull();
        expect(error!.code, error!.message).toBe('disk-full');
        expect(error!.message).toMatch(/no space/);
        // Alive: reads work.
        const list = await invokeService(lab.services, 'listSessions', undefined);
        expect(list.ok).toBe(true);
        expect(lab.store.db.pragma('integrity_check', { simple: true })).toBe('ok');
        const names = lab.store.listSessions().map((s) => s.name);
        for (const n of committed) expect(names).toContain(n);
        expect(names.length).toBe(committed.length + 1); // + "Session 1"
        // Space again: writes work again.
        rmSync(join(mnt, 'filler'));
        expect((await invokeService(lab.services, 'createSession', { name: 'after' })).ok).toBe(true);
        console.log(`disk full: ${committed.length} sessions committed before "${error!.message}"`);
      } finally {
        lab.shutdown();
      }
      const db = new Database(dbPath, { readonly: true });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.close();
    },
  );
});
