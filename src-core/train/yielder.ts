/** The trainer awaits hooks.yieldNow() at least this often. */
export const YIELD_MS = 40;

/**
 * The one place the trainer lets the host's event loop run (a cancel arriving, the evaluation thread's replies): it
 * awaits yieldNow() when YIELD_MS of clock time have passed since the last time, so a long synchronous stretch
 * (training steps, evaluation chunks) never holds the loop longer than that.
 */
export class Yielder {
  private last: number;

  constructor(
    private readonly yieldNow: () => Promise<void>,
    private readonly now: () => number,
    start: number,
  ) {
    this.last = start;
  }

  /** Yields if due (else returns at once). */
  async ifDue(): Promise<void> {
    if (this.now() - this.last < YIELD_MS) return;
    await this.yieldNow();
    this.last = this.now();
  }
}
