import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');

describe('the committed WebAssembly kernels', () => {
  it('are byte for byte a fresh build of assembly/kernels.ts', () => {
    const out = execFileSync(process.execPath, [join(root, 'scripts/build-wasm.mjs'), '--check'], {
      encoding: 'utf8',
      cwd: root,
    });
    expect(out).toContain('matches a fresh build');
  });
});
