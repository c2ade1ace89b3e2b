import { randomUUID } from 'node:crypto';
import { LabError } from '../../src-core/contracts/lab-error';
import { TrainConfigSchema, type TrainConfig } from '../../src-core/contracts/train-config';
import type { DatasetFiles, TrainerMessage, TrainerRequest } from '../../src-core/contracts/train-protocol';
import { parseOrThrow } from '../../src-core/contracts/validate';
import type { WorkerHandle, WorkerLauncher } from '../workers/worker-handle';

/** Sees every message of every run, in order (the session store, the CLI printer, the renderer stream). */
export type RunObserver = (message: TrainerMessage, run: ActiveRun) => void;

export interface ActiveRun {
  runId: string;
  config: TrainConfig;
  dataset: DatasetFiles;
  startedAt: number;
}

/** How long a cancelled worker may take to say goodbye before it is killed. */
const CANCEL_GRACE_MS = 1000;

/**
 * Starts trainer workers and relays their messages. One worker process per
 * run; a worker that exits without an 'end' message gets one written for it
 * (status 'failed'), so every run ends exactly once.
 */
export class RunManager {
  readonly #launcher: WorkerLauncher;
  readonly #observers: RunObserver[] = [];
  readonly #active = new Map<string, { run: ActiveRun; worker: WorkerHandle<TrainerRequest, TrainerMessage>; ended: boolean; cancelRequested: boolean; lastIter: number }>();

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

  start(payload: unknown, dataset: DatasetFiles): ActiveRun {
    const config = parseOrThrow(TrainConfigSchema, payload, 'training settings');
    const run: ActiveRun = { runId: randomUUID(), config, dataset, startedAt: Date.now() };
    const worker = this.#launcher<TrainerRequest, TrainerMessage>('trainer');
    const entry = { run, worker, ended: false, cancelRequested: false, lastIter: 0 };
    this.#active.set(run.runId, entry);
    worker.onMessage((message) => {
      // Drop anything not tagged with this worker's run (stale or foreign).
      if (message.runId !== run.runId || entry.ended) return;
      if (message.type === 'end') entry.ended = true;
      if (message.type === 'batch') entry.lastIter = message.iter;
      this.#dispatch(message, run);
      if (entry.ended) {
        this.#active.delete(run.runId);
        // Everything has arrived: the worker's job is done.
        worker.kill();
      }
    });
    worker.onExit((code) => {
      if (!entry.ended) {
        entry.ended = true;
        this.#active.delete(run.runId);
        this.#dispatch(
          {
            type: 'end',
            runId: run.runId,
            status: entry.cancelRequested ? 'cancelled' : 'interrupted',
            iter: entry.lastIter,
            elapsedMs: Date.now() - run.startedAt,
            message: entry.cancelRequested
              ? 'cancelled (the trainer was stopped)'
              : `interrupted: the trainer process died (${code === null ? 'killed by a signal' : `exit code ${code}`}); what it recorded is kept`,
          },
          run,
        );
      }
    });
    worker.post({ type: 'start', runId: run.runId, config, dataset });
    return run;
  }

  cancel(runId: unknown): void {
    if (typeof runId !== 'string') throw new LabError('invalid-input', 'cancelTraining: runId must be a string');
    const entry = this.#active.get(runId);
    if (!entry) return; // already ended: cancelling is idempotent
    entry.cancelRequested = true;
    entry.worker.post({ type: 'cancel', runId });
    setTimeout(() => {
      if (!entry.ended) entry.worker.kill();
    }, CANCEL_GRACE_MS).unref?.();
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
