import type { LabErrorData } from './lab-error';
import { TRAINING_CHANNELS, type TrainingApi } from './api-training';
import { SIMULATOR_CHANNELS, type SimulatorApi } from './api-simulator';
import type { TrainStreamMessage } from './train-stream';
import { SESSIONS_CHANNELS, type RecordingState, type SessionsApi, type SessionsChanged } from './api-sessions';
import { EXPORT_CHANNELS, type ExportApi } from './api-export';
import { SWEEPS_CHANNELS, type SweepsApi, type SweepState } from './api-sweeps';
import type { AppCommand } from './app-command';
import { DESKTOP_CHANNELS, type DesktopApi } from './api-desktop';
import { STUDIES_CHANNELS, type StudiesApi } from './api-studies';
import { FIGURES_CHANNELS, type FiguresApi } from './api-figures';
import { ASSIGNMENT_CHANNELS, type AssignmentApi } from './api-assignment';

// The one API the renderer calls. Each capability declares its methods and
// channel names in its own api-*.ts file; this file composes them.

export interface LabApi
  extends
    TrainingApi,
    SimulatorApi,
    SessionsApi,
    ExportApi,
    SweepsApi,
    DesktopApi,
    StudiesApi,
    FiguresApi,
    AssignmentApi {}

/** Every IPC channel: one per LabApi method, each taking at most one payload. */
export const LAB_CHANNELS = [
  ...TRAINING_CHANNELS,
  ...SIMULATOR_CHANNELS,
  ...SESSIONS_CHANNELS,
  ...EXPORT_CHANNELS,
  ...SWEEPS_CHANNELS,
  ...DESKTOP_CHANNELS,
  ...STUDIES_CHANNELS,
  ...FIGURES_CHANNELS,
  ...ASSIGNMENT_CHANNELS,
] as const;
export type LabChannel = (typeof LAB_CHANNELS)[number];

type ExactlyAll<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
/** @public Compile-time check: the channel list names every method, no more (nothing reads it at run time). */
export const CHANNELS_COMPLETE: ExactlyAll<LabChannel, keyof LabApi> = true;

/** Events pushed from the main process to the renderer. */
export type LabEvent =
  | { channel: 'train'; message: TrainStreamMessage }
  | { channel: 'command'; command: AppCommand }
  | { channel: 'sessions'; change: SessionsChanged }
  | { channel: 'recording'; recording: RecordingState }
  | { channel: 'sweep'; sweep: SweepState };

export type LabResult<T> = { ok: true; value: T } | { ok: false; error: LabErrorData };

/** What the preload (or the browser mode's socket bridge) puts on window.lab: every method answers with a LabResult. */
export type LabBridge = {
  [K in LabChannel]: LabApi[K] extends (...args: infer A) => Promise<infer R>
    ? (...args: A) => Promise<LabResult<R>>
    : never;
} & {
  /** Subscribe to pushed events; returns the unsubscribe function. */
  onEvent(listener: (event: LabEvent) => void): () => void;
};
