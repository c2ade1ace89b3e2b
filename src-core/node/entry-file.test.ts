import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { actCode } from '../mlp/activation';
import { lossCode } from '../mlp/loss';
import { initPyTorch } from '../mlp/params';
import { FastNet } from '../mlp/wasm/fast-net';
import { rngFor } from '../rng';
import { entryFile, processExecArgv, threadScript } from './entry-file';
import { startEvalThread } from './eval-thread';
import { loadDataset } from './load-dataset';
import { builtinMnistFiles } from './mnist';

// Where a worker process's or thread's entry is, from the sources and from a bundle; and the evaluation thread run
// from a real esbuild bundle of its entry (as out/cli and out/main hold it) against the same evaluation inline.

const root = fileURLToPath(new URL('../..', import.meta.url));
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('entryFile', () => {
  it('finds the source entry beside a source module, run through tsx', () => {
    const e = entryFile('trainer', '/repo/src-main/workers/node-launcher.ts');
    expect(e).toEqual({ file: '/repo/src-main/workers/trainer-entry.ts', source: true });
    expect(processExecArgv(e)[0]).toBe('--import');
    expect(processExecArgv(e)[1]).toMatch(/^file:.*tsx.*loader\.mjs$/);
    const t = threadScript(entryFile('eval-thread', '/repo/src-main/workers/trainer-entry.ts'));
    expect(t.eval).toBe(true);
    expect(t.script).toContain('tsImport');
    expect(t.script).toContain('file:///repo/src-main/workers/eval-thread-entry.ts');
  });

  it('finds the bundled entry beside a bundled module, in its extension, with no loader', () => {
    expect(entryFile('trainer', '/repo/out/cli/chunk-ABC.mjs')).toEqual({
      file: '/repo/out/cli/trainer-worker.mjs',
      source: false,
    });
    const e = entryFile('eval-thread', '/repo/out/main/trainer-worker.js');
    expect(e).toEqual({ file: '/repo/out/main/eval-thread-worker.js', source: false });
    expect(processExecArgv(e)).toEqual([]);
    expect(threadScript(e)).toEqual({ script: '/repo/out/main/eval-thread-worker.js', eval: false });
  });
});

describe('the evaluation thread from a bundle', () => {
  it('evaluates a snapshot exactly as the training thread does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'momentum-eval-bundle-'));
    dirs.push(dir);
    await build({
      entryPoints: { 'eval-thread-worker': join(root, 'src-main/workers/eval-thread-entry.ts') },
      outdir: dir,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'warning',
    });
    const { data } = loadDataset(builtinMnistFiles());
    const net = FastNet.create({
      inputs: 784,
      hidden: 16,
      maxBatch: 8,
      train: { images: data.trainImages, count: data.trainCount, only: Int32Array.from({ length: 50 }, (_, i) => i) },
      test: { images: data.testImages, count: data.testCount },
      testLabels: data.testLabels,
      evalSlots: 2,
      evalChunk: 256,
    })!;
    initPyTorch(net.params, rngFor(4, 'init'));
    const act = actCode('relu');
    const loss = lossCode('ce');
    // Inline on slot 0, on the thread (started from the bundle beside a bundled "trainer-worker.mjs") on slot 1.
    net.snapshot(0);
    const job0 = net.evalJob(0, act, loss);
    for (let from = 0; from < job0.count; from += job0.chunk)
      net.evalRows(job0, from, Math.min(job0.chunk, job0.count - from));
    const runner = startEvalThread(net, null, entryFile('eval-thread', join(dir, 'trainer-worker.mjs')));
    try {
      net.snapshot(1);
      expect(await runner.run({ jobs: [net.evalJob(1, act, loss)], sharpness: false })).toBeNull();
      const inline = net.evalResult(0);
      const threaded = net.evalResult(1);
      expect(threaded.lossSum).toBe(inline.lossSum);
      expect(threaded.correct).toBe(inline.correct);
      expect(threaded.probs).toEqual(inline.probs);
      // Asking a thread started without a sharpness set for sharpness is a clear error, not a hang.
      await expect(runner.run({ jobs: [net.evalJob(1, act, loss)], sharpness: true })).rejects.toThrow(
        /without a sharpness set/,
      );
    } finally {
      runner.close();
    }
  });
});
