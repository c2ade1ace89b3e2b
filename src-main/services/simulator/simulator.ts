import type { SimulatorApi } from '../../../src-core/contracts/api-simulator';
import {
  OBJECTIVE_SPECS,
  PhaseDiagramRequestSchema,
  SimulateRequestSchema,
} from '../../../src-core/contracts/sim-config';
import { parseOrThrow } from '../../../src-core/contracts/validate';
import type { ServicesOf } from '../service-context';
import type { SimulatorClient } from './simulator-client';

/** The simulator's services: validate the payload here, compute in the simulator worker. */
export function createSimulatorServices(client: SimulatorClient): ServicesOf<SimulatorApi> {
  return {
    simObjectives: async () => OBJECTIVE_SPECS.map((s) => structuredClone(s)),
    simulate: async (payload) => client.simulate(parseOrThrow(SimulateRequestSchema, payload, 'simulate')),
    simPhaseDiagram: async (payload) =>
      client.phaseDiagram(parseOrThrow(PhaseDiagramRequestSchema, payload, 'phase diagram')),
  };
}
