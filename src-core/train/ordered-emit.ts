import type { TrainerMessage } from '../contracts/train-protocol';

/**
 * Emits messages in the order they were issued even when some are computed
 * later (an evaluation running on another thread): a message issued after a
 * pending one waits for it. With nothing pending, emit() sends at once.
 */
export class OrderedEmitter {
  private chain: Promise<void> = Promise.resolve();
  private pending = 0;
  private failure: unknown = null;

  constructor(private readonly send: (m: TrainerMessage) => void) {}

  emit(m: TrainerMessage): void {
    if (this.pending === 0) this.send(m);
    else this.later(Promise.resolve(m));
  }

  /** Queues a message that is ready when later resolves (after every message issued before it). */
  later(message: Promise<TrainerMessage>): void {
    this.pending++;
    this.chain = this.chain.then(async () => {
      try {
        const m = await message;
        if (this.failure === null) this.send(m);
      } catch (err) {
        if (this.failure === null) this.failure = err ?? new Error('evaluation failed');
      } finally {
        this.pending--;
      }
    });
  }

  /** Messages issued but not yet sent. */
  get inFlight(): number {
    return this.pending;
  }

  /** Resolves once everything issued so far is sent; throws the first failure of a queued message. */
  async drain(): Promise<void> {
    while (this.pending > 0) await this.chain;
    if (this.failure !== null) throw this.failure;
  }
}
