import type { DatasetInfo } from '../../../src-core/contracts/dataset';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from '../../../src-core/contracts/train-config';
import type { StreamEvalDetail, TrainStreamMessage } from '../../../src-core/contracts/train-stream';
import { TestDigits } from '../../digits/test-digits.svelte';
import { FrameQueue } from '../../lib/frame-queue';
import { lab, onLabEvent } from '../../lib/lab';
import { defaultFields, type FormFields } from './train-form';
import { TrainingRun } from './training-run.svelte';

/** Least time between two folds of run messages (the end of the followed run does not wait: see connect). */
const FOLD_GAP_MS = 400;

/** The heavy part of a delivery: an evaluation's per-image detail (the galleries). */
type Heavy = { runId: string; iter: number; detail: StreamEvalDetail };

/**
 * What the Training view shows, kept outside the component so that switching
 * to another view and back (which remounts it) finds the run still followed,
 * its curves intact and the form as the user left it. Subscribes to the run
 * events once, for the life of the page.
 */
class TrainingState {
  dataset = $state.raw<DatasetInfo | null>(null);
  datasetError = $state('');
  run = $state<TrainingRun | null>(null);
  starting = $state(false);
  startError = $state('');
  store = $state<TestDigits | null>(null);
  fields = $state<FormFields>(defaultFields(DEFAULT_TRAIN_CONFIG));
  /** Messages that arrive while startTraining has not yet told us the run id. */
  #early: TrainStreamMessage[] = [];
  /**
   * Run messages wait here for the next animation frame, then are folded in together (one redraw per frame), at
   * most one fold every FOLD_GAP_MS: the curves need not redraw at the stream's pace.
   */
  readonly #incoming = new FrameQueue<TrainStreamMessage>(
    (messages) => {
      for (const msg of messages) this.#route(this.#defer(msg));
    },
    100,
    FOLD_GAP_MS,
  );
  /**
   * The followed run's newest per-image detail (the galleries) waits for the next frame, so that no frame redraws
   * the charts and the galleries at once. (The hidden units' weights are not on the stream: the panel asks for
   * them, LiveHiddenUnits.svelte.)
   */
  #heavy: Heavy | null = null;
  readonly #heavyFrames = new FrameQueue<null>(() => {
    const next = this.#heavy;
    this.#heavy = null;
    if (next && this.run && next.runId === this.run.runId) this.run.showDetail(next.iter, next.detail);
  });
  #connected = false;

  get running(): boolean {
    return this.starting || this.run?.status === 'running';
  }

  /** Subscribe to run events (once) and (re)read the current dataset. */
  connect(): void {
    if (!this.#connected) {
      this.#connected = true;
      onLabEvent((event) => {
        if (event.channel === 'recording') {
          if (this.run && event.recording.runId === this.run.runId) this.run.recording = event.recording;
          return;
        }
        if (event.channel !== 'train') return;
        const msg = event.message;
        // The end of the followed run changes the status at once: what is still queued is folded in now (not at
        // the next frame or fold), then the end, so "finished" comes with the whole curve.
        if (msg.type === 'end' && this.run && msg.runId === this.run.runId) {
          this.#incoming.flush();
          this.run?.handle(msg);
        } else this.#incoming.push(msg);
      });
    }
    lab.datasetInfo().then(
      (info) => this.useDataset(info),
      (e: unknown) => (this.datasetError = e instanceof Error ? e.message : String(e)),
    );
  }

  /** The message as it is folded in now; the detail of the followed run's evaluation goes to #heavy. */
  #defer(msg: TrainStreamMessage): TrainStreamMessage {
    if (!this.run || msg.runId !== this.run.runId || msg.type !== 'eval' || !msg.detail) return msg;
    this.#heavy = { runId: msg.runId, iter: msg.point.iter, detail: msg.detail };
    this.#heavyFrames.push(null);
    return { ...msg, detail: null };
  }

  #route(msg: TrainStreamMessage): void {
    if (this.run && msg.runId === this.run.runId) this.run.handle(msg);
    else if (this.starting) this.#early.push(msg);
    else if (msg.type === 'started' && msg.config && this.dataset && this.run?.status !== 'running') {
      // A run started elsewhere (another tab of the same lab): follow it here too.
      this.run = new TrainingRun(msg.runId, msg.config, this.dataset.id);
      this.run.handle(msg);
    }
  }

  useDataset(info: DatasetInfo): void {
    this.dataset = info;
    this.datasetError = '';
    if (!this.store || this.store.datasetId !== info.id)
      this.store = new TestDigits(info.id, info.testCount, info.rows, info.cols);
  }

  async start(config: TrainConfig): Promise<void> {
    if (this.running || !this.dataset) return;
    this.starting = true;
    this.startError = '';
    this.#early = [];
    try {
      const { runId } = await lab.startTraining(config);
      this.#incoming.flush();
      const next = new TrainingRun(runId, config, this.dataset.id);
      for (const msg of this.#early) next.handle(msg);
      this.run = next;
    } catch (e) {
      this.startError = `Refused: ${e instanceof Error ? e.message : String(e)}`;
    } finally {
      this.#early = [];
      this.starting = false;
    }
  }

  async cancel(): Promise<void> {
    const run = this.run;
    if (!run || run.status !== 'running') return;
    run.cancelling = true;
    try {
      // The answer carries the run's end: the status changes now, not when the event stream catches up.
      const end = await lab.cancelTraining(run.runId);
      if (end) run.handle(end);
      else run.cancelling = false;
    } catch (e) {
      run.cancelling = false;
      this.startError = `Cancel failed: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
}

export const training = new TrainingState();
