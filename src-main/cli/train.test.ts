import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './test-helpers';

describe('momentum-lab train (the real CLI process)', () => {
  it('prints a progress line from the first batch message on, then how it ended, and JSON with the curve', () => {
    const r = runCli(['train', '--per-class', '5', '--epochs', '1', '--json'], 60_000);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^epoch \d\.\d\d\/1 iter \d+\/2 loss \d+\.\d{4}/);
    const result = JSON.parse(r.stdout) as {
      status: string;
      iterations: number;
      curve: unknown[];
      finalTestAcc: number;
    };
    expect(lines.at(-1)).toMatch(
      new RegExp(
        `^finished 2 iterations in \\d+\\.\\d s: test accuracy ${(result.finalTestAcc * 100).toFixed(2)} %, loss \\d+\\.\\d{3}$`,
      ),
    );
    expect(result.status).toBe('finished');
    expect(result.iterations).toBe(2);
    // --eval-every auto: 50 images at BS 32 are 2 iterations an epoch, evaluated at each (was 1 point with 200).
    expect(result.curve).toHaveLength(2);
  });

  it('--json carries valLoss / valAcc per point, stoppedAt and bestIter; a run at chance ends "collapsed" (exit 1)', () => {
    const r = runCli([
      'train',
      '--per-class',
      '100',
      '--epochs',
      '10',
      '--eval-every',
      '20',
      '--lr',
      '2',
      '--momentum',
      '0.9',
      '--early-stop',
      '50',
      '--json',
      '--quiet',
    ]);
    expect(r.status, r.stderr).toBe(1);
    const out = JSON.parse(r.stdout) as {
      status: string;
      message: string;
      stoppedAt: number | null;
      bestIter: number | null;
      collapsedAt: number | null;
      validationSize: number;
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
    const a = runCli(['train', '--val', '0', '--early-stop', '3'], 60_000);
    expect(a.status).toBe(2);
    expect(a.stderr).toMatch(/--early-stop needs --val > 0/);
    const b = runCli(['train', '--val', '55'], 60_000);
    expect(b.status).toBe(2);
    expect(b.stderr).toMatch(/validation: must be a multiple of 10/);
  });

  it('the human output ends with the result, and no ETA is printed before the pace is measured (a short run never hears "minutes")', () => {
    const r = runCli(['train', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      iterations: number;
      trainSeconds: number;
      finalTestAcc: number;
      finalTestLoss: number;
    };
    const lines = r.stderr.trimEnd().split('\n');
    // The first line comes from the first batch message, whose time includes the worker's start: no ETA on it.
    expect(lines[0]).toMatch(/^epoch 0\.00\/4 iter 1\/6,876 loss \d\.\d{4}$/);
    // Every ETA printed is within reach of the real run: at most twice its whole training time, plus a second.
    const etas = lines.flatMap((l) => {
      const m = / ETA (?:(\d+)m(\d\d)s|(\d+(?:\.\d)?) s)$/.exec(l);
      if (!m) return [];
      return [m[3] !== undefined ? Number(m[3]) : Number(m[1]) * 60 + Number(m[2])];
    });
    for (const eta of etas) expect(eta).toBeLessThanOrEqual(2 * out.trainSeconds + 1);
    expect(lines.filter((l) => l.includes('ETA')).length).toBe(etas.length); // every ETA in the one format
    const acc = (out.finalTestAcc * 100).toFixed(2);
    const loss = out.finalTestLoss.toFixed(3);
    // The time is the run's trainSeconds in the one rule for seconds: one decimal below a minute ("2.6 s", and
    // "17.0 s" on a busy machine), then minutes and whole seconds.
    const tenths = out.trainSeconds.toFixed(1);
    const took = Number(tenths) < 60 ? `${tenths.replace('.', '\\.')} s` : '\\d+m[0-5]\\ds';
    expect(lines.at(-1)).toMatch(
      new RegExp(`^finished 6,876 iterations in ${took}: test accuracy ${acc} %, loss ${loss.replace('.', '\\.')}$`),
    );
  }, 130_000);

  it('Ctrl-C ends with an equally clear last line: "cancelled after N of M iterations …" and exit 130', async () => {
    const child = spawn(process.execPath, [resolve('bin/momentum-lab.mjs'), 'train', '--epochs', '40'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    const code = await new Promise<number | null>((done) => {
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (chunk: string) => {
        const first = err === '';
        err += chunk;
        if (first) setTimeout(() => child.kill('SIGINT'), 300);
      });
      child.on('close', (c) => done(c));
    });
    expect(code, err).toBe(130);
    expect(err.trimEnd().split('\n').at(-1)).toMatch(
      /^cancelled after [\d,]+ of 68,760 iterations in \d+\.\d s; last evaluation: (test accuracy \d+\.\d\d %, loss \d+\.\d{3} \(at iteration [\d,]+\)|no evaluation was made)$/,
    );
  }, 60_000);

  it('--eval-every auto is the default (about 40 evaluations a run, at least one an epoch); a typed value wins', () => {
    const run = (...flags: string[]) => {
      const r = runCli(['train', '--per-class', '100', '--json', '--quiet', ...flags], 60_000);
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as { config: { evalEvery: number }; curve: unknown[] };
    };
    const auto = run();
    expect(auto.config.evalEvery).toBe(5);
    expect(auto.curve).toHaveLength(26);
    expect(run('--eval-every', 'auto').config.evalEvery).toBe(5);
    const typed = run('--eval-every', '200');
    expect(typed.config.evalEvery).toBe(200);
    expect(typed.curve).toHaveLength(1);
  }, 120_000);
});
