import type { TrainingApi } from '../../../src-core/contracts/api-training';
import { LabError } from '../../../src-core/contracts/lab-error';
import type { ServiceContext, ServicesOf } from '../service-context';
import { DatasetService } from './datasets';
import { EvalProbsKeeper } from './eval-probs';
import { RunManager } from './run-manager';
import { RunWeightsKeeper } from './run-weights';

/** Datasets and training: validation, then the dataset service or a trainer worker. */
export function createTrainingServices(
  ctx: ServiceContext,
  datasets: DatasetService,
  runs: RunManager,
): ServicesOf<TrainingApi> {
  const probs = new EvalProbsKeeper();
  const weights = new RunWeightsKeeper();
  runs.observe((message, run) => {
    probs.observe(message, run);
    weights.observe(message, run);
  });
  return {
    datasetInfo: async () => datasets.info(),
    openDataset: async () => {
      const files = await ctx.pickDatasetFiles();
      return files ? datasets.open(files) : null;
    },
    useBuiltinDataset: async () => datasets.useBuiltin(),
    digits: async (payload) => datasets.digits(payload),
    labels: async (payload) => datasets.labels(payload),
    startTraining: async (payload) => {
      if (runs.activeRunIds().length >= 8)
        throw new LabError('busy', 'eight runs are already training; wait for one to finish');
      const run = runs.start(payload, datasets.files);
      return { runId: run.runId };
    },
    cancelTraining: async (payload) => runs.cancel(payload),
    testProbs: async (payload) => probs.get(payload),
    hiddenWeights: async (payload) => weights.get(payload),
  };
}
