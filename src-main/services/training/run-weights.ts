import { HiddenWeightsRequestSchema, type HiddenWeights } from '../../../src-core/contracts/api-training';
import type { TrainerMessage } from '../../../src-core/contracts/train-protocol';
import { parseOrThrow } from '../../../src-core/contracts/validate';
import type { ActiveRun } from './run-manager';

// The newest first-layer weights of recent runs, kept in the main process so
// the display stream need not carry them (64 x 784 float32, 200 KB per
// evaluation, which the renderer decoded on its main thread for every
// delivery). The stream says which iteration the newest are from; the Hidden
// units panel asks for them (lab.hiddenWeights) when it is on screen.

/** Runs kept: the newest runs started from the Training view (a sweep's runs are not shown there). */
const WEIGHTS_RUNS = 2;

export class RunWeightsKeeper {
  /** Insertion order = run start order; the oldest run is dropped first. null: no weights yet. */
  readonly #runs = new Map<string, HiddenWeights | null>();

  /** A run observer: keeps the newest weights of the runs started from the Training view. */
  observe(message: TrainerMessage, run: Pick<ActiveRun, 'kind'>): void {
    if (run.kind !== 'single') return;
    if (message.type === 'started') {
      this.#runs.set(message.runId, null);
      while (this.#runs.size > WEIGHTS_RUNS) this.#runs.delete(this.#runs.keys().next().value!);
      return;
    }
    if (message.type !== 'weights' || !this.#runs.has(message.runId)) return;
    const { runId, iter, hidden, inputs, w1 } = message;
    this.#runs.set(runId, { runId, iter, hidden, inputs, w1 });
  }

  /** The newest weights of a run; null when there are none or the run is not kept. */
  get(payload: unknown): HiddenWeights | null {
    const req = parseOrThrow(HiddenWeightsRequestSchema, payload, 'hiddenWeights');
    return this.#runs.get(req.runId) ?? null;
  }
}
