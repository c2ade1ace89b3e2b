import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { WorkerHandle, WorkerLauncher, WorkerName } from './worker-handle';

// Runs a worker entry (src-main/workers/<name>-entry.ts) as a Node child
// process through tsx, with structured-clone IPC so typed arrays arrive as
// typed arrays. Used by the CLI, the benchmarks, the unit tests and the e2e
// bridge; the app uses electron-launcher.ts instead.

const here = dirname(fileURLToPath(import.meta.url));

function tsxLoaderUrl(): string {
  const require = createRequire(import.meta.url);
  const loader = join(dirname(require.resolve('tsx/package.json')), 'dist', 'loader.mjs');
  if (!existsSync(loader)) throw new Error(`tsx loader not found at ${loader}; run npm install`);
  return pathToFileURL(loader).href;
}

export function entryPath(name: WorkerName): string {
  return join(here, `${name}-entry.ts`);
}

export const nodeLauncher: WorkerLauncher = <In, Out>(name: WorkerName): WorkerHandle<In, Out> => {
  const child = fork(entryPath(name), [], {
    serialization: 'advanced',
    execArgv: ['--import', tsxLoaderUrl()],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let exited = false;
  const exitListeners: ((code: number | null) => void)[] = [];
  child.on('exit', (code) => {
    exited = true;
    for (const l of exitListeners) l(code);
  });
  child.on('error', () => {
    /* reported through 'exit' */
  });
  return {
    post(message) {
      if (!exited && child.connected) child.send(message as object);
    },
    onMessage(listener) {
      child.on('message', (m) => listener(m as Out));
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
};
