import {
  DuplicateSessionSchema,
  RenameSessionSchema,
  RunIdSchema,
  RunIdsSchema,
  RunWeightsSchema,
  SessionIdSchema,
  SessionPageSchema,
  SessionNameSchema,
  UpdateRunSchema,
  SimIdSchema,
  UpdateSimSchema,
  type SessionsApi,
} from '../../../src-core/contracts/api-sessions';
import { LabError } from '../../../src-core/contracts/lab-error';
import { parseOrThrow } from '../../../src-core/contracts/validate';
import { exportSessionFile, importSessionFile } from '../../../src-core/node/store/session-file';
import { writeVia } from '../shared/atomic-file';
import { deleteSim, updateSim } from '../../../src-core/node/store/sims';
import type { SessionStore } from '../../../src-core/node/store/session-store';
import { chooseOpenPath, chooseSavePath } from '../shared/save-path';
import type { ServiceContext, ServicesOf } from '../service-context';

const fileName = (name: string) => name.replace(/[/\\:*?"<>|\u0000-\u001f]+/g, '_').slice(0, 100) || 'session';

/** A page when either bound was given, else every run. */
const pageOf = (offset?: number, limit?: number) =>
  offset === undefined && limit === undefined
    ? undefined
    : { offset: offset ?? 0, limit: limit ?? Number.MAX_SAFE_INTEGER };

/** What deleteSession asks of the sweep pool: runs still to be saved into a session. */
export interface PendingRuns {
  pendingIn(sessionId: number): { sweeps: number; queued: number; running: number };
}

/** Sessions: validate, then the store. */
export function createSessionsServices(
  ctx: ServiceContext,
  store: SessionStore,
  nativeBinding?: string,
  sweeps?: PendingRuns,
): ServicesOf<SessionsApi> {
  const changed = (sessionId: number) => ctx.emit({ channel: 'sessions', change: { sessionId, reason: 'sessions' } });
  return {
    listSessions: async () => store.listSessions(),
    currentSession: async () => store.sessionDetail(),
    createSession: async (payload) => {
      const { name } = parseOrThrow(SessionNameSchema, payload, 'createSession');
      const created = store.createSession(name);
      changed(created.id);
      return store.openSession(created.id);
    },
    openSession: async (payload) => {
      const { id, offset, limit } = parseOrThrow(SessionPageSchema, payload, 'openSession');
      return store.openSession(id, pageOf(offset, limit));
    },
    sessionDetail: async (payload) => {
      const { id, offset, limit } = parseOrThrow(SessionPageSchema, payload, 'sessionDetail');
      return store.sessionDetail(id, pageOf(offset, limit));
    },
    renameSession: async (payload) => {
      const { id, name } = parseOrThrow(RenameSessionSchema, payload, 'renameSession');
      const s = store.renameSession(id, name);
      changed(id);
      return s;
    },
    duplicateSession: async (payload) => {
      const { id, name } = parseOrThrow(DuplicateSessionSchema, payload, 'duplicateSession');
      const s = store.duplicateSession(id, name);
      changed(s.id);
      return s;
    },
    deleteSession: async (payload) => {
      const { id } = parseOrThrow(SessionIdSchema, payload, 'deleteSession');
      // Nothing of the session is decoded here: a session whose rows are damaged can always be deleted.
      const session = store.listSessions().find((s) => s.id === id);
      if (!session) throw new LabError('not-found', `deleteSession: no session with id ${id}`);
      const pending = sweeps?.pendingIn(id);
      if (pending && pending.sweeps > 0) {
        const what = [
          pending.running ? `${pending.running} training` : '',
          pending.queued ? `${pending.queued} queued` : '',
        ]
          .filter(Boolean)
          .join(' and ');
        throw new LabError(
          'busy',
          `deleteSession: "${session.name}" is where ${pending.sweeps === 1 ? 'a sweep or study' : `${pending.sweeps} sweeps or studies`} still saves its runs (${what}); ` +
            'cancel it first (Sessions → Sweep, or the Studies view), or let it finish',
        );
      }
      store.reapDeadRuns(); // a run whose recording process is gone is not "still training"
      if (store.runningIn(id) > 0)
        throw new LabError('busy', 'deleteSession: a run of this session is still training; cancel it first');
      store.deleteSession(id);
      changed(id);
      return store.sessionDetail();
    },
    updateRun: async (payload) => {
      const { runId, name, notes } = parseOrThrow(UpdateRunSchema, payload, 'updateRun');
      return store.updateRun(runId, { name, notes });
    },
    deleteRun: async (payload) => {
      const { runId } = parseOrThrow(RunIdSchema, payload, 'deleteRun');
      store.deleteRun(runId);
    },
    updateSim: async (payload) => {
      const { simId, name, notes } = parseOrThrow(UpdateSimSchema, payload, 'updateSim');
      return updateSim(store.db, simId, { name, notes });
    },
    deleteSim: async (payload) => {
      const { simId } = parseOrThrow(SimIdSchema, payload, 'deleteSim');
      deleteSim(store.db, simId);
    },
    runCurves: async (payload) => {
      const { runIds } = parseOrThrow(RunIdsSchema, payload, 'runCurves');
      return runIds.map((id) => store.curves(id));
    },
    runDetail: async (payload) => {
      const { runId } = parseOrThrow(RunIdSchema, payload, 'runDetail');
      return store.detail(runId);
    },
    runWeights: async (payload) => {
      const { runId, iter } = parseOrThrow(RunWeightsSchema, payload, 'runWeights');
      return store.weights(runId, iter);
    },
    exportSessionFile: async (payload) => {
      const { id } = parseOrThrow(SessionIdSchema, payload, 'exportSessionFile');
      const session = store.session(id);
      const path = await chooseSavePath(ctx, 'Export session', fileName(session.name), 'mlab', 'Momentum Lab session', [
        store.path,
      ]);
      if (path === null) return null;
      return { path, ...writeVia(path, (tmp) => exportSessionFile(store, id, tmp, nativeBinding)) };
    },
    importSessionFile: async () => {
      const path = await chooseOpenPath(ctx, 'Import session', 'mlab', 'Momentum Lab session');
      if (path === null) return null;
      const imported = importSessionFile(store, path, nativeBinding);
      for (const s of imported) changed(s.id);
      return imported;
    },
  };
}
