import { LabError } from '../../../src-core/contracts/lab-error';
import type { PhaseDiagramRequest, SimulateRequest } from '../../../src-core/contracts/sim-config';
import type { PhaseDiagram } from '../../../src-core/momentum/phase-diagram';
import type { SimulateResult } from '../../../src-core/momentum/simulate';
import type { SimulatorMessage, SimulatorRequest } from '../../workers/simulator-protocol';
import type { WorkerHandle, WorkerLauncher } from '../../workers/worker-handle';

type Pending = { resolve: (v: unknown) => void; reject: (e: unknown) => void };

/**
 * The main side of the simulator worker: started on first use, kept alive,
 * restarted on the next call after it dies (pending calls fail with
 * 'worker-failed'). Answers are matched to calls by id.
 */
export class SimulatorClient {
  private worker: WorkerHandle<SimulatorRequest, SimulatorMessage> | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly launcher: WorkerLauncher) {}

  simulate(request: SimulateRequest): Promise<SimulateResult> {
    return this.call((id) => ({ type: 'simulate', id, request })) as Promise<SimulateResult>;
  }

  phaseDiagram(request: PhaseDiagramRequest): Promise<PhaseDiagram> {
    return this.call((id) => ({ type: 'phase', id, request })) as Promise<PhaseDiagram>;
  }

  shutdown(): void {
    this.worker?.kill();
    this.worker = null;
  }

  private call(make: (id: number) => SimulatorRequest): Promise<unknown> {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.post(make(id));
    });
  }

  private ensureWorker(): WorkerHandle<SimulatorRequest, SimulatorMessage> {
    if (this.worker) return this.worker;
    const worker = this.launcher<SimulatorRequest, SimulatorMessage>('simulator');
    worker.onMessage((m) => {
      const p = this.pending.get(m.id);
      if (!p) return; // stale: nobody waits for it
      this.pending.delete(m.id);
      if (m.type === 'error') p.reject(new LabError(m.error.code, m.error.message));
      else p.resolve(m.value);
    });
    worker.onExit((code) => {
      if (this.worker === worker) this.worker = null;
      const failed = [...this.pending.values()];
      this.pending.clear();
      for (const p of failed) p.reject(new LabError('worker-failed', `the simulator worker exited (code ${code})`));
    });
    this.worker = worker;
    return worker;
  }
}
