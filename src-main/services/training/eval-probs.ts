import { TestProbsRequestSchema, type TestProbs } from '../../../src-core/contracts/api-training';
import { LabError } from '../../../src-core/contracts/lab-error';
import { NUM_CLASSES, type TrainerMessage } from '../../../src-core/contracts/train-protocol';
import { parseOrThrow } from '../../../src-core/contracts/validate';
import type { ActiveRun } from './run-manager';

// The class probabilities of recent evaluations, kept in the main process so
// the display stream need not carry them (10,000 x 10 float32 = 400 KB per
// evaluation, which only the enlarged digit reads). The Training view's
// dialog asks for one image's ten values (lab.testProbs) when it opens.

/** Evaluations kept per run: the newest, and a few before it for a page still drawing an older one. */
const PROBS_EVALS_PER_RUN = 4;
/** Runs kept: the newest runs started from the Training view (a sweep's runs are not shown there). */
const PROBS_RUNS = 2;

interface Kept {
  iter: number;
  probs: Float32Array;
}

export class EvalProbsKeeper {
  /** Insertion order = run start order; the oldest run is dropped first. */
  readonly #runs = new Map<string, Kept[]>();

  /** A run observer: keeps each evaluation's probabilities of the runs started from the Training view. */
  observe(message: TrainerMessage, run: Pick<ActiveRun, 'kind'>): void {
    if (run.kind !== 'single') return;
    if (message.type === 'started') {
      this.#runs.set(message.runId, []);
      while (this.#runs.size > PROBS_RUNS) this.#runs.delete(this.#runs.keys().next().value!);
      return;
    }
    if (message.type !== 'eval') return;
    const kept = this.#runs.get(message.runId);
    if (!kept) return;
    kept.push({ iter: message.point.iter, probs: message.detail.probs });
    if (kept.length > PROBS_EVALS_PER_RUN) kept.shift();
  }

  /** One image's ten probabilities at one evaluation; null when that evaluation is not kept. */
  get(payload: unknown): TestProbs | null {
    const req = parseOrThrow(TestProbsRequestSchema, payload, 'testProbs');
    const kept = this.#runs.get(req.runId) ?? [];
    // The newest evaluation of that iteration (early stopping's restored point may repeat one).
    let at: Kept | null = null;
    for (const k of kept) if (k.iter === req.iter) at = k;
    if (!at) return null;
    const images = at.probs.length / NUM_CLASSES;
    if (req.index >= images)
      throw new LabError('invalid-input', `testProbs: index: ${req.index} is past the test set (${images} images)`);
    const probs = at.probs.slice(req.index * NUM_CLASSES, (req.index + 1) * NUM_CLASSES);
    return { runId: req.runId, iter: req.iter, index: req.index, probs };
  }
}
