import { LabError, type LabErrorCode } from '../../../src-core/contracts/lab-error';
import { endRun } from '../../../src-core/node/store/record';
import { SessionStore } from '../../../src-core/node/store/session-store';
import { checkWritable } from '../../../src-core/node/store/open-db';
import { APP_VERSION } from '../shared/app-version';
import type { DatasetService } from '../training/datasets';
import type { RunManager } from '../training/run-manager';
import { createRecorder, datasetIdentity } from '../training/session-recorder';
import type { ServiceContext } from '../service-context';
import { SweepService } from '../studies/sweeps';
import { createSimRecorder } from '../simulator/sim-recorder';

/**
 * Opens the session database for createLab and plugs it in: every message of
 * every run is recorded as it arrives (runs of a sweep into the sweep's
 * session). close() marks runs still training as interrupted, then closes.
 */
export function openLabStore(
  ctx: ServiceContext,
  options: {
    dbPath?: string;
    nativeBinding?: string;
    sweepWorkers?: number;
    simSettleMs?: number;
    dbRequired?: boolean;
    maxPendingBytes?: number;
  },
  datasets: DatasetService,
  runs: RunManager,
) {
  const store =
    options.dbRequired && options.dbPath
      ? openRequired(options.dbPath, options.nativeBinding)
      : openOrFallBack(options.dbPath ?? ':memory:', options.nativeBinding);
  const sweeps = new SweepService(
    runs,
    () => datasets.files,
    () => store.currentSessionId(),
    (e) => ctx.emit(e),
    options.sweepWorkers,
  );
  const record = createRecorder(store, {
    appVersion: APP_VERSION,
    datasetOf: (files) => {
      try {
        if (files === datasets.files) {
          const info = datasets.info();
          return { id: info.id, name: info.name };
        }
      } catch {
        /* fall back to the files' names */
      }
      return datasetIdentity(files);
    },
    placeOf: (runId) => sweeps.placeOf(runId),
    emit: (e) => ctx.emit(e),
    maxPendingBytes: options.maxPendingBytes,
  });
  const sims = createSimRecorder(store, APP_VERSION, (e) => ctx.emit(e), options.simSettleMs);
  runs.observe((message, run) => {
    if (store.db.open) record(message, run);
  });
  return {
    store,
    sweeps,
    sims,
    recorder: record,
    close: () => {
      sweeps.shutdown();
      if (!store.db.open) return;
      record.close();
      sims.flush();
      for (const runId of runs.activeRunIds()) {
        endRun(
          store.db,
          runId,
          'interrupted',
          'interrupted: the lab was closed while this run was training; what it recorded is kept',
          0,
          null,
          Date.now(),
        );
      }
      store.close();
    },
  };
}

/**
 * The session file, or a refusal with the reason (the CLI's --db): a path
 * that is not a regular file, not a database, another program's database, a
 * newer schema, or a file or folder that cannot be written. Nothing is
 * written to a file that is refused.
 */
function openRequired(path: string, nativeBinding: string | undefined): SessionStore {
  let store: SessionStore;
  try {
    store = new SessionStore(path, { nativeBinding });
  } catch (err) {
    const e = err instanceof LabError ? err : new LabError('internal', (err as Error).message);
    throw new LabError(
      e.code,
      `the session database ${path} cannot be used: ${e.message.replace(/^opening [^:]*: /, '')}`,
    );
  }
  try {
    checkWritable(store.db, path);
  } catch (err) {
    store.close();
    throw new LabError(
      (err as LabError).code ?? 'internal',
      `the session database ${path} cannot be written: ${(err as Error).message.replace(/^writing [^:]*: /, '')}`,
    );
  }
  return store;
}

/** The session file, or — when it cannot be opened (locked, damaged) — a throwaway in-memory store, so the lab still starts. */
function openOrFallBack(path: string, nativeBinding: string | undefined): SessionStore {
  try {
    return new SessionStore(path, { nativeBinding });
  } catch (err) {
    if (path === ':memory:') throw err;
    if (err instanceof LabError && err.code === 'busy') {
      // Another program holds the file: say so on every session call instead of quietly keeping nothing.
      return unavailableStore(
        `the session database ${path} is in use by another process (another Momentum Lab or a database tool); close it and restart the lab to keep sessions`,
        'busy',
      );
    }
    console.error(
      `momentum-lab: could not open the session database ${path} (${(err as Error).message}); sessions will not be kept this time`,
    );
    try {
      return new SessionStore(':memory:', { nativeBinding });
    } catch (again) {
      // better-sqlite3 itself does not load (e.g. built for another Electron): the lab runs without sessions.
      return unavailableStore(
        `SQLite could not be loaded (${(again as Error).message.split('\n')[0]}); run "node scripts/prepare-electron.mjs" with network access`,
      );
    }
  }
}

/** A store that is not there: nothing is recorded, and every session call answers with the reason. */
function unavailableStore(reason: string, code: LabErrorCode = 'internal'): SessionStore {
  console.error(`momentum-lab: sessions are unavailable: ${reason}`);
  const fail = () => {
    throw new LabError(code, `sessions are unavailable: ${reason}`);
  };
  return new Proxy({} as SessionStore, {
    get: (_t, key) => {
      if (key === 'db') return { open: false };
      if (key === 'interruptedOnOpen') return [];
      if (key === 'path') return '';
      if (key === 'close') return () => {};
      return fail;
    },
  });
}
