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

  it('--json carries valLoss / valAcc per point, stoppedAt and bestIter; a run at chance ends "collapsed" (exit 1)', () => {
    const r = spawnSync(
      process.execPath,
      [resolve('bin/momentum-lab.mjs'), 'train', '--per-class', '100', '--epochs', '10', '--eval-every', '20', '--lr', '2', '--momentum', '0.9', '--early-stop', '50', '--json', '--quiet'],
      { encoding: 'utf8', timeout: 120_000 },
    );
    expect(r.status, r.stderr).toBe(1);
    const out = JSON.parse(r.stdout) as {
      status: string; message: string; stoppedAt: number | null; bestIter: number | null; collapsedAt: number | null; validationSize: number;
      curve: { iter: number; valLoss: number | null; valAcc: number | null; testAcc: number }[];
    };
    expect(out.status).toBe('collapsed');
    expect(out.validationSize).toBe(5000);
    expect(out.stoppedAt).toBeNull();
    expect(out.curve.every((p) => typeof p.valLoss === 'number' && typeof p.valAcc === 'number')).toBe(true);
    const lowest = out.curve.reduce((a, b) => (b.valLoss! < a.valLoss! ? b : a));
    expect(out.bestIter).toBe(lowest.iter);
    expect(out.message).toMatch(new RegExp(`^collapsed: accuracy at chance since iteration ${out.collapsedAt} `));
  });

  it('refuses --early-stop without a validation set (exit 2), and --val that is not a multiple of 10', () => {
    const a = spawnSync(process.execPath, [resolve('bin/momentum-lab.mjs'), 'train', '--val', '0', '--early-stop', '3'], { encoding: 'utf8', timeout: 60_000 });
    expect(a.status).toBe(2);
    expect(a.stderr).toMatch(/--early-stop needs --val > 0/);
    const b = spawnSync(process.execPath, [resolve('bin/momentum-lab.mjs'), 'train', '--val', '55'], { encoding: 'utf8', timeout: 60_000 });
    expect(b.status).toBe(2);
    expect(b.stderr).toMatch(/validation: must be a multiple of 10/);
  });
});
