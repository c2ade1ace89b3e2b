// One study of six W runs (seeds 1..6, validation off as in the bench's W unless --validation) through the app's services (createLab:
// the study service, the sweep pool of trainer processes, the in-memory session store), as a user starts it in the
// app. The trainer processes run the CLI's precompiled worker (out/cli/trainer-worker.mjs, no tsx loader), as
// the app runs its bundled worker; the bench rebuilds it from the current sources first. Prints one JSON line:
// trainSeconds (study start to the last run's end), finalTestAcc (median of the runs'),
// accs, runs, workers, processes (trainer processes forked: a study's runs reuse them). Used by bench/train-bench.ts ("study 6xW"); not a test.
//   npx tsx bench/study-run.ts [--seeds 6] [--workers N] [--validation N (0; the app's default is 5000)]
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_TRAIN_CONFIG } from '../src-core/contracts/train-config';
import type { TrainerMessage } from '../src-core/contracts/train-protocol';
import { createLab } from '../src-main/services/services';
import { nodeLauncher } from '../src-main/workers/node-launcher';
import type { WorkerHandle, WorkerLauncher, WorkerName } from '../src-main/workers/worker-handle';

const outCli = join(dirname(fileURLToPath(import.meta.url)), '..', 'out', 'cli');
const bundled = (name: WorkerName) => join(outCli, `${name}-worker.mjs`);
let processes = 0;
/** Forks the bundled worker (structured-clone IPC, as nodeLauncher); without a bundle, nodeLauncher (tsx). */
const bundleLauncher = (<In, Out>(name: WorkerName): WorkerHandle<In, Out> => {
  if (name === 'trainer') processes++;
  if (!existsSync(bundled(name))) return nodeLauncher<In, Out>(name);
  const stdio: ('ignore' | 'inherit' | 'ipc')[] = ['ignore', 'inherit', 'inherit', 'ipc'];
  const child = fork(bundled(name), [], { serialization: 'advanced', execArgv: [], stdio });
  let exited = false;
  const exits: ((code: number | null) => void)[] = [];
  child.on('exit', (code) => {
    exited = true;
    for (const l of exits) l(code);
  });
  child.on('error', () => {});
  return {
    post: (m) => void (!exited && child.connected && child.send(m as object)),
    onMessage: (l) => void child.on('message', (m) => l(m as Out)),
    onExit: (l) => void (exited ? l(child.exitCode) : exits.push(l)),
    kill: () => void (!exited && child.kill('SIGKILL')),
    get pid() {
      return child.pid;
    },
  };
}) as WorkerLauncher;

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '6' },
    workers: { type: 'string' },
    validation: { type: 'string', default: '0' },
  },
});
const seeds = Number(values.seeds);
const lab = createLab({ launcher: bundleLauncher, emit: () => {}, pickDatasetFiles: async () => null }, {});
try {
  const accs = new Map<string, number>();
  let ended = 0;
  let failed = '';
  const done = new Promise<void>((resolve) =>
    lab.runs.observe((m: TrainerMessage) => {
      if (m.type === 'eval') accs.set(m.runId, m.point.testAcc);
      if (m.type !== 'end') return;
      if (m.status !== 'finished') failed ||= `a run ended ${m.status}: ${m.message}`;
      if (++ended === seeds) resolve();
    }),
  );
  const t0 = performance.now();
  const state = await lab.services.startStudy({
    kind: 'lr',
    values: [DEFAULT_TRAIN_CONFIG.lr],
    seeds,
    small: false,
    base: { ...DEFAULT_TRAIN_CONFIG, validation: Number(values.validation) },
    ...(values.workers ? { workers: Number(values.workers) } : {}),
  });
  await done;
  const trainSeconds = (performance.now() - t0) / 1000;
  if (failed) throw new Error(failed);
  const a = [...accs.values()].sort((x, y) => x - y);
  const finalTestAcc = a[Math.floor(a.length / 2)];
  const workers = state.sweep.workers;
  console.log(
    JSON.stringify({ status: 'finished', trainSeconds, finalTestAcc, accs: a, runs: ended, workers, processes }),
  );
} finally {
  lab.shutdown();
}
