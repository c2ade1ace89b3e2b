import { describe, expect, it } from 'vitest';
import { SimulateRequestSchema } from '../contracts/sim-config';
import { parseOrThrow } from '../contracts/validate';
import { simulateBatch } from './simulate-batch';

const base = {
  objective: { name: 'quadratic' },
  start: [1],
  steps: 50,
  runs: [{ kind: 'heavy-ball', lr: 0.1, d: 0.9 }],
};

describe('simulator requests', () => {
  it('fills parameter defaults and runs every optimizer setting from the same start', () => {
    const req = parseOrThrow(
      SimulateRequestSchema,
      { ...base, runs: [0, 0.5, 0.9, 1, 1.1].map((d) => ({ kind: 'heavy-ball', lr: 0.1, d })) },
      'simulate',
    );
    expect(req.objective.params).toEqual({ lambda: 1 });
    const res = simulateBatch(req);
    expect(res.runs).toHaveLength(5);
    expect(res.runs.map((r) => r.theory!.regime)).toEqual([
      'monotone',
      'oscillating',
      'oscillating',
      'undamped',
      'diverging',
    ]);
  });

  it('rejects unknown parameters, out-of-range values, wrong start dimensions and bad optimizers with one readable reason', () => {
    expect(() =>
      parseOrThrow(
        SimulateRequestSchema,
        { ...base, objective: { name: 'quadratic', params: { kappa: 3 } } },
        'simulate',
      ),
    ).toThrow(/kappa: is not a parameter of quadratic/);
    expect(() =>
      parseOrThrow(
        SimulateRequestSchema,
        { ...base, objective: { name: 'quadratic', params: { lambda: -1 } } },
        'simulate',
      ),
    ).toThrow(/lambda: must be in/);
    expect(() =>
      parseOrThrow(SimulateRequestSchema, { ...base, objective: { name: 'rosenbrock' } }, 'simulate'),
    ).toThrow(/2-D: start needs 2/);
    expect(() =>
      parseOrThrow(SimulateRequestSchema, { ...base, runs: [{ kind: 'heavy-ball', lr: 0, d: 0.9 }] }, 'simulate'),
    ).toThrow(/lr: must be > 0/);
    expect(() =>
      parseOrThrow(SimulateRequestSchema, { ...base, runs: [{ kind: 'sgd', lr: 0.1, d: 0.9 }] }, 'simulate'),
    ).toThrow(/kind/);
    expect(() => parseOrThrow(SimulateRequestSchema, { ...base, objective: { name: 'nope' } }, 'simulate')).toThrow(
      /objective.name/,
    );
  });
});
