import type { TrainerMessage } from '../contracts/train-protocol';

/**
 * Collects per-iteration mini-batch loss and accuracy and sends them as 'batch'
 * messages: at most every intervalMs of (injected) clock time, when the buffer
 * is full, and whenever flush() is called (before an eval and at the end).
 */
export class BatchLog {
  private readonly loss: Float32Array;
  private readonly acc: Float32Array;
  private n = 0;
  private fromIter = 0;
  private lastEmit: number;

  constructor(
    private readonly runId: string,
    private readonly emit: (m: TrainerMessage) => void,
    private readonly intervalMs: number,
    startTime: number,
    capacity = 4096,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`BatchLog: capacity must be a positive integer, got ${capacity}`);
    this.loss = new Float32Array(capacity);
    this.acc = new Float32Array(capacity);
    this.lastEmit = startTime;
  }

  /** Records iteration fromIter + n + 1; sends if the buffer is full. */
  push(loss: number, acc: number, epoch: number, elapsedMs: number, now: number): void {
    this.loss[this.n] = loss;
    this.acc[this.n] = acc;
    this.n++;
    if (this.n === this.loss.length || now - this.lastEmit >= this.intervalMs) this.flush(epoch, elapsedMs, now);
  }

  /** Sends what is pending (nothing if empty). */
  flush(epoch: number, elapsedMs: number, now: number): void {
    this.lastEmit = now;
    if (this.n === 0) return;
    const iter = this.fromIter + this.n;
    this.emit({
      type: 'batch',
      runId: this.runId,
      fromIter: this.fromIter,
      loss: this.loss.slice(0, this.n),
      acc: this.acc.slice(0, this.n),
      iter,
      epoch,
      elapsedMs,
    });
    this.fromIter = iter;
    this.n = 0;
  }
}
