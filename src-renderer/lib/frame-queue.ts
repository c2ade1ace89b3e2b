/**
 * Collects items as they arrive and hands them over in one call per animation
 * frame, so a burst of events costs one state update and one redraw, however
 * many items it holds. Browsers pause animation frames in hidden tabs, so a
 * timer delivers too (whichever fires first), and the queue never grows
 * without bound while nobody looks.
 */
export class FrameQueue<T> {
  readonly #deliver: (items: T[]) => void;
  readonly #fallbackMs: number;
  #items: T[] = [];
  #frame: number | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(deliver: (items: T[]) => void, fallbackMs = 100) {
    this.#deliver = deliver;
    this.#fallbackMs = fallbackMs;
  }

  push(item: T): void {
    this.#items.push(item);
    if (this.#frame !== null || this.#timer !== null) return;
    if (typeof requestAnimationFrame === 'function') this.#frame = requestAnimationFrame(() => this.flush());
    this.#timer = setTimeout(() => this.flush(), this.#fallbackMs);
  }

  /** Delivers what is queued now (nothing if empty). */
  flush(): void {
    if (this.#frame !== null && typeof cancelAnimationFrame === 'function') cancelAnimationFrame(this.#frame);
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#frame = null;
    this.#timer = null;
    const items = this.#items;
    if (items.length === 0) return;
    this.#items = [];
    this.#deliver(items);
  }
}
