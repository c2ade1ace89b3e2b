/**
 * Collects items as they arrive and hands them over in one call per animation
 * frame, so a burst of events costs one state update and one redraw, however
 * many items it holds. Browsers pause animation frames in hidden tabs, so a
 * timer delivers too (whichever fires first), and the queue never grows
 * without bound while nobody looks. With a minimum gap, a delivery waits
 * until that long after the previous one (fewer redraws of a fast stream).
 */
export class FrameQueue<T> {
  readonly #deliver: (items: T[]) => void;
  readonly #fallbackMs: number;
  readonly #minGapMs: number;
  #items: T[] = [];
  #frame: number | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #gap: ReturnType<typeof setTimeout> | null = null;
  #last = -Infinity;

  constructor(deliver: (items: T[]) => void, fallbackMs = 100, minGapMs = 0) {
    this.#deliver = deliver;
    this.#fallbackMs = fallbackMs;
    this.#minGapMs = minGapMs;
  }

  push(item: T): void {
    this.#items.push(item);
    if (this.#frame !== null || this.#timer !== null || this.#gap !== null) return;
    const wait = this.#last + this.#minGapMs - Date.now();
    if (wait > 0) {
      this.#gap = setTimeout(() => {
        this.#gap = null;
        this.#schedule();
      }, wait);
      return;
    }
    this.#schedule();
  }

  #schedule(): void {
    if (typeof requestAnimationFrame === 'function') this.#frame = requestAnimationFrame(() => this.flush());
    this.#timer = setTimeout(() => this.flush(), this.#fallbackMs);
  }

  /** Delivers what is queued now (nothing if empty). */
  flush(): void {
    if (this.#frame !== null && typeof cancelAnimationFrame === 'function') cancelAnimationFrame(this.#frame);
    if (this.#timer !== null) clearTimeout(this.#timer);
    if (this.#gap !== null) clearTimeout(this.#gap);
    this.#frame = null;
    this.#timer = null;
    this.#gap = null;
    const items = this.#items;
    if (items.length === 0) return;
    this.#items = [];
    this.#last = Date.now();
    this.#deliver(items);
  }
}
