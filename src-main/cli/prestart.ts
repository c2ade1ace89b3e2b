import { nodeLauncher } from '../workers/node-launcher';
import type { WorkerName } from '../workers/worker-handle';

// The CLI's first module: bin/momentum-lab.mjs loads it before the commands
// (services, zod, SQLite), so the worker process a command will need boots on
// the other core while the rest of the CLI loads. It imports only the node
// launcher, which imports only node:*.

/** The worker each command starts when it runs (a command missing here just forks on demand). */
export const COMMAND_WORKERS: Readonly<Record<string, WorkerName>> = {
  train: 'trainer',
  simulate: 'simulator',
  study: 'trainer',
};

/** Arguments after which the command starts no worker. */
const NO_WORKER_FLAGS = new Set(['--help', '-h', '--list']);

/**
 * Forks a warm spare of the worker the command in `argv` will launch; the
 * launch takes it. When the command ends early (bad arguments, a missing
 * dataset) the spare is killed as the process exits.
 */
export function prestartFor(argv: readonly string[]): WorkerName | null {
  const [command, ...rest] = argv;
  const worker =
    command !== undefined && Object.hasOwn(COMMAND_WORKERS, command) ? COMMAND_WORKERS[command] : undefined;
  if (worker === undefined || rest.some((a) => NO_WORKER_FLAGS.has(a))) return null;
  nodeLauncher.prestart(worker);
  return worker;
}
