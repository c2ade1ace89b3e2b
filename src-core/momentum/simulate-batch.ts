import type { SimulateRequest } from '../contracts/sim-config';
import { makeObjective } from './objectives/make-objective';
import { simulateRun, type SimulateResult } from './simulate';

/** Every run of a validated request, each from the same start on the same objective. */
export function simulateBatch(req: SimulateRequest): SimulateResult {
  const objective = makeObjective(req.objective);
  const runs = req.runs.map((opt) => simulateRun(objective, opt, req.start, req.steps));
  return { objective: req.objective, start: [...req.start], steps: req.steps, runs };
}
