import type { LabErrorData } from '../../src-core/contracts/lab-error';
import type { PhaseDiagramRequest, SimulateRequest } from '../../src-core/contracts/sim-config';
import type { PhaseDiagram } from '../../src-core/momentum/phase-diagram';
import type { SimulateResult } from '../../src-core/momentum/simulate';

// Messages between the main process and the simulator worker. Each request
// carries an id; the answer carries the same id, and the main side drops
// answers it no longer waits for.

export type SimulatorRequest =
  | { type: 'simulate'; id: number; request: SimulateRequest }
  | { type: 'phase'; id: number; request: PhaseDiagramRequest };

export type SimulatorMessage =
  | { type: 'simulated'; id: number; value: SimulateResult }
  | { type: 'phase'; id: number; value: PhaseDiagram }
  | { type: 'error'; id: number; error: LabErrorData };
