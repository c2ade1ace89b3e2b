import type { TrainerMessage, TrainerRequest } from '../../../src-core/contracts/train-protocol';
import type { RunEndMessage } from '../../../src-core/contracts/train-stream';
import { TrainerReadySchema, type TrainerProcessMessage } from '../../../src-core/contracts/trainer-process';
import type { WorkerHandle, WorkerLauncher } from '../../workers/worker-handle';

// Trainer processes for runs. A lease is one run's use of one trainer process: RunManager posts the run's requests
// to it, hears the run's messages and the process's exit from it, and releases it with the run's 'end'.
// freshLease: a process of its own, ended at release (the Training view, the CLI's train). TrainerPool: the runs of
// one sweep or study share their processes: a process whose run ended cleanly (finished, collapsed, cancelled or
// diverged, said by the process itself) and which then says 'ready' (src-main/workers/trainer-entry.ts: its
// evaluations settled, its evaluation thread alive) takes the next run; a run that failed, a process that died,
// was killed, or is not ready within READY_MS is discarded, and the next run gets a fresh process.

export interface TrainerLease {
  post(message: TrainerRequest): void;
  onMessage(listener: (message: TrainerMessage) => void): void;
  /** Called once if the process exits (or the lease is killed before it had one) while the run holds it. */
  onExit(listener: (code: number | null) => void): void;
  /** Ends the process (a cancel not honoured in time, shutdown); it is never lent again. */
  kill(): void;
  /** The run's 'end' has been read: the lease is over; the process is ended, or kept for the next run. */
  release(end: RunEndMessage): void;
}

type TrainerHandle = WorkerHandle<TrainerRequest, TrainerProcessMessage>;

/** A lease on a process of its own, ended at release. */
export function freshLease(launcher: WorkerLauncher): TrainerLease {
  const worker = launcher<TrainerRequest, TrainerProcessMessage>('trainer');
  return {
    post: (m) => worker.post(m),
    onMessage: (l) =>
      worker.onMessage((m) => {
        if (m.type !== 'ready') l(m);
      }),
    onExit: (l) => worker.onExit(l),
    kill: () => worker.kill(),
    release: () => worker.kill(),
  };
}

/** How long a process whose run ended may take to say 'ready' before it is ended instead of lent again. */
const READY_MS = 5000;

/** Statuses a trainer process itself ends a run with and stays fit for another ('failed' is never trusted). */
const REUSABLE: ReadonlySet<string> = new Set(['finished', 'collapsed', 'cancelled', 'diverged']);

interface Member {
  handle: TrainerHandle;
  state: 'leased' | 'returning' | 'idle' | 'dead';
  lease: Lease | null;
  /** While returning: the run whose 'ready' is awaited. */
  awaiting: string | null;
  timer: ReturnType<typeof setTimeout> | null;
}

interface Lease extends TrainerLease {
  member: Member | null;
  queue: TrainerRequest[];
  messageListeners: ((m: TrainerMessage) => void)[];
  exitListeners: ((code: number | null) => void)[];
  over: boolean;
}

/** The trainer processes of one sweep or study; close() when it is done. */
export class TrainerPool {
  readonly #launcher: WorkerLauncher;
  readonly #members = new Set<Member>();
  /** Leases waiting for a process that is returning. */
  readonly #waiting: Lease[] = [];
  #closed = false;
  /**
   * Processes forked so far, runs given to a process that had served one before, and runs whose process said it
   * reused the previous run's packed images (for tests and benchmarks).
   */
  readonly counts = { forked: 0, reused: 0, netsReused: 0 };

  constructor(launcher: WorkerLauncher) {
    this.#launcher = launcher;
  }

  /** A lease for the next run: an idle process, one about to be ready, or a fresh one. */
  lease(): TrainerLease {
    const lease = this.#newLease();
    this.#waiting.push(lease);
    this.#balance();
    return lease;
  }

  /** No more runs: idle and returning processes are ended now, leased ones when their run is released. */
  close(): void {
    this.#closed = true;
    for (const m of this.#members) if (m.state === 'idle' || m.state === 'returning') this.#discard(m);
    for (const lease of this.#waiting.splice(0)) lease.kill();
  }

  #newLease(): Lease {
    const lease: Lease = {
      member: null,
      queue: [],
      messageListeners: [],
      exitListeners: [],
      over: false,
      post: (m) => {
        if (lease.over) return;
        if (lease.member) lease.member.handle.post(m);
        else lease.queue.push(m);
      },
      onMessage: (l) => void lease.messageListeners.push(l),
      onExit: (l) => void lease.exitListeners.push(l),
      kill: () => {
        if (lease.over) return;
        if (lease.member) {
          lease.member.handle.kill(); // its exit reaches the lease's listeners
          return;
        }
        const at = this.#waiting.indexOf(lease);
        if (at >= 0) this.#waiting.splice(at, 1);
        lease.over = true;
        setImmediate(() => lease.exitListeners.forEach((l) => l(null)));
        this.#balance();
      },
      release: (end) => {
        if (lease.over) return;
        lease.over = true;
        const m = lease.member;
        if (!m || m.lease !== lease) return;
        m.lease = null;
        if (this.#closed || !REUSABLE.has(end.status) || m.state !== 'leased') this.#discard(m);
        else {
          m.state = 'returning';
          m.awaiting = end.runId;
          m.timer = setTimeout(() => {
            this.#discard(m);
            this.#balance(); // a run waiting for it gets a fresh process
          }, READY_MS);
          m.timer.unref?.();
        }
        this.#balance();
      },
    };
    return lease;
  }

  /** Binds waiting leases to idle processes, then forks for those no returning process will take. */
  #balance(): void {
    for (const m of this.#members) {
      if (this.#waiting.length === 0) return;
      if (m.state === 'idle') this.#bind(this.#waiting.shift()!, m, true);
    }
    const returning = [...this.#members].filter((m) => m.state === 'returning').length;
    while (this.#waiting.length > returning && !this.#closed) this.#bind(this.#waiting.shift()!, this.#fork(), false);
  }

  #bind(lease: Lease, m: Member, reused: boolean): void {
    if (reused) this.counts.reused++;
    m.state = 'leased';
    m.lease = lease;
    lease.member = m;
    for (const request of lease.queue.splice(0)) m.handle.post(request);
  }

  #fork(): Member {
    const handle = this.#launcher<TrainerRequest, TrainerProcessMessage>('trainer');
    this.counts.forked++;
    const m: Member = { handle, state: 'leased', lease: null, awaiting: null, timer: null };
    this.#members.add(m);
    handle.onMessage((message) => {
      if (message.type !== 'ready') {
        if (m.lease && !m.lease.over) for (const l of m.lease.messageListeners) l(message);
        return;
      }
      const ready = TrainerReadySchema.safeParse(message);
      if (!ready.success || m.state !== 'returning' || ready.data.runId !== m.awaiting) return;
      if (m.timer) clearTimeout(m.timer);
      if (ready.data.net === 'reused') this.counts.netsReused++;
      m.state = 'idle';
      m.awaiting = null;
      this.#balance();
    });
    handle.onExit((code) => {
      if (m.timer) clearTimeout(m.timer);
      m.state = 'dead';
      this.#members.delete(m);
      const lease = m.lease;
      m.lease = null;
      if (lease && !lease.over) {
        lease.over = true;
        for (const l of lease.exitListeners) l(code);
      }
      this.#balance();
    });
    return m;
  }

  #discard(m: Member): void {
    if (m.timer) clearTimeout(m.timer);
    m.state = 'dead';
    this.#members.delete(m);
    m.handle.kill();
  }
}
