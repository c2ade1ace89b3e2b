// Refreshing on lab events without a refresh per event: the first call schedules `fn` `ms` later, and the calls until
// then join that one (a run's evaluations and session changes arrive in bursts).

export function coalesced(fn: () => void, ms: number): () => void {
  let pending: ReturnType<typeof setTimeout> | null = null;
  return () => {
    if (pending) return;
    pending = setTimeout(() => {
      pending = null;
      fn();
    }, ms);
  };
}
