import type { TrainConfig } from '../../../src-core/contracts/train-config';
import type { TrainerMessage } from '../../../src-core/contracts/train-protocol';
import type {
  StreamEvalMessage,
  StreamWeightsMessage,
  TrainStreamMessage,
} from '../../../src-core/contracts/train-stream';

/** How often a run's pending messages go to the renderer (ms). */
export const STREAM_INTERVAL_MS = 200;

type BatchMessage = Extract<TrainerMessage, { type: 'batch' }>;
type WeightsMessage = Extract<TrainerMessage, { type: 'weights' }>;
type EvalMessage = Extract<TrainerMessage, { type: 'eval' }>;

interface Pending {
  /** Contiguous 'batch' messages not yet sent, merged into one at flush. */
  batches: BatchMessage[];
  evals: EvalMessage[];
  weights: WeightsMessage | null;
  timer: unknown;
}

export interface TrainStreamTimers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: TrainStreamTimers = {
  set: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/**
 * Paces the trainer's messages for a display, so that the stream the renderer
 * must draw has a bounded rate whatever the trainer's pace and however many
 * runs train at once: per run, at most one delivery every intervalMs, made of
 *  - one 'batch' message with every mini-batch value since the last delivery;
 *  - every evaluation point, in order, only the newest carrying its detail, never the class probabilities (the
 *    main process keeps them: eval-probs.ts);
 *  - a notice of the newest 'weights' (iteration and shape; the numbers stay here: run-weights.ts).
 * 'started' goes out at once; 'end' first delivers what is pending, then
 * itself, at once. Nothing but superseded details and weights is dropped.
 */
export class TrainStreamPacer {
  readonly #send: (m: TrainStreamMessage) => void;
  readonly #intervalMs: number;
  readonly #timers: TrainStreamTimers;
  readonly #pending = new Map<string, Pending>();

  constructor(
    send: (m: TrainStreamMessage) => void,
    intervalMs = STREAM_INTERVAL_MS,
    timers: TrainStreamTimers = realTimers,
  ) {
    this.#send = send;
    this.#intervalMs = intervalMs;
    this.#timers = timers;
  }

  /** run: the settings of a run started from the Training view, which its 'started' message then carries. */
  push(message: TrainerMessage, run?: { kind: 'single' | 'sweep'; config: TrainConfig }): void {
    switch (message.type) {
      case 'started':
        this.flush(message.runId);
        this.#send(run?.kind === 'single' ? { ...message, config: run.config } : message);
        return;
      case 'end':
        this.flush(message.runId);
        this.#send(message);
        return;
      case 'batch': {
        const p = this.#open(message.runId);
        const last = p.batches[p.batches.length - 1];
        // A gap (never sent by the trainer) cannot be merged: deliver what came before it first.
        if (last && last.iter !== message.fromIter) this.flush(message.runId);
        this.#open(message.runId).batches.push(message);
        return;
      }
      case 'eval':
        this.#open(message.runId).evals.push(message);
        return;
      case 'weights':
        this.#open(message.runId).weights = message;
        return;
    }
  }

  /** Sends what is pending for one run (every run when runId is omitted). */
  flush(runId?: string): void {
    if (runId === undefined) {
      for (const id of [...this.#pending.keys()]) this.flush(id);
      return;
    }
    const p = this.#pending.get(runId);
    if (!p) return;
    this.#pending.delete(runId);
    if (p.timer !== null) this.#timers.clear(p.timer);
    const merged = mergeBatches(p.batches);
    if (merged) this.#send(merged);
    p.evals.forEach((m, i) => this.#send(forDisplay(m, i === p.evals.length - 1)));
    if (p.weights) this.#send(weightsNotice(p.weights));
  }

  #open(runId: string): Pending {
    let p = this.#pending.get(runId);
    if (!p) {
      p = { batches: [], evals: [], weights: null, timer: null };
      this.#pending.set(runId, p);
      p.timer = this.#timers.set(() => {
        if (this.#pending.get(runId) === p) {
          p!.timer = null;
          this.flush(runId);
        }
      }, this.#intervalMs);
    }
    return p;
  }
}

/** An evaluation as the display stream carries it: its detail (without the probabilities) only when wanted. */
function forDisplay(m: EvalMessage, withDetail: boolean): StreamEvalMessage {
  if (!withDetail) return { ...m, detail: null };
  const { predicted, confidence, confusion } = m.detail;
  return { ...m, detail: { predicted, confidence, confusion } };
}

/** The weights as the display stream carries them: which iteration, which shape, not the numbers. */
function weightsNotice(m: WeightsMessage): StreamWeightsMessage {
  const { type, runId, iter, hidden, inputs } = m;
  return { type, runId, iter, hidden, inputs };
}

/** One 'batch' message covering contiguous ones (null for none). */
export function mergeBatches(batches: readonly BatchMessage[]): BatchMessage | null {
  if (batches.length === 0) return null;
  if (batches.length === 1) return batches[0];
  let n = 0;
  for (const b of batches) n += b.loss.length;
  const loss = new Float32Array(n);
  const acc = new Float32Array(n);
  let at = 0;
  for (const b of batches) {
    loss.set(b.loss, at);
    acc.set(b.acc, at);
    at += b.loss.length;
  }
  const last = batches[batches.length - 1];
  return {
    type: 'batch',
    runId: last.runId,
    fromIter: batches[0].fromIter,
    loss,
    acc,
    iter: last.iter,
    epoch: last.epoch,
    elapsedMs: last.elapsedMs,
  };
}
