import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from './main';

// Every number flag of the CLI reads decimal notation only (parseDecimal):
// "--hidden 0x10" used to train 16 hidden units and "--batch 0b101" 5.

const capture = () => {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) } };
};

const TRAIN_FLAGS = ['hidden', 'batch', 'lr', 'epochs', 'momentum', 'seed', 'eval-every', 'early-stop', 'per-class'];
const SIM_FLAGS = ['lr', 'steps', 'beta2', 'adam-eps', 'd'];
const NOT_DECIMAL = ['0x10', '0b101', '0o17', '1_000', '1,5', 'Infinity', 'NaN', '1e400', ' '];

describe('CLI number flags: decimal notation only', () => {
  it(`train refuses non-decimal text in every number flag before a worker starts: exit 2, one line naming the flag (${TRAIN_FLAGS.length * NOT_DECIMAL.length} cases)`, async () => {
    for (const flag of TRAIN_FLAGS) {
      for (const text of NOT_DECIMAL) {
        const c = capture();
        const code = await main(['train', `--${flag}=${text}`, '--quiet'], c.io);
        const line = c.err.join('');
        expect(code, `--${flag}=${text}: ${line}`).toBe(2);
        expect(line, `--${flag}=${text}`).toMatch(new RegExp(`--${flag}: ".*" is (not a number|too large)`));
        expect(line.trimEnd().split('\n')).toHaveLength(1);
        expect(c.out.join('')).toBe('');
      }
    }
  });

  it(`simulate refuses them too (${SIM_FLAGS.length * NOT_DECIMAL.length - 1} cases), and a list flag refuses one bad part`, async () => {
    for (const flag of SIM_FLAGS) {
      for (const text of NOT_DECIMAL) {
        if (flag === 'd' && text.includes(',')) continue; // --d is a comma-separated list
        const c = capture();
        const code = await main(['simulate', `--${flag}=${text}`], c.io);
        expect(code, `--${flag}=${text}: ${c.err.join('')}`).toBe(2);
        expect(c.err.join('')).toMatch(/is (not a number|too large)/);
      }
    }
    const c = capture();
    expect(await main(['simulate', '--d=0.5,0x1'], c.io)).toBe(2);
    expect(c.err.join('')).toContain('"0x1" is not a number in decimal notation');
  });

  it('the real CLI process: --hidden 0x10 and --batch 0b101 exit 2 at once with one line; decimal values still train', () => {
    const bin = resolve('bin/momentum-lab.mjs');
    for (const [flag, text] of [
      ['--hidden', '0x10'],
      ['--batch', '0b101'],
    ]) {
      const r = spawnSync(
        process.execPath,
        [bin, 'train', flag, text, '--per-class', '5', '--epochs', '1', '--quiet'],
        { encoding: 'utf8', timeout: 60_000 },
      );
      expect(r.status, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trimEnd()).toBe(
        `momentum-lab train: ${flag}: "${text}" is not a number in decimal notation (hexadecimal, binary and octal are refused)`,
      );
    }
    const ok = spawnSync(
      process.execPath,
      [bin, 'train', '--hidden', '16', '--batch', '+5', '--per-class', '5', '--epochs', '1', '--json'],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(ok.status, ok.stderr).toBe(0);
    const result = JSON.parse(ok.stdout) as {
      status: string;
      iterations: number;
      config?: { hidden: number; batchSize: number };
    };
    expect(result.status).toBe('finished');
    expect(result.iterations).toBe(10); // 50 images / batch 5
  });
});
