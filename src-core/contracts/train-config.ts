import { z } from 'zod';
import { int, positiveReal, real } from './numbers';

/** Classes of the digits (as NUM_CLASSES in train-protocol.ts, which imports this file). */
const NUM_VALIDATION_CLASSES = 10;

/** The validation set's size when a config does not say: 500 images per class. */
export const DEFAULT_VALIDATION = 5000;

export const ACTIVATIONS = ['relu', 'sigmoid', 'tanh'] as const;
export const LOSSES = ['ce', 'mse'] as const;
export const OPTIMIZERS = ['heavy-ball', 'nesterov', 'adam'] as const;
export const TRAIN_LOSS_MODES = ['running', 'full'] as const;

export type Activation = (typeof ACTIVATIONS)[number];
export type LossKind = (typeof LOSSES)[number];
export type OptimizerKind = (typeof OPTIMIZERS)[number];
export type TrainLossMode = (typeof TRAIN_LOSS_MODES)[number];

/**
 * Everything that defines a training run. The same schema checks the form in
 * the renderer, every IPC payload in the main process, and the CLI flags.
 */
export const TrainConfigSchema = z.strictObject({
  /** HL: hidden units of the single hidden layer. */
  hidden: int(1, 4096),
  /** BS: examples per mini-batch. */
  batchSize: int(1, 60000),
  /** LR: step size. */
  lr: positiveReal(1e4),
  epochs: int(1, 1000),
  /** Momentum factor d of v <- d*v - lr*grad, w <- w + v; 0 is plain SGD. (Adam: beta1.) */
  momentum: real(0, 2),
  optimizer: z.enum(OPTIMIZERS),
  activation: z.enum(ACTIVATIONS),
  loss: z.enum(LOSSES),
  seed: int(0, 0xffffffff),
  /** Evaluate on the full test set every this many iterations (and after the last). */
  evalEvery: int(1, 1_000_000),
  /** null: all training images; N: N images per class, drawn class-balanced from the seed. */
  perClass: int(1, 100_000).nullable(),
  /**
   * Early stopping during training: patience in evaluations (stop once the validation loss has not improved for
   * this many evaluations, restore the weights of the best one and evaluate them once more); null = off. Needs a
   * validation set (validation > 0; see earlyStopProblem). Optional on input (configs recorded before it existed read as null).
   */
  earlyStop: int(1, 1000).nullable().default(null),
  /**
   * The train loss and accuracy of an evaluation: 'running' = the mean of the mini-batch values since the previous
   * evaluation (free, weights still changing); 'full' = a full pass over the training (sub)set with the weights of
   * that moment. Optional on input ('running').
   */
  trainLossMode: z.enum(TRAIN_LOSS_MODES).default('running'),
  /**
   * Validation images carved out of the training file (class-balanced: validation / 10 per class, drawn from the
   * seed's 'validation' stream among the images the run does not train on); 0 = no validation set. Early stopping,
   * its plateaus and the best point are chosen on them; the test set is only reported. Optional on input
   * (DEFAULT_VALIDATION); runs recorded before it existed had none and read as 0 (schema migration v5).
   */
  validation: int(0, 50_000)
    .refine((v) => v % NUM_VALIDATION_CLASSES === 0, {
      error: `must be a multiple of ${NUM_VALIDATION_CLASSES} (the same number of images of every class)`,
    })
    .default(DEFAULT_VALIDATION),
  /**
   * Sharpness (λ_max of the training-loss Hessian, src-core/train/sharpness) at every this-many-th evaluation and
   * always at the final one; null = off (each estimate costs up to 20 Hessian-vector products over the sharpness set,
   * ~20 evaluations' worth at N = 1,000). Optional on input (off).
   */
  sharpnessEvery: int(1, 1_000_000).nullable().default(null),
  /** N of the sharpness set: the first N training images in file order (a subset run: its first N). Optional on input (1,000). */
  sharpnessBatch: int(1, 60_000).default(1000),
});

export type TrainConfig = z.infer<typeof TrainConfigSchema>;

/** Why a config cannot run as asked (early stopping without a validation set), or null. */
export function earlyStopProblem(config: Pick<TrainConfig, 'earlyStop' | 'validation'>): string | null {
  return config.earlyStop !== null && config.validation === 0
    ? 'earlyStop: early stopping needs a validation set (validation > 0): it must not choose the stopping point on the test set it reports'
    : null;
}

export const DEFAULT_TRAIN_CONFIG: TrainConfig = Object.freeze({
  hidden: 64,
  batchSize: 32,
  lr: 0.1,
  epochs: 4,
  momentum: 0,
  optimizer: 'heavy-ball',
  activation: 'relu',
  loss: 'ce',
  seed: 1,
  evalEvery: 200,
  perClass: null,
  earlyStop: null,
  trainLossMode: 'running',
  validation: DEFAULT_VALIDATION,
  sharpnessEvery: null,
  sharpnessBatch: 1000,
});

/**
 * The report-style caption, e.g. "BS:32; LR:0.1; EPOCHS: 4; HL: 64." with the
 * settings that differ from the defaults appended, and an optional title first
 * ("Simulation 2; BS:32; ..."). omitDefaultValidation: leave out "VAL: 5000" when it is the default (a figure whose
 * runs all share it, as the assignment's).
 */
export function trainCaption(
  config: TrainConfig,
  title?: string,
  options: { omitDefaultValidation?: boolean } = {},
): string {
  const parts = [`BS:${config.batchSize}`, `LR:${config.lr}`, `EPOCHS: ${config.epochs}`, `HL: ${config.hidden}`];
  if (config.momentum !== 0 || config.optimizer !== 'heavy-ball') {
    parts.push(
      config.optimizer === 'heavy-ball'
        ? `d: ${config.momentum}`
        : `${config.optimizer.toUpperCase()} d: ${config.momentum}`,
    );
  }
  if (config.activation !== 'relu') parts.push(`ACT: ${config.activation}`);
  if (config.loss !== 'ce') parts.push(`LOSS: ${config.loss.toUpperCase()}`);
  if (config.perClass !== null) parts.push(`N: ${config.perClass * 10} (${config.perClass}/class)`);
  if (!(options.omitDefaultValidation && config.validation === DEFAULT_VALIDATION))
    parts.push(config.validation > 0 ? `VAL: ${config.validation}` : 'VAL: none');
  const head = title ? `${title}; ` : '';
  return `${head}${parts.join('; ')}.`;
}
