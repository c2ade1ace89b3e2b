/**
 * Latest-wins calls: at most one call in flight; while it runs, newer
 * requests replace each other and only the last one is sent next. A slider
 * drag therefore never queues up work, and a stale answer is never shown
 * after a newer one.
 */
export function latestWins<Req, Res>(
  call: (req: Req) => Promise<Res>,
  onResult: (res: Res, req: Req) => void,
  onError: (err: unknown, req: Req) => void,
): (req: Req) => void {
  let busy = false;
  let pending: { req: Req } | null = null;
  let generation = 0;
  const run = async (req: Req) => {
    busy = true;
    const mine = ++generation;
    try {
      const res = await call(req);
      if (mine === generation && pending === null) onResult(res, req);
    } catch (err) {
      if (mine === generation && pending === null) onError(err, req);
    } finally {
      busy = false;
      if (pending) {
        const next = pending.req;
        pending = null;
        void run(next);
      }
    }
  };
  return (req: Req) => {
    if (busy) pending = { req };
    else void run(req);
  };
}
