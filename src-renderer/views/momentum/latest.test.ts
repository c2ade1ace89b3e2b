import { describe, expect, it } from 'vitest';
import { latestWins } from './latest';

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('latest-wins calls', () => {
  it('keeps one call in flight and sends only the newest of the requests made meanwhile', async () => {
    const sent: number[] = [];
    const shown: number[] = [];
    const gates: { resolve: (v: number) => void }[] = [];
    const send = latestWins(
      (req: number) => {
        sent.push(req);
        const g = deferred<number>();
        gates.push(g);
        return g.promise;
      },
      (res) => shown.push(res),
      () => {},
    );
    send(1);
    send(2);
    send(3);
    send(4);
    expect(sent).toEqual([1]);
    gates[0].resolve(10);
    await new Promise((r) => setTimeout(r, 0));
    // the answer to 1 is stale (4 is waiting) and is not shown; 4 is sent next
    expect(shown).toEqual([]);
    expect(sent).toEqual([1, 4]);
    gates[1].resolve(40);
    await new Promise((r) => setTimeout(r, 0));
    expect(shown).toEqual([40]);
  });

  it('reports an error of the newest call and keeps working after it', async () => {
    const errors: unknown[] = [];
    const shown: number[] = [];
    const send = latestWins(
      async (req: number) => {
        if (req < 0) throw new Error('bad');
        return req;
      },
      (res) => shown.push(res),
      (err) => errors.push(err),
    );
    send(-1);
    await new Promise((r) => setTimeout(r, 0));
    send(5);
    await new Promise((r) => setTimeout(r, 0));
    expect(errors).toHaveLength(1);
    expect(shown).toEqual([5]);
  });
});
