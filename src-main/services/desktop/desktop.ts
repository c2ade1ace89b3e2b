import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CommandStateSchema,
  DroppedDatasetSchema,
  DroppedFileSchema,
  ViewIdSchema,
  type CommandState,
  type DesktopApi,
  type DesktopState,
  type DroppedFile,
} from '../../../src-core/contracts/api-desktop';
import { LabError } from '../../../src-core/contracts/lab-error';
import type { SessionSummary } from '../../../src-core/contracts/session-types';
import { parseOrThrow } from '../../../src-core/contracts/validate';
import type { DatasetService } from '../training/datasets';
import type { RunManager } from '../training/run-manager';
import { storeDroppedDataset } from './dropped-dataset';
import type { ServicesOf } from '../service-context';

/** Where the remembered UI state lives: a JSON file in userData in the app, memory in tests. */
export interface DesktopStateStore {
  read(): DesktopState;
  patch(change: Partial<DesktopState>): void;
}

export function memoryDesktopState(initial: Partial<DesktopState> = {}): DesktopStateStore {
  let state: DesktopState = { lastView: null, ...initial };
  return {
    read: () => ({ ...state }),
    patch: (change) => {
      state = { ...state, ...change };
    },
  };
}

export interface DesktopOptions {
  store?: DesktopStateStore;
  /** Folder for dropped datasets (userData/datasets in the app; a temp folder by default). */
  dropDir?: string;
  /** Import a session file's bytes; absent until the sessions capability provides it. */
  importSession?: (file: DroppedFile) => Promise<SessionSummary[]>;
  /** Where the commands' enabled state goes once checked (the Electron menu); absent: nowhere. */
  showCommandState?: (state: CommandState) => void;
}

/** Dropped files, remembered UI state, the commands' enabled state. */
export function createDesktopServices(
  datasets: DatasetService,
  runs: RunManager,
  options: DesktopOptions = {},
): ServicesOf<DesktopApi> {
  const store = options.store ?? memoryDesktopState();
  const dropDir = options.dropDir ?? join(tmpdir(), 'momentum-lab-datasets');
  return {
    openDatasetFromBytes: async (payload) => {
      const { files } = parseOrThrow(DroppedDatasetSchema, payload, 'openDatasetFromBytes');
      if (runs.activeRunIds().length > 0)
        throw new LabError('busy', 'a run is training on the current dataset; drop the files again when it has ended');
      return datasets.open(storeDroppedDataset(dropDir, files));
    },
    importSessionFromBytes: async (payload) => {
      const file = parseOrThrow(DroppedFileSchema, payload, 'importSessionFromBytes');
      if (!options.importSession) throw new LabError('not-found', 'session import is not available yet');
      return options.importSession(file);
    },
    desktopState: async () => store.read(),
    rememberView: async (payload) => {
      store.patch({ lastView: parseOrThrow(ViewIdSchema, payload, 'rememberView') });
    },
    publishCommandState: async (payload) => {
      const state = parseOrThrow(CommandStateSchema, payload, 'publishCommandState');
      options.showCommandState?.(state);
    },
  };
}
