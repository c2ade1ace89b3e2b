import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { invokeService } from '../invoke';
import { createLab } from '../services';

// Files dropped on the window carry names chosen by whoever made them: a
// dropped dataset is stored under sanitised names inside the drop folder, and
// nothing is written anywhere else, whatever the names say.

const base = mkdtempSync(join(tmpdir(), 'ml-drop-names-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const u32 = (n: number) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
const images = (n: number) =>
  Uint8Array.from([0, 0, 8, 3, ...u32(n), ...u32(28), ...u32(28), ...new Array(n * 784).fill(7)]);
const labels = (n: number) => Uint8Array.from([0, 0, 8, 1, ...u32(n), ...Array.from({ length: n }, (_, i) => i % 10)]);
/** A valid dropped quadruple (3 training, 2 test images), so the files really are written. */
const QUAD = [images(3), labels(3), images(2), labels(2)];

function files(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...files(p));
    else out.push(p);
  }
  return out;
}

describe('dropped file names', () => {
  it('never place a file outside the drop folder (200 hostile name sets)', async () => {
    const dropDir = join(base, 'drops');
    const lab = createLab(
      {
        launcher: (() => {
          throw new Error('no workers here');
        }) as never,
        emit: () => {},
        pickDatasetFiles: async () => null,
      },
      { dropDir },
    );
    const hostileName = fc.oneof(
      fc.constantFrom(
        '../../../escaped',
        '..',
        '.',
        '/etc/passwd',
        '..\\..\\win',
        'C:\\x',
        'a/../../b',
        'train-images\u0000.idx',
        '.hidden',
        '~/x',
        'con',
        'x'.repeat(255),
        '%2e%2e%2fescaped',
        'train/../../../escaped-idx3-ubyte',
      ),
      fc.string({ minLength: 1, maxLength: 40 }),
    );
    let accepted = 0;
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(hostileName, { minLength: 4, maxLength: 4 }), async (names) => {
          const r = await invokeService(lab.services, 'openDatasetFromBytes', {
            files: names.map((name, i) => ({ name, bytes: QUAD[i] })),
          });
          if (r.ok) accepted++;
          else expect(['invalid-input', 'bad-dataset'], r.error.message).toContain(r.error.code);
        }),
        { numRuns: 200 },
      );
    } finally {
      lab.shutdown();
    }
    expect(accepted).toBeGreaterThan(40);
    const written = files(base);
    expect(written.length).toBeGreaterThan(40);
    for (const f of written) {
      const rel = relative(dropDir, f);
      expect(rel.startsWith('..'), f).toBe(false);
      expect(rel.split('/').every((part) => part !== '..' && !part.startsWith('.')) || rel.includes('.tmp'), f).toBe(
        true,
      );
    }
  });
});
