import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_CONFIG } from '../../../src-core/contracts/train-config';
import type { TrainerMessage, TrainerRequest } from '../../../src-core/contracts/train-protocol';
import { builtinMnistFiles } from '../../../src-core/node/mnist';
import { nodeLauncher } from '../../workers/node-launcher';
import type { WorkerLauncher } from '../../workers/worker-handle';
import { RunManager } from './run-manager';

// Who asks for two step threads: a lone run started from the Training view or the CLI (kind 'single') does; a run
// started beside another, and every run of a sweep or study (two trainer processes at a time), keep one. Real
// trainer processes; the requests they are sent are recorded on the way.

function recordingLauncher(sent: TrainerRequest[]): WorkerLauncher {
  return (<In, Out>(name: 'trainer' | 'simulator') => {
    const handle = nodeLauncher<In, Out>(name);
    return {
      ...handle,
      post: (m: In) => {
        sent.push(m as TrainerRequest);
        handle.post(m);
      },
      onMessage: (l: (m: Out) => void) => handle.onMessage(l),
      onExit: (l: (code: number | null) => void) => handle.onExit(l),
      kill: () => handle.kill(),
      pid: handle.pid,
    };
  }) as WorkerLauncher;
}

const stepThreads = (r: TrainerRequest) => (r.type === 'start' ? r.stepThreads : undefined);

describe('RunManager: step threads per run', () => {
  it('gives a lone single run two step threads, a run beside it and a sweep run one; all finish', async () => {
    const sent: TrainerRequest[] = [];
    const runs = new RunManager(recordingLauncher(sent));
    const ends: TrainerMessage[] = [];
    runs.observe((m) => {
      if (m.type === 'end') ends.push(m);
    });
    const config = { ...DEFAULT_TRAIN_CONFIG, perClass: 20, epochs: 1, evalEvery: 3 };
    runs.start(config, builtinMnistFiles());
    runs.start(config, builtinMnistFiles());
    runs.start(config, builtinMnistFiles(), 'sweep');
    expect(sent.map(stepThreads)).toEqual([2, 1, 1]);
    const t0 = Date.now();
    while (ends.length < 3 && Date.now() - t0 < 60_000) await new Promise((r) => setTimeout(r, 20));
    expect(ends.map((e) => e.type === 'end' && e.status)).toEqual(['finished', 'finished', 'finished']);
    runs.shutdown();
  }, 90_000);
});
