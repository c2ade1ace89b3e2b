import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { entryFile, processExecArgv, threadScript } from './entry-file';
import { startEvalThread } from './eval-thread';
import { snapshotPair } from './eval-thread-test-helpers';

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
    // Inline on slot 0, on the thread (started from the bundle beside a bundled "trainer-worker.mjs") on slot 1.
    const { net, evalJob1, results } = snapshotPair(4, 'relu');
    const runner = startEvalThread(net, null, entryFile('eval-thread', join(dir, 'trainer-worker.mjs')));
    try {
      expect(await runner.run({ jobs: [evalJob1()], sharpness: false })).toBeNull();
      const [inline, threaded] = results();
      expect(threaded.lossSum).toBe(inline.lossSum);
      expect(threaded).toEqual(inline); // predictions, confidences, probabilities, confusion matrix, correct
      // Asking a thread started without a sharpness set for sharpness is a clear error, not a hang.
      await expect(runner.run({ jobs: [evalJob1()], sharpness: true })).rejects.toThrow(/without a sharpness set/);
    } finally {
      runner.close();
    }
  });
});
