import { randomUUID } from 'node:crypto';
import { LabError } from '../../../src-core/contracts/lab-error';
import { TrainConfigSchema, type TrainConfig } from '../../../src-core/contracts/train-config';
import type { DatasetFiles, TrainerMessage, TrainerRequest } from '../../../src-core/contracts/train-protocol';
import type { RunEndMessage } from '../../../src-core/contracts/train-stream';
import { parseOrThrow } from '../../../src-core/contracts/validate';
import type { WorkerHandle, WorkerLauncher } from '../../workers/worker-handle';

/** Sees every message of every run, in order (the session store, the CLI printer, the renderer stream). */
export type RunObserver = (message: TrainerMessage, run: ActiveRun) => void;

export interface ActiveRun {
  runId: string;
  /** 'single': started from the Training view (or the CLI); 'sweep': one run of a sweep or study. */
  kind: 'single' | 'sweep';
  config: TrainConfig;
  dataset: DatasetFiles;
  startedAt: number;
}

interface ActiveEntry {
  run: ActiveRun;
  worker: WorkerHandle<TrainerRequest, TrainerMessage>;
  ended: boolean;
  cancelRequested: boolean;
  lastIter: number;
  /** Resolved with the run's 'end' message once it has been dispatched (cancel waits on it). */
  onEnd: ((end: RunEndMessage) => void)[];
}

/** How long a cancelled worker may take to say goodbye before it is killed. */
const CANCEL_GRACE_MS = 1000;

/**
 * Starts trainer workers and relays their messages. One worker process per
 * run; a worker that exits without an 'end' message gets one written for it
 * (status 'cancelled' if a cancel was asked for, else 'interrupted'), so every
 * run ends exactly once.
 */
export class RunManager {
  readonly #launcher: WorkerLauncher;
  readonly #observers: RunObserver[] = [];
  readonly #active = new Map<string, ActiveEntry>();

  constructor(launcher: WorkerLauncher) {
    this.#launcher = launcher;
  }

  observe(observer: RunObserver): () => void {
    this.#observers.push(observer);
    return () => {
      const i = this.#observers.indexOf(observer);
      if (i >= 0) this.#observers.splice(i, 1);
    };
  }

  /** Ids of the runs whose workers are alive. */
  activeRunIds(): string[] {
    return [...this.#active.keys()];
  }

  start(payload: unknown, dataset: DatasetFiles, kind: ActiveRun['kind'] = 'single'): ActiveRun {
    const config = parseOrThrow(TrainConfigSchema, payload, 'training settings');
    const run: ActiveRun = { runId: randomUUID(), kind, config, dataset, startedAt: Date.now() };
    const worker = this.#launcher<TrainerRequest, TrainerMessage>('trainer');
    const entry: ActiveEntry = { run, worker, ended: false, cancelRequested: false, lastIter: 0, onEnd: [] };
    this.#active.set(run.runId, entry);
    worker.onMessage((message) => {
      // Drop anything not tagged with this worker's run (stale or foreign).
      if (message.runId !== run.runId || entry.ended) return;
      if (message.type === 'end') entry.ended = true;
      if (message.type === 'batch') entry.lastIter = message.iter;
      this.#dispatch(message, run);
      if (message.type === 'end') {
        this.#active.delete(run.runId);
        // Everything has arrived: the worker's job is done.
        worker.kill();
        this.#settle(entry, message);
      }
    });
    worker.onExit((code) => {
      if (!entry.ended) {
        entry.ended = true;
        this.#active.delete(run.runId);
        const end: RunEndMessage = {
          type: 'end',
          runId: run.runId,
          status: entry.cancelRequested ? 'cancelled' : 'interrupted',
          iter: entry.lastIter,
          elapsedMs: Date.now() - run.startedAt,
          message: entry.cancelRequested
            ? 'cancelled (the trainer was stopped)'
            : `interrupted: the trainer process died (${code === null ? 'killed by a signal' : `exit code ${code}`}); what it recorded is kept`,
        };
        this.#dispatch(end, run);
        this.#settle(entry, end);
      }
    });
    // A lone run started from the Training view or the CLI steps on two threads; a sweep's or study's runs (two
    // processes at a time) and a run beside others keep one each.
    const stepThreads = kind === 'single' && this.#active.size === 1 ? 2 : 1;
    worker.post({ type: 'start', runId: run.runId, config, dataset, stepThreads });
    return run;
  }

  /**
   * Ask a run to stop; the worker is killed if it has not ended within CANCEL_GRACE_MS. Resolves with the run's
   * 'end' message once every observer has seen it (null if the run had already ended: cancelling is idempotent).
   */
  cancel(runId: unknown): Promise<RunEndMessage | null> {
    if (typeof runId !== 'string') throw new LabError('invalid-input', 'cancelTraining: runId must be a string');
    const entry = this.#active.get(runId);
    if (!entry) return Promise.resolve(null);
    const ended = new Promise<RunEndMessage>((resolve) => entry.onEnd.push(resolve));
    if (!entry.cancelRequested) {
      entry.cancelRequested = true;
      entry.worker.post({ type: 'cancel', runId });
      setTimeout(() => {
        if (!entry.ended) entry.worker.kill();
      }, CANCEL_GRACE_MS).unref?.();
    }
    return ended;
  }

  #settle(entry: ActiveEntry, end: RunEndMessage): void {
    const waiting = entry.onEnd.splice(0);
    for (const resolve of waiting) resolve(end);
  }

  /** Kill every worker (app quit, test teardown). */
  shutdown(): void {
    for (const { worker } of this.#active.values()) worker.kill();
  }

  #dispatch(message: TrainerMessage, run: ActiveRun): void {
    for (const observer of this.#observers) {
      try {
        observer(message, run);
      } catch (err) {
        console.error('momentum-lab: a run observer failed:', err);
      }
    }
  }
}
