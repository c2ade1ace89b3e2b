// The stages a trainer process goes through before its first training step, each timed (wall and the process's CPU)
// in a fresh process: run by bench/startup-cost.ts (bundled first, as the CLI's trainer worker is), not a test.
//   the modules the trainer worker loads; loadDataset (read + check the four IDX files); the kernels' compilation;
//   setUpRun (the WebAssembly memory and the packing of every image's nonzero pixels into it, initial weights,
//   flip statistics); the evaluation thread (its start, its bundle, its instance of the kernels: until it answers
//   an empty task). opened early: the thread is opened before the dataset is read, as the trainer worker does
//   (src-main/workers/trainer-entry.ts); otherwise after setUpRun, as it was before (issue 18). The process's CPU
//   time counts every thread, so an early thread's own start is counted in the stages it overlaps.
import { DEFAULT_TRAIN_CONFIG } from '../src-core/contracts/train-config';
import { loadDataset } from '../src-core/node/load-dataset';
import { builtinMnistFiles } from '../src-core/node/mnist';
import { openEvalThread } from '../src-core/node/eval-thread';
import type { EntryFile } from '../src-core/node/entry-file';
import { kernelsModule } from '../src-core/mlp/wasm/instance';
import { setUpRun } from '../src-core/train/run-setup';

export interface Stage {
  name: string;
  wallMs: number;
  cpuMs: number;
}

/** Runs the stages in order; evalEntry: the bundled eval-thread entry. */
export async function runStages(evalEntry: EntryFile, openedEarly: boolean): Promise<Stage[]> {
  const stages: Stage[] = [];
  let w = performance.now();
  let c = process.cpuUsage();
  const mark = (name: string) => {
    const w2 = performance.now();
    const c2 = process.cpuUsage(c);
    stages.push({ name, wallMs: w2 - w, cpuMs: (c2.user + c2.system) / 1000 });
    w = performance.now();
    c = process.cpuUsage();
  };
  const early = openedEarly ? openEvalThread(evalEntry) : null;
  const { data } = loadDataset(builtinMnistFiles());
  mark('loadDataset (read + check 4 IDX files)');
  if (!kernelsModule()) throw new Error('no WebAssembly kernels on this host');
  mark('kernels: base64 decode + WebAssembly compile');
  const run = setUpRun({ ...DEFAULT_TRAIN_CONFIG, validation: 0 }, data, 'fast');
  if (!run.net) throw new Error('setUpRun took the reference path');
  mark('setUpRun (memory, packing nonzeros, init)');
  const runner = (early ?? openEvalThread(evalEntry)).start(run.net, run.sharpness);
  await runner.run({ jobs: [], sharpness: false });
  mark(`eval thread (${early ? 'opened early' : 'opened now'}): until its first answer`);
  runner.close();
  return stages;
}
