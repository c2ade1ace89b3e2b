import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('momentum-lab train (the real CLI process)', () => {
  it('prints a progress line from the first batch message on, then how it ended, and JSON with the curve', () => {
    const r = spawnSync(process.execPath, [resolve('bin/momentum-lab.mjs'), 'train', '--per-class', '5', '--epochs', '1', '--json'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^epoch \d\.\d\d\/1 iter \d+\/2 loss \d+\.\d{4}/);
    expect(lines.at(-1)).toBe('finished: finished 2 iterations');
    const result = JSON.parse(r.stdout) as { status: string; iterations: number; curve: unknown[] };
    expect(result.status).toBe('finished');
    expect(result.iterations).toBe(2);
    expect(result.curve).toHaveLength(1);
  });
});
