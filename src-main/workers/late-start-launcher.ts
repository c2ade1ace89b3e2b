import { nodeLauncher } from './node-launcher';
import type { WorkerLauncher, WorkerName } from './worker-handle';

/**
 * For tests: real worker processes (nodeLauncher's) whose requests reach them `ms` late, as on a machine too busy
 * to boot them at once. A cancel then always comes before the trainer's 'started'; without the delay, a warm
 * process can say 'started' first, and a test of that case would race.
 */
export function lateStartLauncher(ms: number): WorkerLauncher {
  return (<In, Out>(name: WorkerName) => {
    const h = nodeLauncher<In, Out>(name);
    return {
      post: (m: In) => void setTimeout(() => h.post(m), ms),
      onMessage: (l: (m: Out) => void) => h.onMessage(l),
      onExit: (l: (code: number | null) => void) => h.onExit(l),
      kill: () => h.kill(),
      get pid() {
        return h.pid;
      },
    };
  }) as WorkerLauncher;
}
