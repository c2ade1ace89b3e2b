import { afterAll, describe, expect, it } from 'vitest';
import { invokeService } from '../invoke';
import { createLab } from '../services';
import { nodeLauncher } from '../../workers/node-launcher';
import type { SimulateResult } from '../../../src-core/momentum/simulate';
import type { PhaseDiagram } from '../../../src-core/momentum/phase-diagram';

const lab = createLab({ launcher: nodeLauncher, emit: () => {}, pickDatasetFiles: async () => null });
afterAll(() => lab.shutdown());

describe('simulator services', () => {
  it('simulate runs in the simulator worker and returns typed arrays', async () => {
    const res = await invokeService(lab.services, 'simulate', {
      objective: { name: 'quadratic', params: { lambda: 1 } },
      start: [1],
      steps: 200,
      runs: [
        { kind: 'heavy-ball', lr: 0.1, d: 0.9 },
        { kind: 'heavy-ball', lr: 0.1, d: 1.1 },
      ],
    });
    expect(res.ok).toBe(true);
    const value = (res as { value: SimulateResult }).value;
    expect(value.runs[0].x).toBeInstanceOf(Float64Array);
    expect(value.runs[0].x.length).toBe(201);
    expect(value.runs[1].status).toBe('diverged');
    expect(value.runs[1].theory!.regime).toBe('diverging');
    expect(value.computeMs).toBeGreaterThanOrEqual(0);
  });

  it('computes a phase diagram in the worker', async () => {
    const res = await invokeService(lab.services, 'simPhaseDiagram', {
      hMin: 0,
      hMax: 5,
      dMin: 0,
      dMax: 1.5,
      nh: 32,
      nd: 24,
      steps: 300,
    });
    expect(res.ok).toBe(true);
    const pd = (res as { value: PhaseDiagram }).value;
    expect(pd.rate).toBeInstanceOf(Float32Array);
    expect(pd.rate.length).toBe(32 * 24);
  });

  it('rejects a bad payload before it reaches the worker, with one readable reason', async () => {
    const res = await invokeService(lab.services, 'simulate', {
      objective: { name: 'quadratic' },
      start: [1],
      steps: 10,
      runs: [{ kind: 'heavy-ball', lr: -1, d: 0.5 }],
    });
    expect(res).toEqual({ ok: false, error: { code: 'invalid-input', message: 'simulate: runs.0.lr: must be > 0' } });
  });

  it('lists the objectives with their parameters', async () => {
    const res = await invokeService(lab.services, 'simObjectives', undefined);
    expect(res.ok && (res.value as { name: string }[]).map((s) => s.name)).toContain('rosenbrock');
  });
});
