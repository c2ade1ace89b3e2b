import type { CommandState } from '../../src-core/contracts/api-desktop';
import type { LabEvent } from '../../src-core/contracts/lab-api';
import type { DatasetFiles } from '../../src-core/contracts/train-protocol';
import type { WorkerLauncher } from '../workers/worker-handle';

/** What the services need from their host (the Electron app, the local server of the browser mode, or the CLI). */
export interface ServiceContext {
  launcher: WorkerLauncher;
  /** Push an event to the renderer (or to the CLI's printer). */
  emit(event: LabEvent): void;
  /** Ask the user for an IDX train/test image/label quadruple; null when they cancel. */
  pickDatasetFiles(): Promise<DatasetFiles | null>;
  /** Ask the user where to save a file (export); null when they cancel. Absent: exports are refused. */
  pickSavePath?(req: FileDialogRequest & { defaultName: string }): Promise<string | null>;
  /** Ask the user for a file to open (session import); null when they cancel. */
  pickOpenPath?(req: FileDialogRequest): Promise<string | null>;
  /** Show which commands can run now (the Electron menu greys out the others); absent: the state goes nowhere. */
  showCommandState?(state: CommandState): void;
}

export interface FileDialogRequest {
  title: string;
  filters: { name: string; extensions: string[] }[];
}

/** A services table for an API: one function per method, each taking the raw (untrusted) payload. */
export type ServicesOf<Api> = {
  [K in keyof Api]: Api[K] extends (...args: never[]) => infer R ? (payload?: unknown) => R : never;
};
