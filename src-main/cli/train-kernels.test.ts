import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// A whole run through the real CLI and trainer process, with the native first-layer kernels (as installed) and with
// MOMENTUM_KERNELS=wasm: the same result, every evaluation point and batch loss, bit for bit (only the timings differ).

const CLI = resolve('bin/momentum-lab.mjs');
function run(env: Record<string, string>) {
  const r = spawnSync(
    process.execPath,
    [
      CLI,
      'train',
      '--per-class',
      '60',
      '--epochs',
      '2',
      '--eval-every',
      '10',
      '--val',
      '100',
      '--momentum',
      '0.9',
      '--json',
      '--quiet',
    ],
    { encoding: 'utf8', timeout: 120_000, env: { ...process.env, ...env } },
  );
  expect(r.status, r.stderr).toBe(0);
  const out = JSON.parse(r.stdout) as Record<string, unknown>;
  for (const k of ['wallSeconds', 'trainSeconds']) delete out[k];
  return JSON.stringify(out, (k, v: unknown) => (k === 'elapsedMs' || k === 'time' || k === 'seconds' ? undefined : v));
}

describe('train with the native and the WebAssembly kernels', () => {
  it('gives the same run, bit for bit', () => {
    const wasm = run({ MOMENTUM_KERNELS: 'wasm' });
    const native = run({});
    expect(native.length).toBeGreaterThan(1000);
    expect(native).toBe(wasm);
  }, 240_000);
});
