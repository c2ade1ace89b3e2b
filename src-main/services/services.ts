import type { LabApi } from '../../src-core/contracts/lab-api';
import type { DatasetFiles } from '../../src-core/contracts/train-protocol';
import { DatasetService } from './datasets';
import { RunManager } from './run-manager';
import type { ServiceContext, ServicesOf } from './service-context';
import { createTrainingServices } from './training';
import { SimulatorClient } from './simulator-client';
import { createSimulatorServices } from './simulator';

/** The whole services table and the long-lived parts behind it. */
export interface Lab {
  services: ServicesOf<LabApi>;
  datasets: DatasetService;
  runs: RunManager;
  /** Stop every worker and close what is open. */
  shutdown(): void;
}

export interface LabOptions {
  /** Start on these IDX files instead of the built-in MNIST. */
  dataset?: DatasetFiles;
}

/**
 * Builds the services table: the one implementation behind the Electron IPC
 * handlers, the e2e bridge and the CLI. Each capability contributes its part.
 */
export function createLab(ctx: ServiceContext, options: LabOptions = {}): Lab {
  const datasets = new DatasetService(options.dataset);
  const runs = new RunManager(ctx.launcher);
  // The renderer sees every run message as an event.
  runs.observe((message) => ctx.emit({ channel: 'train', message }));
  const simulator = new SimulatorClient(ctx.launcher);
  const services: ServicesOf<LabApi> = {
    ...createTrainingServices(ctx, datasets, runs),
    ...createSimulatorServices(simulator),
  };
  return {
    services,
    datasets,
    runs,
    shutdown: () => {
      runs.shutdown();
      simulator.shutdown();
    },
  };
}
