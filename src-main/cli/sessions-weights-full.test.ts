import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NUM_CLASSES, type TrainerMessage } from '../../src-core/contracts/train-protocol';
import { actCode } from '../../src-core/mlp/activation';
import { createParams, initPyTorch } from '../../src-core/mlp/params';
import { referenceForward } from '../../src-core/mlp/reference';
import { loadDataset } from '../../src-core/node/load-dataset';
import { builtinMnistFiles } from '../../src-core/node/mnist';
import { parseNpy } from '../../src-core/node/npz-test-helpers';
import { rngFor, STREAMS } from '../../src-core/rng';
import { weightsMessage } from '../../src-core/train/evaluator';
import { main } from './main';
import { capture, runCli } from './test-helpers';

// The whole network in `sessions weights … --out F.npz` (issue 15): a real training run recorded by the CLI into a
// real session database, exported, and the .npz read back (fflate + the format's own rules, and NumPy when the
// machine has it). The oracle is the network the trainer evaluated: a float64 forward pass of the test set with the
// file's W1, b1, W2, b2 in nn.Linear layout must give the recorded test accuracy and loss of that evaluation.

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mlab-full-npz-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const H = 16;

describe('the full-network .npz', () => {
  it('the weights message carries b1, W2 (outputs x hidden) and b2 bit for bit as the parameters hold them', () => {
    const p = createParams(784, 5, NUM_CLASSES);
    initPyTorch(p, rngFor(3, STREAMS.init));
    const m = weightsMessage('r', 1, p) as Extract<TrainerMessage, { type: 'weights' }>;
    expect(Array.from(m.b1!)).toEqual(Array.from(p.b1));
    expect(Array.from(m.w2!)).toEqual(Array.from(p.w2));
    expect(Array.from(m.b2!)).toEqual(Array.from(p.b2));
    // Copies, not views of the live parameters.
    p.b1[0] += 1;
    expect(m.b1![0]).not.toBe(p.b1[0]);
  });

  it('a recorded run exports W1, b1, W2, b2 that reproduce the evaluation it was saved at', async () => {
    const db = join(dir, 'lab.db');
    const run = runCli([
      'train',
      '--per-class',
      '20',
      '--hidden',
      String(H),
      '--epochs',
      '3',
      '--batch',
      '20',
      '--eval-every',
      '5',
      '--val',
      '0',
      '--db',
      db,
      '--session',
      'npz',
      '--json',
    ]);
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as {
      finalTestAcc: number;
      finalTestLoss: number;
      iterations: number;
      savedTo: { runId: string };
    };
    const out = join(dir, 'net.npz');
    const c = capture();
    expect(
      await main(['sessions', 'weights', 'npz', result.savedTo.runId, '--db', db, '--out', out, '--json'], c.io),
      c.err.join(''),
    ).toBe(0);
    const summary = JSON.parse(c.out.join('')) as {
      iter: number;
      missing: string[];
      arrays: { name: string; shape: number[] }[];
    };
    expect(summary.iter).toBe(result.iterations);
    expect(summary.missing).toEqual([]);
    expect(summary.arrays).toEqual([
      { name: 'W1', shape: [H, 784] },
      { name: 'b1', shape: [H] },
      { name: 'W2', shape: [10, H] },
      { name: 'b2', shape: [10] },
    ]);
    const files = unzipSync(readFileSync(out));
    expect(Object.keys(files).sort()).toEqual(['W1.npy', 'W2.npy', 'b1.npy', 'b2.npy']);
    const [W1, b1, W2, b2] = ['W1', 'b1', 'W2', 'b2'].map((k) => parseNpy(files[`${k}.npy`]));
    for (const a of [W1, b1, W2, b2]) expect(a).toMatchObject({ descr: '<f4', fortran: false });

    // The oracle: the recorded final evaluation (the trainer's own test pass, float32 WebAssembly) against a float64
    // forward pass with the file's arrays. A transposed W2 or a wrong bias would change the accuracy by far more.
    const data = loadDataset(builtinMnistFiles()).data;
    const p = createParams(784, H, 10);
    for (let j = 0; j < H; j++) for (let i = 0; i < 784; i++) p.w1[i * H + j] = W1.data[j * 784 + i];
    p.b1.set(b1.data);
    p.w2.set(W2.data);
    p.b2.set(b2.data);
    const n = data.testCount;
    const x = Float32Array.from(data.testImages.subarray(0, n * 784), (g) => g / 255);
    const [z] = referenceForward(p, actCode('relu'), x, n);
    let correct = 0;
    let loss = 0;
    for (let b = 0; b < n; b++) {
      let k = 0;
      for (let c2 = 1; c2 < 10; c2++) if (z[b * 10 + c2] > z[b * 10 + k]) k = c2;
      if (k === data.testLabels[b]) correct++;
      // Cross-entropy: log-sum-exp of the logits minus the label's logit.
      const m = z[b * 10 + k];
      let s = 0;
      for (let c2 = 0; c2 < 10; c2++) s += Math.exp(z[b * 10 + c2] - m);
      loss += m + Math.log(s) - z[b * 10 + data.testLabels[b]];
    }
    expect(Math.abs(correct / n - result.finalTestAcc)).toBeLessThanOrEqual(2 / n);
    expect(Math.abs(loss / n - result.finalTestLoss) / result.finalTestLoss).toBeLessThan(1e-4);

    // NumPy itself, where the machine has it: the same arrays, shapes and dtype.
    const py = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' });
    if (py.status === 0) {
      const script = join(dir, 'check.py');
      writeFileSync(
        script,
        [
          'import sys, json, numpy as np',
          'z = np.load(sys.argv[1])',
          'print(json.dumps({k: [list(z[k].shape), str(z[k].dtype), float(np.float64(z[k]).sum())] for k in sorted(z.files)}))',
        ].join('\n'),
      );
      const r = spawnSync('python3', [script, out], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      const got = JSON.parse(r.stdout) as Record<string, [number[], string, number]>;
      const sum = (a: Float32Array) => a.reduce((s, v) => s + v, 0);
      expect(Object.keys(got)).toEqual(['W1', 'W2', 'b1', 'b2']);
      for (const [k, a] of [
        ['W1', W1],
        ['W2', W2],
        ['b1', b1],
        ['b2', b2],
      ] as const) {
        expect(got[k][0]).toEqual(a.shape);
        expect(got[k][1]).toBe('float32');
        expect(got[k][2]).toBeCloseTo(sum(a.data), 6);
      }
    }
  }, 180_000);
});
