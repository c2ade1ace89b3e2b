import { fork, type ChildProcess } from 'node:child_process';
import { entryFile, processExecArgv } from '../../src-core/node/entry-file';
import type { WorkerHandle, WorkerLauncher, WorkerName } from './worker-handle';

// Runs a worker entry as a Node child process, with structured-clone IPC so
// typed arrays arrive as typed arrays: src-main/workers/<name>-entry.ts
// through tsx from the sources, out/cli/<name>-worker.mjs from the CLI bundle
// (src-core/node/entry-file.ts: the entry beside this module, in its form). Used by the CLI, the benchmarks, the unit tests and the e2e
// bridge; the app uses electron-launcher.ts instead.
//
// Warm spares: prestart(name) forks a worker ahead of need (the CLI does it
// before loading its own bundle, so the two Node boots overlap on two cores).
// The next launch of that name takes the spare if it is still alive, else
// forks as usual. While waiting, a spare does not keep this process alive (its
// process and IPC channel are unref'd) and it is killed when this process
// exits or killSpares() is called. This module imports only node:* (and
// entry-file.ts, which does too) so that it is cheap to load first.

/** The one place a worker process is forked. */
function forkWorker(name: WorkerName): ChildProcess {
  const entry = entryFile(name, import.meta.filename);
  return fork(entry.file, [], {
    serialization: 'advanced',
    execArgv: processExecArgv(entry),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

/** A forked worker: its exit is tracked from the moment it is forked, so a handle made for a spare knows if it died while waiting. */
interface Started {
  child: ChildProcess;
  handle: WorkerHandle<unknown, unknown>;
  alive(): boolean;
}

function start(name: WorkerName): Started {
  const child = forkWorker(name);
  let exited = false;
  const exitListeners: ((code: number | null) => void)[] = [];
  child.on('exit', (code) => {
    exited = true;
    for (const l of exitListeners) l(code);
  });
  child.on('error', () => {
    /* reported through 'exit' */
  });
  const handle: WorkerHandle<unknown, unknown> = {
    post(message) {
      if (!exited && child.connected) child.send(message as object);
    },
    onMessage(listener) {
      child.on('message', (m) => listener(m));
    },
    onExit(listener) {
      if (exited) listener(child.exitCode);
      else exitListeners.push(listener);
    },
    kill() {
      if (!exited) child.kill('SIGKILL');
    },
    get pid() {
      return child.pid;
    },
  };
  return {
    child,
    handle,
    alive: () => !exited && child.exitCode === null && child.signalCode === null && child.connected,
  };
}

const spares = new Map<WorkerName, Started>();
let exitHookInstalled = false;

function killSpares(): void {
  for (const spare of spares.values()) spare.handle.kill();
  spares.clear();
}

function prestart(name: WorkerName): number | undefined {
  const existing = spares.get(name);
  if (existing?.alive()) return existing.handle.pid;
  existing?.handle.kill();
  const spare = start(name);
  // Waiting is not work: the spare must not hold this process open.
  spare.child.unref();
  spare.child.channel?.unref();
  spare.handle.onExit(() => {
    if (spares.get(name) === spare) spares.delete(name);
  });
  spares.set(name, spare);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', killSpares);
  }
  return spare.handle.pid;
}

function launch<In, Out>(name: WorkerName): WorkerHandle<In, Out> {
  const spare = spares.get(name);
  spares.delete(name);
  if (spare?.alive()) {
    // From now on it is a worker like any other: it keeps this process alive until it exits.
    spare.child.ref();
    spare.child.channel?.ref();
    return spare.handle as WorkerHandle<In, Out>;
  }
  spare?.handle.kill();
  return start(name).handle as WorkerHandle<In, Out>;
}

export interface NodeLauncher extends WorkerLauncher {
  /** Forks a warm spare of `name` (or keeps the live one) and returns its pid. */
  prestart(name: WorkerName): number | undefined;
  /** Kills every spare not yet taken (also done when this process exits). */
  killSpares(): void;
}

export const nodeLauncher: NodeLauncher = Object.assign(launch, { prestart, killSpares });
