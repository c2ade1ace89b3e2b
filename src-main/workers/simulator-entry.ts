import { toLabErrorData } from '../../src-core/contracts/lab-error';
import { PhaseDiagramRequestSchema, SimulateRequestSchema } from '../../src-core/contracts/sim-config';
import { parseOrThrow } from '../../src-core/contracts/validate';
import { phaseDiagram } from '../../src-core/momentum/phase-diagram';
import { simulateBatch } from '../../src-core/momentum/simulate-batch';
import { connectToParent } from './parent-port';
import type { SimulatorMessage, SimulatorRequest } from './simulator-protocol';

// Simulator worker: one long-lived process that answers trajectory and
// phase-diagram requests in order. It re-validates what it is sent (the main
// process already did) so the worker never runs on a malformed request.

const port = connectToParent<SimulatorRequest, SimulatorMessage>();

port.onMessage((msg) => {
  const t0 = performance.now();
  try {
    if (msg.type === 'simulate') {
      const value = simulateBatch(parseOrThrow(SimulateRequestSchema, msg.request, 'simulate'));
      value.computeMs = performance.now() - t0;
      port.post({ type: 'simulated', id: msg.id, value });
    } else if (msg.type === 'phase') {
      const value = phaseDiagram(parseOrThrow(PhaseDiagramRequestSchema, msg.request, 'phase diagram'));
      value.computeMs = performance.now() - t0;
      port.post({ type: 'phase', id: msg.id, value });
    }
  } catch (err) {
    port.post({ type: 'error', id: (msg as { id: number }).id, error: toLabErrorData(err) });
  }
});
