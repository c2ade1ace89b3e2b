import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// `train --sharpness-every K [--sharpness-batch N]` through the real CLI process (issue 15).

const cli = (...args: string[]) =>
  spawnSync(process.execPath, [resolve('bin/momentum-lab.mjs'), 'train', ...args], {
    encoding: 'utf8',
    timeout: 120_000,
  });

interface Point {
  iter: number;
  sharpness: number | null;
  sharpnessMin: number | null;
  hvps: number | null;
  layers: { layer: string; flipFraction: number | null; velocityRatio: number | null }[] | null;
}

// 10 images per class, batch 20: 5 iterations an epoch, 10 in all; evaluations at 2, 4, 6, 8, 10.
const SMALL = [
  '--per-class',
  '10',
  '--epochs',
  '2',
  '--batch',
  '20',
  '--eval-every',
  '2',
  '--val',
  '0',
  '--hidden',
  '16',
];

describe('momentum-lab train --sharpness-every', () => {
  it('--json adds sharpness, sharpnessMin, hvps (null where not measured) and per-layer flip statistics to every point', () => {
    const r = cli(...SMALL, '--sharpness-every', '2', '--sharpness-batch', '50', '--json');
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      config: { sharpnessEvery: number; sharpnessBatch: number };
      sharpnessSet: { source: string; count: number; description: string };
      curve: Point[];
    };
    expect(out.config).toMatchObject({ sharpnessEvery: 2, sharpnessBatch: 50 });
    expect(out.sharpnessSet).toEqual({
      source: 'subset',
      count: 50,
      description: "the first 50 images (file order) of the run's training subset",
    });
    expect(out.curve.map((p) => p.iter)).toEqual([2, 4, 6, 8, 10]);
    // The 2nd and 4th evaluations, and the final one.
    expect(out.curve.filter((p) => p.sharpness !== null).map((p) => p.iter)).toEqual([4, 8, 10]);
    for (const p of out.curve) {
      expect(p.layers!.map((l) => l.layer)).toEqual(['fc1', 'fc2']);
      for (const l of p.layers!) {
        expect(l.flipFraction).toBeGreaterThanOrEqual(0);
        expect(l.flipFraction).toBeLessThanOrEqual(1);
        // d = 0: every step is a plain step.
        expect(Math.abs(l.velocityRatio! - 1)).toBeLessThan(1e-3);
      }
      if (p.sharpness === null) {
        expect(p.hvps).toBeNull();
        expect(p.sharpnessMin).toBeNull();
      } else {
        expect(p.sharpness).toBeGreaterThan(0);
        expect(p.hvps).toBeGreaterThanOrEqual(1);
        expect(p.hvps).toBeLessThanOrEqual(20);
      }
    }
    // The human lines: the last measurement, its set, the threshold 2/lr = 20 (lr 0.1, d = 0), and the sentence.
    const last = out.curve.at(-1)!.sharpness!;
    const lines = r.stderr.trimEnd().split('\n');
    // The sharpness lines come just before the last line, which says how the run ended.
    expect(lines.at(-1)).toMatch(/^finished /);
    lines.pop();
    expect(lines.at(-2)).toMatch(
      new RegExp(
        `^sharpness ${String(Number(last.toPrecision(3))).replace('.', '\\.')} at iteration 10 on the first 50 images \\(file order\\) of the run's training subset; threshold 2/lr = 20$`,
      ),
    );
    expect(lines.at(-1)).toMatch(/^Sharpness (rose|fell|went) from .* (threshold|within)/);
  });

  it('says the threshold does not apply to Nesterov; without the flag no point has a sharpness and nothing is printed about it', () => {
    const n = cli(...SMALL, '--optimizer', 'nesterov', '--momentum', '0.9', '--sharpness-every', '10');
    expect(n.status, n.stderr).toBe(0);
    expect(n.stderr).toMatch(
      /^sharpness [\d.]+ at iteration 10 on .*; the threshold 2\(1\+d\)\/lr is heavy-ball's and does not apply to Nesterov/m,
    );
    const off = cli(...SMALL, '--json');
    expect(off.status, off.stderr).toBe(0);
    const out = JSON.parse(off.stdout) as { sharpnessSet: unknown; curve: Point[] };
    expect(out.sharpnessSet).toBeNull();
    expect(out.curve.every((p) => p.sharpness === null && p.hvps === null && p.layers !== null)).toBe(true);
    expect(off.stderr).not.toMatch(/sharpness/i);
  });

  it('prints the flip line, its percentages and step ratios the medians of the --json curve, against 1/(1±d)', () => {
    const r = cli(...SMALL, '--momentum', '0.9', '--lr', '0.01', '--json');
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { curve: Point[] };
    const med = (xs: number[]) => {
      const a = [...xs].sort((x, y) => x - y);
      return a.length % 2 ? a[a.length >> 1] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    };
    const line = r.stderr.split('\n').find((l) => l.startsWith('flips: '));
    expect(line, r.stderr).toBeDefined();
    for (const [layer, word] of [
      ['fc1', 'First'],
      ['fc2', 'Second'],
    ] as const) {
      const ls = out.curve.map((p) => p.layers!.find((l) => l.layer === layer)!);
      const flip = Math.round(100 * med(ls.map((l) => l.flipFraction!)));
      const ratio = Number(med(ls.map((l) => l.velocityRatio!)).toPrecision(3)).toLocaleString('en-US');
      expect(line).toContain(`${word} layer: ${flip}\u00a0% of the sampled gradients flip sign`);
      expect(line).toContain(`the median step is ${ratio}× a plain gradient step, `);
    }
    expect(line).toMatch(/1\/\(1\+d\) = 0\.526×/);
    // d = 0: no comparison, the ratio is 1 by construction.
    const plain = cli(...SMALL);
    expect(plain.stderr).toMatch(/^flips: First layer: .*ratio is 1 by construction/m);
    expect(plain.stderr).not.toMatch(/predicts/);
  });

  it('refuses bad values before training (exit 2)', () => {
    for (const [args, message] of [
      [['--sharpness-every', '0'], /sharpnessEvery/],
      [['--sharpness-every', '2', '--sharpness-batch', '60001'], /sharpnessBatch/],
      [['--sharpness-batch', '100'], /--sharpness-batch needs --sharpness-every/],
      [['--sharpness-every', 'often'], /sharpness-every/],
    ] as const) {
      const r = cli(...args);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });
});
