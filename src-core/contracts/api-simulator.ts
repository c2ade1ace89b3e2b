import type { ObjectiveSpec, PhaseDiagramRequestInput, SimulateRequestInput } from './sim-config';
import type { SimulateResult } from '../momentum/simulate';
import type { PhaseDiagram } from '../momentum/phase-diagram';

export type { SimulateResult, PhaseDiagram };

/** The momentum simulator, as the renderer sees it. Every call runs in the simulator worker. */
export interface SimulatorApi {
  /** The objectives with their parameters, default starts and view boxes. */
  simObjectives(): Promise<ObjectiveSpec[]>;
  /** Validate and run every optimizer setting of the request from the same start. */
  simulate(req: SimulateRequestInput): Promise<SimulateResult>;
  /** Validate and compute a (lr*lambda, d) phase diagram of heavy-ball on a quadratic. */
  simPhaseDiagram(req: PhaseDiagramRequestInput): Promise<PhaseDiagram>;
}

export const SIMULATOR_CHANNELS = [
  'simObjectives',
  'simulate',
  'simPhaseDiagram',
] as const satisfies readonly (keyof SimulatorApi)[];
