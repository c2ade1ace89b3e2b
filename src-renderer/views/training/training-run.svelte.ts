import type { TrainConfig } from '../../../src-core/contracts/train-config';
import type { EvalPoint, RunStatus } from '../../../src-core/contracts/train-protocol';
import type { StreamEvalDetail, TrainStreamMessage } from '../../../src-core/contracts/train-stream';
import type { RecordingState } from '../../../src-core/contracts/api-sessions';
import type { HiddenWeights } from '../../../src-core/contracts/api-training';
import { Growable } from './growable';

/**
 * One training run as the Training view follows it: progress, the
 * per-iteration mini-batch curves (with a debiased exponential moving average
 * for drawing), every evaluation, and the latest per-image test results.
 * Long series live in plain typed arrays; `version` bumps when they change.
 */
export class TrainingRun {
  readonly runId: string;
  readonly config: TrainConfig;
  readonly datasetId: string;

  status = $state<RunStatus>('running');
  cancelling = $state(false);
  trainSize = $state(0);
  testSize = $state(0);
  itersPerEpoch = $state(0);
  totalIters = $state(0);
  iter = $state(0);
  epoch = $state(0);
  elapsedMs = $state(0);
  /** Bumps on every change of the typed-array series below. */
  version = $state(0);
  evals = $state.raw<EvalPoint[]>([]);
  /** Per-image results of the latest evaluation that carried them (without the class probabilities: lab.testProbs). */
  detail = $state.raw<StreamEvalDetail | null>(null);
  /** The iteration of the evaluation `detail` belongs to. */
  detailIter = $state(-1);
  end = $state.raw<{
    iter: number;
    message: string;
    elapsedMs: number;
    stoppedAt?: number | null;
    collapsedAt?: number | null;
  } | null>(null);
  /** How the run's recording into the session stands (null: nothing said yet, i.e. saving as it goes). */
  recording = $state.raw<RecordingState | null>(null);
  /** The latest first-layer weights the lab has (the stream's notice: iteration and shape), null before the first. */
  newestWeights = $state.raw<{ iter: number; hidden: number; inputs: number } | null>(null);
  /** First-layer weights as last asked for (lab.hiddenWeights, by the Hidden units panel), with their iteration. */
  weights = $state.raw<HiddenWeights | null>(null);
  /** Which images sharpness is measured on ('started' message), e.g. "the run's 300-image training subset"; null when off or not said. */
  sharpnessSet = $state<string | null>(null);

  /** x of the per-iteration series: the iteration number (1-based). */
  readonly iters = new Growable();
  readonly batchLoss = new Growable();
  readonly batchAcc = new Growable();
  readonly smoothLoss = new Growable();
  readonly smoothAcc = new Growable();
  #emaLoss = 0;
  #emaAcc = 0;
  #emaCount = 0;
  #beta = 0.98;

  constructor(runId: string, config: TrainConfig, datasetId: string) {
    this.runId = runId;
    this.config = config;
    this.datasetId = datasetId;
  }

  /** Fold one trainer message of this run into the state; messages of other runs are ignored. */
  handle(msg: TrainStreamMessage): void {
    if (msg.runId !== this.runId) return;
    switch (msg.type) {
      case 'started':
        this.trainSize = msg.trainSize;
        this.testSize = msg.testSize;
        this.itersPerEpoch = msg.itersPerEpoch;
        this.totalIters = msg.totalIters;
        this.sharpnessSet = msg.sharpnessSet?.description ?? null;
        // Smooth over about 1/50 of the run, between 3 and 50 iterations.
        this.#beta = 1 - 1 / Math.min(50, Math.max(3, msg.totalIters / 50));
        break;
      case 'batch':
        this.#appendBatch(msg.fromIter, msg.loss, msg.acc);
        // Values still in flight when the end arrived first (cancel answers it) fill the curves, not the progress.
        if (!this.end) {
          this.iter = msg.iter;
          this.epoch = msg.epoch;
          this.elapsedMs = msg.elapsedMs;
        }
        this.version++;
        break;
      case 'eval':
        this.evals = [...this.evals, msg.point];
        // A later evaluation of the same delivery carries the detail (see train-stream.ts).
        if (msg.detail) this.showDetail(msg.point.iter, msg.detail);
        if (!this.end) {
          if (msg.point.iter > this.iter) this.iter = msg.point.iter;
          this.elapsedMs = Math.max(this.elapsedMs, msg.point.elapsedMs);
        }
        break;
      case 'weights':
        // The latest notice, even of an earlier iteration (early stopping's restored weights come last).
        this.newestWeights = { iter: msg.iter, hidden: msg.hidden, inputs: msg.inputs };
        break;
      case 'end':
        // The end can arrive twice (cancelTraining answers it, and the stream carries it): the first one counts.
        if (this.end) break;
        this.status = msg.status;
        this.cancelling = false;
        this.end = {
          iter: msg.iter,
          message: msg.message,
          elapsedMs: msg.elapsedMs,
          stoppedAt: msg.stoppedAt,
          collapsedAt: msg.collapsedAt,
        };
        this.elapsedMs = msg.elapsedMs;
        if (msg.status !== 'diverged' && msg.iter > this.iter) this.iter = msg.iter;
        this.version++;
        break;
    }
  }

  /** Show the per-image results of the evaluation at `iter` (the galleries, the dialog's probabilities). */
  showDetail(iter: number, detail: StreamEvalDetail): void {
    this.detail = detail;
    this.detailIter = iter;
  }

  /** Seconds left, extrapolated from the pace so far (NaN before the first batch). */
  get etaMs(): number {
    if (this.status !== 'running' || this.iter <= 0 || this.totalIters <= 0) return NaN;
    return (this.elapsedMs * (this.totalIters - this.iter)) / this.iter;
  }

  #appendBatch(fromIter: number, loss: Float32Array, acc: Float32Array): void {
    for (let k = 0; k < loss.length; k++) {
      const i = fromIter + k;
      const l = loss[k];
      const a = acc[k];
      this.iters.set(i, i + 1);
      this.batchLoss.set(i, l);
      this.batchAcc.set(i, a);
      // Debiased EMA: s_t = b*s_{t-1} + (1-b)*x_t, shown as s_t / (1 - b^t).
      this.#emaCount++;
      this.#emaLoss = this.#beta * this.#emaLoss + (1 - this.#beta) * l;
      this.#emaAcc = this.#beta * this.#emaAcc + (1 - this.#beta) * a;
      const debias = 1 - Math.pow(this.#beta, this.#emaCount);
      this.smoothLoss.set(i, this.#emaLoss / debias);
      this.smoothAcc.set(i, this.#emaAcc / debias);
    }
  }
}
