import { describe, expect, it } from 'vitest';
import { main } from './main';
import { requestFromFlags } from './simulate';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

describe('momentum-lab simulate', () => {
  it('turns flags into a validated request, one run per d', () => {
    const { request } = requestFromFlags(['--objective', 'quadratic-2d', '--lambda1', '1', '--lambda2', '10', '--angle', '0', '--lr', '0.1', '--d', '0.5,0.9', '--x0=-2,1', '--steps', '50']);
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
    const c = capture();
    expect(await main(['simulate', '--objective', 'quadratic', '--lambda', '1', '--lr', '0.1', '--d', '1.1', '--x0', '1', '--steps', '200', '--json'], c.io)).toBe(0);
    const res = JSON.parse(c.out.join(''));
    const run = res.runs[0];
    expect(run.x).toHaveLength(201);
    expect(run.gradSign).toHaveLength(201);
    expect(run.status).toBe('diverged');
    expect(run.theory.regime).toBe('diverging');
    expect(run.theory.directions[0].eigenvalues).toHaveLength(2);
    expect(typeof run.flips[0]).toBe('number');
  });
});
