import { lab } from '../lib/lab';

/** Images per lab.digits() request when filling the galleries. */
export const DIGIT_PAGE = 120;

/**
 * The test split of one dataset as the galleries need it: every true label
 * (an evaluation's per-image results carry predictions, not the truth) and
 * the pixels of the images shown so far, fetched in pages.
 */
export class TestDigits {
  readonly datasetId: string;
  readonly count: number;
  rows = 28;
  cols = 28;
  /** Bumps whenever labels or pixels arrive, so views that read them redraw. */
  version = $state(0);
  /** How many leading labels are known; all are when it equals count. */
  labelsLoaded = $state(0);
  error = $state('');
  readonly labels: Uint8Array;
  #pixels: Uint8Array | null = null;
  readonly #views = new Map<number, Uint8Array>();
  readonly #have: Uint8Array;
  #labelsPromise: Promise<void> | null = null;
  #queue: Promise<void> = Promise.resolve();

  constructor(datasetId: string, count: number, rows = 28, cols = 28) {
    if (!(count >= 0)) throw new RangeError(`TestDigits: count must be >= 0, got ${count}`);
    this.datasetId = datasetId;
    this.count = count;
    this.rows = rows;
    this.cols = cols;
    this.labels = new Uint8Array(count);
    this.#have = new Uint8Array(count);
  }

  get labelsReady(): boolean {
    return this.labelsLoaded >= this.count;
  }

  /** The grey levels of test image `index`, or null if not fetched yet. */
  pixelsOf(index: number): Uint8Array | null {
    if (!this.#pixels || !this.#have[index]) return null;
    // The same view every time, so a tile whose image is already drawn does not redraw when other images arrive.
    let view = this.#views.get(index);
    if (!view) {
      const size = this.rows * this.cols;
      view = this.#pixels.subarray(index * size, (index + 1) * size);
      this.#views.set(index, view);
    }
    return view;
  }

  /** Load every test label in one request; resolves when all are known. */
  loadLabels(): Promise<void> {
    this.#labelsPromise ??= (async () => {
      const labels = await lab.labels({ split: 'test' });
      if (labels.length !== this.count)
        throw new Error(`the test set has ${labels.length} labels, expected ${this.count}`);
      this.labels.set(labels);
      this.labelsLoaded = this.count;
      this.version++;
    })().catch((e: unknown) => {
      this.error = e instanceof Error ? e.message : String(e);
      this.#labelsPromise = null;
    });
    return this.#labelsPromise;
  }

  /** Fetch the pixels of these test images that are not here yet, DIGIT_PAGE at a time. */
  ensure(indices: readonly number[]): Promise<void> {
    const missing = indices.filter((i) => i >= 0 && i < this.count && !this.#have[i]);
    if (missing.length === 0) return this.#queue;
    this.#queue = this.#queue
      .then(async () => {
        const still = missing.filter((i) => !this.#have[i]);
        for (let k = 0; k < still.length; k += DIGIT_PAGE) await this.#fetch(still.slice(k, k + DIGIT_PAGE));
      })
      .catch((e: unknown) => {
        this.error = e instanceof Error ? e.message : String(e);
      });
    return this.#queue;
  }

  async #fetch(indices: number[]): Promise<void> {
    if (indices.length === 0) return;
    const res = await lab.digits({ split: 'test', indices });
    const size = res.rows * res.cols;
    if (!this.#pixels) {
      this.rows = res.rows;
      this.cols = res.cols;
      this.#pixels = new Uint8Array(this.count * size);
    }
    indices.forEach((index, k) => {
      this.#pixels!.set(res.pixels.subarray(k * size, (k + 1) * size), index * size);
      this.labels[index] = res.labels[k];
      this.#have[index] = 1;
    });
    this.version++;
  }
}
