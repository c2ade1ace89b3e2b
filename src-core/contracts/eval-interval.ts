// The default evaluation interval ("Evaluate every: auto"): about AUTO_EVALS_TARGET evaluations a run, at least
// one every epoch, rounded to a round number. The form and the CLI resolve 'auto' through this one function before
// a config is sent, so TrainConfig.evalEvery stays a number (what the trainer, the store and the reports read).

/** About this many evaluations a run. */
export const AUTO_EVALS_TARGET = 40;

/** The images a run trains on: its class-balanced subset, or the training file minus the validation images. */
export function trainImagesOf(
  config: { perClass: number | null; validation: number },
  datasetTrainCount: number,
): number {
  if (config.perClass !== null) return config.perClass * 10;
  return Math.max(1, datasetTrainCount - config.validation);
}

/** Iterations per epoch and in all, as the trainer counts them (a batch larger than the set is the whole set). */
export function iterationsOf(
  trainImages: number,
  batchSize: number,
  epochs: number,
): { perEpoch: number; total: number } {
  const n = Math.max(1, Math.floor(trainImages));
  const batch = Math.max(1, Math.min(Math.floor(batchSize), n));
  const perEpoch = Math.ceil(n / batch);
  return { perEpoch, total: perEpoch * Math.max(1, Math.floor(epochs)) };
}

/** The nearest of 1, 2, 5, 10, 20, 50, … to x (x > 0), nearest on a log scale. */
export function roundToOneTwoFive(x: number): number {
  if (!(x > 1)) return 1;
  const e = Math.floor(Math.log10(x));
  let best = 1;
  let bestDist = Infinity;
  for (const p of [e - 1, e, e + 1]) {
    for (const m of [1, 2, 5]) {
      const c = m * 10 ** p;
      if (c < 1) continue;
      const d = Math.abs(Math.log(c / x));
      if (d < bestDist) {
        bestDist = d;
        best = c;
      }
    }
  }
  return best;
}

/**
 * The automatic evaluation interval of a run of `total` iterations with `perEpoch` a epoch: total / 40 rounded to
 * 1-2-5, never more than one epoch's iterations (so every epoch has an evaluation) and at least 1. The trainer also
 * evaluates at the last iteration. MNIST's defaults (55,000 or 60,000 images, BS 32, 4 epochs) give 200.
 */
export function autoEvalEvery(run: { perEpoch: number; total: number }): number {
  const k = roundToOneTwoFive(run.total / AUTO_EVALS_TARGET);
  return Math.max(1, Math.min(k, run.perEpoch));
}

/** The number of evaluations a run makes with interval k (every k-th iteration, plus the last one). */
export function evaluationsOf(total: number, k: number): number {
  return Math.floor(total / k) + (total % k === 0 ? 0 : 1);
}

/** autoEvalEvery for a config and the dataset's training-file size. */
export function autoEvalEveryFor(
  config: { perClass: number | null; validation: number; batchSize: number; epochs: number },
  datasetTrainCount: number,
): number {
  return autoEvalEvery(iterationsOf(trainImagesOf(config, datasetTrainCount), config.batchSize, config.epochs));
}
