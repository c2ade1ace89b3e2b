import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { SimulateRequest } from '../../src-core/contracts/sim-config';
import { nodeLauncher } from './node-launcher';
import type { SimulatorMessage, SimulatorRequest } from './simulator-protocol';
import type { WorkerHandle } from './worker-handle';

// Real forked workers throughout: the spare is a real process, and "alive"
// is asked of the kernel (/proc), not of the launcher.

/** Alive = exists and is not a zombie (an orphan killed here may wait for a reaper in a container). */
function processAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

async function until(what: string, cond: () => boolean, ms = 20_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A request the simulator worker must answer (its own zod check rejects it): proof the process is a working simulator worker. */
function ask(worker: WorkerHandle<SimulatorRequest, SimulatorMessage>, id: number): Promise<SimulatorMessage> {
  return new Promise((resolve) => {
    worker.onMessage((m) => {
      if (m.id === id) resolve(m);
    });
    worker.post({ type: 'simulate', id, request: {} as SimulateRequest });
  });
}

const started: WorkerHandle<unknown, unknown>[] = [];
afterEach(() => {
  for (const w of started.splice(0)) w.kill();
  nodeLauncher.killSpares();
});

describe('nodeLauncher warm spares', () => {
  it('the next launch of the name takes the spare; the one after forks afresh', async () => {
    const pid = nodeLauncher.prestart('simulator');
    expect(pid).toBeGreaterThan(0);
    expect(nodeLauncher.prestart('simulator'), 'one spare per name').toBe(pid);
    expect(processAlive(pid!)).toBe(true);

    const worker = nodeLauncher<SimulatorRequest, SimulatorMessage>('simulator');
    started.push(worker as WorkerHandle<unknown, unknown>);
    expect(worker.pid).toBe(pid);
    const answer = await ask(worker, 7);
    expect(answer.type).toBe('error');
    expect(answer.type === 'error' && answer.error.code).toBe('invalid-input');

    const next = nodeLauncher<SimulatorRequest, SimulatorMessage>('simulator');
    started.push(next as WorkerHandle<unknown, unknown>);
    expect(next.pid).not.toBe(pid);
    expect((await ask(next, 8)).id).toBe(8);
  });

  it('a spare that died before use is replaced by a fresh fork, not handed out', async () => {
    const pid = nodeLauncher.prestart('simulator')!;
    process.kill(pid, 'SIGKILL');
    // Gone from /proc, not just a zombie: this process has reaped it, so the launcher has heard of its exit.
    await until('the killed spare to be reaped', () => !existsSync(`/proc/${pid}`));

    const worker = nodeLauncher<SimulatorRequest, SimulatorMessage>('simulator');
    started.push(worker as WorkerHandle<unknown, unknown>);
    expect(worker.pid).toBeGreaterThan(0);
    expect(worker.pid).not.toBe(pid);
    expect((await ask(worker, 1)).type).toBe('error');
  });

  it('killSpares() kills a spare nobody took', async () => {
    const pid = nodeLauncher.prestart('trainer')!;
    expect(processAlive(pid)).toBe(true);
    nodeLauncher.killSpares();
    await until('the spare to be killed', () => !processAlive(pid));
    // And the next launch does not find it.
    const worker = nodeLauncher('trainer');
    started.push(worker);
    expect(worker.pid).not.toBe(pid);
  });

  it('an unused spare does not keep its parent alive and is killed when the parent exits', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'momentum-lab-spare-'));
    try {
      const script = join(dir, 'parent.mts');
      // The parent prestarts a trainer, reports its pid, and has nothing else to do.
      writeFileSync(
        script,
        `import { nodeLauncher } from ${JSON.stringify(pathToFileURL(join(import.meta.dirname, 'node-launcher.ts')).href)};\n` +
          `console.log(JSON.stringify({ spare: nodeLauncher.prestart('trainer') }));\n`,
      );
      const t0 = Date.now();
      const r = spawnSync(process.execPath, ['--import', 'tsx', script], {
        encoding: 'utf8',
        timeout: 60_000,
        cwd: join(import.meta.dirname, '..', '..'),
      });
      expect(r.error, 'the parent must exit by itself (a spare holding it open hangs it)').toBeUndefined();
      expect(r.status, r.stderr).toBe(0);
      const { spare } = JSON.parse(r.stdout.trim()) as { spare: number };
      expect(spare).toBeGreaterThan(0);
      await until('the orphaned spare to be killed', () => !processAlive(spare), 5_000);
      expect(Date.now() - t0).toBeLessThan(60_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
