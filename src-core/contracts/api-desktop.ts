import { z } from 'zod';
import { APP_VIEW_IDS, type AppViewId } from './app-command';
import { COMMAND_KEYS } from './commands';
import type { DatasetInfo } from './dataset';
import type { SessionSummary } from './session-types';
import { grouped } from '../grouped';

// Desktop conventions between the renderer and the main process: files
// dropped on the window (read as bytes in the sandboxed renderer, validated
// in main), the UI state remembered between starts, and which commands can
// run now (the native menu greys out the others).

/** What the lab remembers between starts besides the window bounds (main keeps those) and the current session (the session store reopens it). */
export interface DesktopState {
  lastView: AppViewId | null;
}

export interface DroppedFile {
  name: string;
  bytes: Uint8Array;
}

/**
 * Which declared commands can run now, as the renderer's command registry sees
 * them: command key (commandKey: "run.train", "view.show:momentum", …) → enabled.
 * A command left out counts as enabled.
 */
export type CommandState = Readonly<Partial<Record<string, boolean>>>;

export interface DesktopApi {
  /** Validate four dropped IDX files (train/test images and labels, plain or .gz) and train on them from now on. */
  openDatasetFromBytes(req: { files: DroppedFile[] }): Promise<DatasetInfo>;
  /** Validate a dropped session file and import its sessions; fails with a clear message while session import is not available. */
  importSessionFromBytes(req: DroppedFile): Promise<SessionSummary[]>;
  /** The remembered view. */
  desktopState(): Promise<DesktopState>;
  /** Remember the view shown now. */
  rememberView(view: AppViewId): Promise<void>;
  /** The commands' enabled state, for the Electron menu; in the browser mode nothing reads it. */
  publishCommandState(state: CommandState): Promise<void>;
}

export const DESKTOP_CHANNELS = [
  'openDatasetFromBytes',
  'importSessionFromBytes',
  'desktopState',
  'rememberView',
  'publishCommandState',
] as const satisfies readonly (keyof DesktopApi)[];

/** Dropped files are capped: MNIST's largest file is 47 MB uncompressed. */
export const MAX_DROPPED_FILE_BYTES = 120_000_000;

const bytes = z
  .custom<Uint8Array>((v) => v instanceof Uint8Array, { message: 'must be bytes (Uint8Array)' })
  .refine((b) => b.byteLength <= MAX_DROPPED_FILE_BYTES, {
    message: `must be at most ${grouped(MAX_DROPPED_FILE_BYTES)} bytes`,
  });
const fileName = z.string().min(1).max(255);

export const DroppedFileSchema = z.strictObject({ name: fileName, bytes });
export const DroppedDatasetSchema = z.strictObject({
  files: z.array(DroppedFileSchema).length(4, 'drop exactly four IDX files: train/test images and labels'),
});
export const ViewIdSchema = z.enum(APP_VIEW_IDS);
/** Only declared commands' keys, each with a boolean; anything else is refused. */
export const CommandStateSchema = z.partialRecord(z.enum(COMMAND_KEYS), z.boolean());
