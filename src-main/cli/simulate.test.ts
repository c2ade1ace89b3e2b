import { describe, expect, it } from 'vitest';
import { main } from './main';
import { requestFromFlags } from './simulate';
import { capture } from './test-helpers';

/** `simulate --json` on the quadratic with lambda 1, lr 0.1, x0 1, 200 steps and the given d: it exits 0; its JSON. */
async function quadraticJson(d: string) {
  const c = capture();
  const args = ['--objective', 'quadratic', '--lambda', '1', '--lr', '0.1', '--d', d, '--x0', '1', '--steps', '200'];
  expect(await main(['simulate', ...args, '--json'], c.io)).toBe(0);
  return JSON.parse(c.out.join(''));
}

describe('momentum-lab simulate', () => {
  it('turns flags into a validated request, one run per d', () => {
    const { request } = requestFromFlags([
      '--objective',
      'quadratic-2d',
      '--lambda1',
      '1',
      '--lambda2',
      '10',
      '--angle',
      '0',
      '--lr',
      '0.1',
      '--d',
      '0.5,0.9',
      '--x0=-2,1',
      '--steps',
      '50',
    ]);
    expect(request.objective).toEqual({ name: 'quadratic-2d', params: { lambda1: 1, lambda2: 10, angle: 0 } });
    expect(request.start).toEqual([-2, 1]);
    expect(request.runs.map((r) => r.d)).toEqual([0.5, 0.9]);
  });

  it('bad arguments exit 2 with one line naming the problem', async () => {
    for (const [args, pattern] of [
      [['--objective', 'nope'], /unknown objective "nope"/],
      [['--objective', 'quadratic', '--lambda1', '2'], /--lambda1: not a parameter of quadratic/],
      [['--lr', 'fast'], /--lr: "fast" is not a number/],
      [['--lr=-1'], /lr: must be > 0/],
      [['--objective', 'rosenbrock', '--x0', '1'], /start needs 2 coordinates/],
      [['--steps', '0'], /steps: must be >= 1/],
      [['--bogus'], /bogus/],
    ] as const) {
      const c = capture();
      const code = await main(['simulate', ...args], c.io);
      expect(code, args.join(' ')).toBe(2);
      expect(c.err.join('')).toMatch(pattern);
      expect(c.err.join('').trim().split('\n')).toHaveLength(1);
    }
  });

  it('--list names every objective with its parameters', async () => {
    const c = capture();
    expect(await main(['simulate', '--list'], c.io)).toBe(0);
    expect(c.out.join('')).toMatch(/quadratic-2d .*\n.*\n.*--lambda1 1/);
    expect(c.out.join('')).toContain('himmelblau');
  });

  it('--json prints one object with the trajectory, signs, flips, status, rate and theory', async () => {
    const res = await quadraticJson('1.1');
    const run = res.runs[0];
    expect(run.x).toHaveLength(201);
    expect(run.gradSign).toHaveLength(201);
    expect(run.status).toBe('diverged');
    expect(run.theory.regime).toBe('diverging');
    expect(run.theory.directions[0].eigenvalues).toHaveLength(2);
    expect(typeof run.flips[0]).toBe('number');
  });

  it('--json exports the exact envelope aligned with x: it bounds |x_t| and the peaks touch it (issue 17, item 1)', async () => {
    const run = (await quadraticJson('0.5')).runs[0];
    expect(Array.isArray(run.theory.envelope)).toBe(true);
    expect(run.theory.envelope).toHaveLength(run.x.length);
    const ratios = run.x.map((x: number, t: number) => Math.abs(x) / run.theory.envelope[t]);
    expect(Math.max(...ratios)).toBeLessThanOrEqual(1);
    expect(Math.max(...ratios)).toBeGreaterThan(0.99);
    // the old envelope |x0| rho^t was exceeded 2.236x: sqrt(1 + c^2), c = (1-d-h)/sqrt(4d-(1+d-h)^2)
    const c0 = 0.4 / Math.sqrt(2 - 1.4 ** 2);
    expect(Math.max(...run.x.map((x: number, t: number) => Math.abs(x) / Math.sqrt(0.5) ** t))).toBeCloseTo(
      Math.sqrt(1 + c0 * c0),
      3,
    );
    const text = capture();
    expect(
      await main(['simulate', '--objective', 'quadratic', '--lr', '0.1', '--d', '0.5', '--x0', '1'], text.io),
    ).toBe(0);
    expect(text.out.join('')).toContain(`C*rho^t, C = ${Number(Math.sqrt(1 + c0 * c0).toPrecision(6))}`);
  });

  it('the constant-gradient text prints the measured factor beside the limit, with the series sign right (item 12)', async () => {
    const c = capture();
    expect(
      await main(['simulate', '--objective', 'linear', '--lr', '0.1', '--d', '0.99', '--steps', '200'], c.io),
    ).toBe(0);
    const out = c.out.join('');
    expect(out).toContain(
      `each step is ${Number(((1 - 0.99 ** 200) / 0.01).toPrecision(6))}x a plain gradient step (the limit 1/(1 - d) = 100x)`,
    );
    expect(out).toContain('-lr*g*(1 + d + d^2');
    expect(out).not.toMatch(/; each step is 100x/);
  });
});
