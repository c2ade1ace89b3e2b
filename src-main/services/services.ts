import type { LabApi } from '../../src-core/contracts/lab-api';
import type { DatasetFiles } from '../../src-core/contracts/train-protocol';
import { DatasetService } from './training/datasets';
import { RunManager } from './training/run-manager';
import { TrainStreamPacer } from './training/train-stream';
import type { ServiceContext, ServicesOf } from './service-context';
import { createTrainingServices } from './training/training';
import { SimulatorClient } from './simulator/simulator-client';
import { createSimulatorServices } from './simulator/simulator';
import { openLabStore } from './sessions/lab-store';
import type { Recorder } from './training/session-recorder';
import { createSessionsServices } from './sessions/sessions';
import { createExportServices } from './export/export';
import { createSweepsServices } from './studies/sweeps';
import { createStudiesServices } from './studies/studies';
import { createFigureServices } from './export/figures';
import { createAssignmentServices } from './studies/assignment';
import { createDesktopServices, type DesktopStateStore } from './desktop/desktop';
import { importDroppedSession } from './sessions/dropped-session';
import type { SessionStore } from '../../src-core/node/store/session-store';

/** The whole services table and the long-lived parts behind it. */
export interface Lab {
  services: ServicesOf<LabApi>;
  datasets: DatasetService;
  runs: RunManager;
  /** The session database every run is recorded into. */
  store: SessionStore;
  /** How each run's recording stands (messages waiting for a busy database, not saved). */
  recorder: Recorder;
  /** Save the simulation waiting to settle now; says whether it was saved (null: nothing waited). */
  flushSims(): { saved: boolean; coalesced: boolean; reason: string | null } | null;
  /** Stop every worker and close what is open. */
  shutdown(): void;
}

export interface LabOptions {
  /** Start on these IDX files instead of the built-in MNIST. */
  dataset?: DatasetFiles;
  /** The session database (created if missing); default ':memory:' (nothing kept). */
  dbPath?: string;
  /** Refuse (throw) when dbPath cannot be opened and written, instead of falling back to memory (the CLI's --db). */
  dbRequired?: boolean;
  /** Bytes of unwritten run messages kept in memory while the database is unavailable; default 256 MiB. */
  maxPendingBytes?: number;
  /** better_sqlite3.node built for Electron, when running inside Electron. */
  nativeBinding?: string;
  /** Trainer processes a sweep runs at once; default: the number of cores. */
  sweepWorkers?: number;
  /** A simulation is saved once its settings stay unchanged this long (ms); default 1500. */
  simSettleMs?: number;
  /** Where the remembered view lives (a JSON file in userData in the app); default: memory. */
  desktopState?: DesktopStateStore;
  /** Folder for datasets dropped on the window; default: a temp folder. */
  dropDir?: string;
}

/**
 * Builds the services table: the one implementation behind the Electron IPC
 * handlers, the local server of the browser mode (and the e2e tests through it)
 * and the CLI. Each capability contributes its part.
 */
export function createLab(ctx: ServiceContext, options: LabOptions = {}): Lab {
  const datasets = new DatasetService(options.dataset);
  const runs = new RunManager(ctx.launcher);
  // Recorded first, so the renderer hears of a message only once it is saved.
  const recorded = openLabStore(ctx, options, datasets, runs);
  // The renderer sees the run messages as events, paced for display (every evaluation point, the newest detail).
  const pacer = new TrainStreamPacer((message) => ctx.emit({ channel: 'train', message }));
  runs.observe((message, run) => pacer.push(message, run));
  const simulator = new SimulatorClient(ctx.launcher);
  const services: ServicesOf<LabApi> = {
    ...createTrainingServices(ctx, datasets, runs),
    ...createSimulatorServices(simulator),
    ...createSessionsServices(ctx, recorded.store, options.nativeBinding, recorded.sweeps),
    ...createExportServices(ctx, recorded.store),
    ...createFigureServices(ctx, recorded.store),
    ...createSweepsServices(recorded.sweeps),
    ...createStudiesServices(recorded.sweeps, recorded.store, datasets),
    ...createAssignmentServices(ctx, recorded.sweeps, recorded.store, datasets),
    ...createDesktopServices(datasets, runs, {
      store: options.desktopState,
      dropDir: options.dropDir,
      importSession: async (file) => importDroppedSession(ctx, recorded.store, file, options.nativeBinding),
      showCommandState: (state) => ctx.showCommandState?.(state),
    }),
  };
  // Simulations are saved into the session too, once their settings settle.
  services.simulate = recorded.sims.wrap(services.simulate);
  return {
    services,
    datasets,
    runs,
    store: recorded.store,
    recorder: recorded.recorder,
    flushSims: () => recorded.sims.flush(),
    shutdown: () => {
      recorded.close();
      runs.shutdown();
      simulator.shutdown();
    },
  };
}
