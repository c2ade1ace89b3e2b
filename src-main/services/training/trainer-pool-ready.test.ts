import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TrainerRequest } from '../../../src-core/contracts/train-protocol';
import type { RunEndMessage } from '../../../src-core/contracts/train-stream';
import type { TrainerProcessMessage } from '../../../src-core/contracts/trainer-process';
import type { WorkerHandle, WorkerLauncher } from '../../workers/worker-handle';
import { TrainerPool } from './trainer-pool';

// The pool's decisions when a process does not behave: it never says 'ready', says it for another run, says
// something malformed, or its run failed. A real trainer process always says 'ready' at once after a clean end
// (trainer-reuse.test.ts runs them), so these paths need processes that misbehave on purpose: scripted handles
// that record what the pool does to them, on fake timers for the pool's 5 s wait.

interface Scripted extends WorkerHandle<TrainerRequest, TrainerProcessMessage> {
  killed: boolean;
  posted: TrainerRequest[];
  say(m: unknown): void;
}

function scriptedLauncher(): { launcher: WorkerLauncher; handles: Scripted[] } {
  const handles: Scripted[] = [];
  const launcher = (() => {
    const messages: ((m: TrainerProcessMessage) => void)[] = [];
    const exits: ((code: number | null) => void)[] = [];
    const h: Scripted = {
      pid: 1000 + handles.length,
      killed: false,
      posted: [],
      post: (m) => void h.posted.push(m),
      onMessage: (l) => void messages.push(l),
      onExit: (l) => void exits.push(l),
      kill: () => {
        if (h.killed) return;
        h.killed = true;
        for (const l of exits) l(null);
      },
      say: (m) => {
        for (const l of messages) l(m as TrainerProcessMessage);
      },
    };
    handles.push(h);
    return h;
  }) as WorkerLauncher;
  return { launcher, handles };
}

const end = (runId: string, status: RunEndMessage['status'] = 'finished'): RunEndMessage => ({
  type: 'end',
  runId,
  status,
  iter: 10,
  elapsedMs: 5,
  message: status,
});
const ready = (runId: string) => ({ type: 'ready', runId, runs: 1, net: 'built' });

describe('TrainerPool when a process misbehaves', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('ends a process that is not ready within 5 s, and gives the waiting run a fresh one', () => {
    const { launcher, handles } = scriptedLauncher();
    const pool = new TrainerPool(launcher);
    const first = pool.lease();
    first.release(end('a'));
    const second = pool.lease(); // waits for the returning process rather than forking
    expect(handles).toHaveLength(1);
    vi.advanceTimersByTime(4999);
    expect(handles).toHaveLength(1);
    expect(handles[0]!.killed).toBe(false);
    vi.advanceTimersByTime(1);
    expect(handles[0]!.killed).toBe(true);
    expect(handles).toHaveLength(2);
    second.post({ type: 'cancel', runId: 'b' });
    expect(handles[1]!.posted).toHaveLength(1);
    expect(pool.counts).toEqual({ forked: 2, reused: 0, netsReused: 0 });
    pool.close();
  });

  it('lends a process again once it says ready for the run that ended', () => {
    const { launcher, handles } = scriptedLauncher();
    const pool = new TrainerPool(launcher);
    pool.lease().release(end('a'));
    const second = pool.lease();
    handles[0]!.say(ready('a'));
    vi.advanceTimersByTime(10_000); // the timer was cleared: no discard later
    expect(handles).toHaveLength(1);
    expect(handles[0]!.killed).toBe(false);
    second.post({ type: 'cancel', runId: 'b' });
    expect(handles[0]!.posted).toHaveLength(1);
    expect(pool.counts).toEqual({ forked: 1, reused: 1, netsReused: 0 });
    pool.close();
  });

  it('ignores a ready for another run or a malformed one, and still ends the process at 5 s', () => {
    const { launcher, handles } = scriptedLauncher();
    const pool = new TrainerPool(launcher);
    pool.lease().release(end('a'));
    handles[0]!.say(ready('b'));
    handles[0]!.say({ type: 'ready', runId: 'a', runs: 0, net: 'built' });
    handles[0]!.say({ type: 'ready', runId: 'a', runs: 1, net: 'built', extra: 1 });
    const next = pool.lease();
    expect(handles).toHaveLength(1);
    vi.advanceTimersByTime(5000);
    expect(handles[0]!.killed).toBe(true);
    expect(handles).toHaveLength(2);
    next.release(end('c', 'failed'));
    expect(handles[1]!.killed).toBe(true); // a failed run's process is never lent again
    expect(pool.counts.reused).toBe(0);
    pool.close();
  });

  it('ends a process at once when the run failed, and forks for the next run', () => {
    const { launcher, handles } = scriptedLauncher();
    const pool = new TrainerPool(launcher);
    pool.lease().release(end('a', 'failed'));
    expect(handles[0]!.killed).toBe(true);
    pool.lease();
    expect(handles).toHaveLength(2);
    pool.close();
    expect(handles[1]!.killed).toBe(false); // leased: ended when its run is released, not by close
  });
});
