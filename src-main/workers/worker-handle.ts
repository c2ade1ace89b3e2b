// The main side of a worker process, whichever kind runs it: an Electron
// utility process in the app, a Node child process in tests and the CLI.

export type WorkerName = 'trainer' | 'simulator';

export interface WorkerHandle<In, Out> {
  post(message: In): void;
  onMessage(listener: (message: Out) => void): void;
  /** Called once when the process has exited, with its exit code (null when killed by a signal). */
  onExit(listener: (code: number | null) => void): void;
  kill(): void;
  readonly pid: number | undefined;
}

/** Starts a worker process by name. Injected into the services, so the same services run in the app, the CLI and tests. */
export interface WorkerLauncher {
  <In, Out>(name: WorkerName): WorkerHandle<In, Out>;
  /**
   * Optional: fork a warm spare of this worker now (its process boot then
   * overlaps whatever the caller does next); the next launch of the same name
   * takes it instead of forking. A spare that has died by then is replaced by
   * a fresh fork; one never taken is killed when the launcher shuts its
   * spares down or the process exits. At most one spare per name.
   */
  prestart?(name: WorkerName): void;
}
