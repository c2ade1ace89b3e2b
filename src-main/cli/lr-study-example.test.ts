import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkSvg } from '../services/export/export-check';

// README's worked example (docs/examples/lr-study-figures.sh) runs as written: the learning-rate study with small
// settings, then every figure into the folder through the real CLI.

const dir = mkdtempSync(join(tmpdir(), 'mlab-lr-example-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("README's learning-rate study script", () => {
  it('regenerates every figure of the study into a folder', () => {
    const out = join(dir, 'figs');
    const env = { ...process.env, MOMENTUM_LAB: `${process.execPath} ${resolve('bin/momentum-lab.mjs')}` };
    const r = spawnSync('sh', [resolve('docs/examples/lr-study-figures.sh'), out, '--small', '--quiet'], {
      encoding: 'utf8',
      env,
      timeout: 600_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const files = readdirSync(out).sort();
    expect(files.filter((f) => !f.startsWith('lr-study.db'))).toEqual([
      'lr-acc-examples.png',
      'lr-acc-examples.svg',
      'lr-acc-iteration.png',
      'lr-acc-iteration.svg',
      'lr-loss-examples.png',
      'lr-loss-examples.svg',
      'lr-loss-iteration.png',
      'lr-loss-iteration.svg',
      'lr-study.csv',
      'lr-study.html',
      'lr-test-loss-log.svg',
    ]);
    for (const f of files.filter((x) => x.endsWith('.svg'))) {
      const svg = readFileSync(join(out, f), 'utf8');
      checkSvg(svg);
      expect(
        [...svg.matchAll(/data-legend="([^"]*)"/g)].map((m) => m[1]),
        f,
      ).toEqual(['LR 0.01', 'LR 0.1', 'LR 1']);
    }
    for (const f of files.filter((x) => x.endsWith('.png'))) {
      const png = readFileSync(join(out, f));
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
      expect(png.readUInt32BE(16), f).toBe(1440);
    }
    expect(readFileSync(join(out, 'lr-loss-examples.svg'), 'utf8')).toContain('training examples seen');
    expect(readFileSync(join(out, 'lr-test-loss-log.svg'), 'utf8')).toContain(
      'data-caption="Test loss; LR: 0.01 / 0.1 / 1;',
    );
    // 3 runs, about 20 evaluations each (the study's plan), one CSV row per evaluation.
    const rows = readFileSync(join(out, 'lr-study.csv'), 'utf8').trim().split('\n').length - 1;
    expect(rows).toBeGreaterThanOrEqual(3 * 16);
  }, 600_000);
});
