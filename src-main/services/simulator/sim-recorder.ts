import type { SimulateResult } from '../../../src-core/contracts/api-simulator';
import type { LabEvent } from '../../../src-core/contracts/lab-api';
import type { SimRunSummary } from '../../../src-core/contracts/session-types';
import { SimulateRequestSchema } from '../../../src-core/contracts/sim-config';
import type { SessionStore } from '../../../src-core/node/store/session-store';
import { saveSimCoalesced } from '../../../src-core/node/store/sims';
import { sqliteError } from '../../../src-core/node/store/open-db';

// Saves momentum-simulator runs into the current session. The Momentum view
// re-simulates on every slider move, so a simulation is saved once its
// settings have stayed put for `settleMs`: what was looked at is kept, the drag
// in between is not. Identical simulations are coalesced: the same request
// again (coming back to settings already looked at) updates the session's row
// of that request (its time moves to now) instead of adding a copy.

export function summarizeSimRuns(result: SimulateResult): SimRunSummary[] {
  return result.runs.map((r) => {
    const last = Math.max(0, r.length - 1);
    return {
      kind: r.optimizer.kind,
      lr: r.optimizer.lr,
      d: r.optimizer.d,
      status: r.status,
      length: r.length,
      stoppedAt: r.stoppedAt,
      message: r.message,
      final: r.y ? [r.x[last], r.y[last]] : [r.x[last]],
      finalF: r.f[last],
      rate: r.rate,
    };
  });
}

export function createSimRecorder(
  store: SessionStore,
  appVersion: string,
  emit: (e: LabEvent) => void,
  settleMs = 1500,
) {
  let pending: { request: unknown; result: SimulateResult; key: string } | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastKey = '';

  /** Save what is pending; says whether it was saved (null: nothing to save). */
  const flush = (): { saved: boolean; coalesced: boolean; reason: string | null } | null => {
    if (timer) clearTimeout(timer);
    timer = null;
    const p = pending;
    pending = null;
    if (!p || p.key === lastKey) return null;
    if (!store.db.open) return { saved: false, coalesced: false, reason: 'the session database is closed' };
    try {
      const sessionId = store.currentSessionId();
      const { coalesced } = saveSimCoalesced(store.db, {
        sessionId,
        request: p.request as never,
        runs: summarizeSimRuns(p.result),
        appVersion,
        createdAt: Date.now(),
      });
      lastKey = p.key;
      emit({ channel: 'sessions', change: { sessionId, reason: 'sessions' } });
      return { saved: true, coalesced, reason: null };
    } catch (err) {
      const reason = sqliteError(err, 'saving the simulation').message;
      console.error(`momentum-lab: could not save a simulation: ${reason}`);
      return { saved: false, coalesced: false, reason };
    }
  };

  return {
    /** Wrap the simulate service: answer as before, and note the run for saving. */
    wrap(simulate: (payload?: unknown) => Promise<SimulateResult>) {
      return async (payload?: unknown): Promise<SimulateResult> => {
        const result = await simulate(payload);
        const parsed = SimulateRequestSchema.safeParse(payload);
        if (parsed.success && parsed.data.record !== false) {
          const request = {
            objective: parsed.data.objective,
            start: parsed.data.start,
            steps: parsed.data.steps,
            runs: parsed.data.runs,
          };
          pending = { request, result, key: JSON.stringify(request) };
          if (timer) clearTimeout(timer);
          timer = setTimeout(flush, settleMs);
          timer.unref?.();
        }
        return result;
      };
    },
    /** Save what is pending now (on quit). */
    flush,
  };
}
