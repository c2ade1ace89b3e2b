import { utilityProcess } from 'electron';
import { join } from 'node:path';
import type { WorkerHandle, WorkerLauncher, WorkerName } from '../workers/worker-handle';

/** Runs a worker in an Electron utility process (the bundled out/main/<name>-worker.js). */
export function electronLauncher(mainDir: string): WorkerLauncher {
  return <In, Out>(name: WorkerName): WorkerHandle<In, Out> => {
    const child = utilityProcess.fork(join(mainDir, `${name}-worker.js`), [], {
      serviceName: `momentum-lab ${name}`,
      stdio: 'inherit',
    });
    let exited = false;
    let exitCode: number | null = null;
    const exitListeners: ((code: number | null) => void)[] = [];
    child.on('exit', (code) => {
      exited = true;
      exitCode = code;
      for (const l of exitListeners) l(code);
    });
    return {
      post: (m) => {
        if (!exited) child.postMessage(m);
      },
      onMessage: (l) => child.on('message', (m) => l(m as Out)),
      onExit: (l) => (exited ? l(exitCode) : exitListeners.push(l)),
      kill: () => {
        if (!exited) child.kill();
      },
      get pid() {
        return child.pid;
      },
    };
  };
}
