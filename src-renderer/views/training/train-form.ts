import type { DatasetInfo } from '../../../src-core/contracts/dataset';
import { decimalOrNull, parseDecimal } from '../../../src-core/contracts/parse-decimal';
import {
  autoEvalEveryFor,
  evaluationsOf,
  iterationsOf,
  trainImagesOf,
} from '../../../src-core/contracts/eval-interval';
import { grouped } from '../../../src-core/grouped';
import {
  TrainConfigSchema,
  type Activation,
  type LossKind,
  type OptimizerKind,
  type TrainConfig,
  type TrainLossMode,
} from '../../../src-core/contracts/train-config';

// The training form as text fields (what the user typed), and its parse into a
// TrainConfig with one reason per bad field. The same zod schema checks the
// config again in the main process.

export interface FormFields {
  hidden: string;
  batchSize: string;
  lr: string;
  epochs: string;
  momentum: string;
  optimizer: OptimizerKind;
  activation: Activation;
  loss: LossKind;
  seed: string;
  /** Iterations between evaluations, or 'auto' (or empty): about 40 a run, at least one an epoch (eval-interval.ts). */
  evalEvery: string;
  subset: 'all' | 'per-class';
  perClass: string;
  /** Early-stopping patience in evaluations; empty = off. */
  earlyStop: string;
  trainLossMode: TrainLossMode;
  /** Validation images carved out of the training set (a multiple of 10; 0 = none). */
  validation: string;
  /** Measure sharpness (opt-in): at every FORM_SHARPNESS_EVERY-th evaluation and the final one, on the first 1,000 training images. */
  sharpness: boolean;
}

/** The form's sharpness cadence: every 5th evaluation (and the final one); the CLI sets any K with --sharpness-every. */
export const FORM_SHARPNESS_EVERY = 5;

export type FieldName = keyof FormFields;
export type FieldErrors = Partial<Record<FieldName, string>>;

/** Short names for the summary next to the Train button. */
export const FIELD_NAMES: Record<FieldName, string> = {
  hidden: 'HL',
  batchSize: 'BS',
  lr: 'LR',
  epochs: 'Epochs',
  momentum: 'Momentum d',
  optimizer: 'Optimizer',
  activation: 'Activation',
  loss: 'Loss',
  seed: 'Seed',
  evalEvery: 'Eval every',
  subset: 'Training set',
  perClass: 'Per class',
  earlyStop: 'Early stop',
  trainLossMode: 'Train loss',
  validation: 'Validation',
  sharpness: 'Sharpness',
};

export function fieldsFrom(c: TrainConfig): FormFields {
  return {
    hidden: String(c.hidden),
    batchSize: String(c.batchSize),
    lr: String(c.lr),
    epochs: String(c.epochs),
    momentum: String(c.momentum),
    optimizer: c.optimizer,
    activation: c.activation,
    loss: c.loss,
    seed: String(c.seed),
    evalEvery: String(c.evalEvery),
    subset: c.perClass === null ? 'all' : 'per-class',
    perClass: String(c.perClass ?? 100),
    trainLossMode: c.trainLossMode ?? 'running',
    earlyStop: c.earlyStop === null || c.earlyStop === undefined ? '' : String(c.earlyStop),
    validation: String(c.validation ?? 0),
    sharpness: c.sharpnessEvery !== null && c.sharpnessEvery !== undefined,
  };
}

/** The form a new user meets: the default config, with "Evaluate every" on auto. */
export function defaultFields(c: TrainConfig): FormFields {
  return { ...fieldsFrom(c), evalEvery: AUTO };
}

export const AUTO = 'auto';

/** Whether the "Evaluate every" text asks for the automatic interval. */
export function isAutoEvalEvery(text: string): boolean {
  const t = text.trim().toLowerCase();
  return t === '' || t === AUTO;
}

/** MNIST's training file, for the automatic interval before a dataset is known. */
const MNIST_TRAIN_COUNT = 60_000;

const NUMERIC = [
  'hidden',
  'batchSize',
  'lr',
  'epochs',
  'momentum',
  'seed',
  'evalEvery',
  'perClass',
  'validation',
] as const;

/** The automatic interval for the fields as typed; 200 while a field it depends on is refused (that field says why). */
function autoFor(f: FormFields, num: Record<string, number>, dataset: DatasetInfo | null): number {
  const k = autoEvalEveryFor(
    {
      perClass: f.subset === 'all' ? null : num['perClass'],
      validation: num['validation'],
      batchSize: num['batchSize'],
      epochs: num['epochs'],
    },
    dataset?.trainCount ?? MNIST_TRAIN_COUNT,
  );
  return Number.isInteger(k) && k >= 1 ? k : 200;
}

/**
 * What "Evaluate every" will do, under the field: "auto: every 200 iterations, 35 evaluations" (the effective value
 * of auto), or for a typed value the number of evaluations it gives. Null while the form is refused.
 */
export function evalEveryNote(f: FormFields, config: TrainConfig | null, dataset: DatasetInfo | null): string | null {
  if (!config) return null;
  const run = iterationsOf(
    trainImagesOf(config, dataset?.trainCount ?? MNIST_TRAIN_COUNT),
    config.batchSize,
    config.epochs,
  );
  const n = evaluationsOf(run.total, config.evalEvery);
  const evals = `${grouped(n)} evaluation${n === 1 ? '' : 's'} over ${grouped(run.total)} iterations`;
  return isAutoEvalEvery(f.evalEvery)
    ? `auto: every ${grouped(config.evalEvery)} iteration${config.evalEvery === 1 ? '' : 's'} (${evals}; about 40 a run, at least one an epoch)`
    : `iterations; ${evals}; "auto" = about 40 a run`;
}

/** Parse the form: a valid config, or the reason each bad field was refused. */
export function parseForm(
  f: FormFields,
  dataset: DatasetInfo | null,
): { config: TrainConfig | null; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const num: Record<string, number> = {};
  for (const k of NUMERIC) {
    if (k === 'perClass' && f.subset === 'all') continue;
    if (k === 'evalEvery' && isAutoEvalEvery(f.evalEvery)) continue;
    const text = f[k].trim();
    const r = parseDecimal(text);
    if (text === '') errors[k] = 'required';
    else if (!r.ok) errors[k] = 'not a number in decimal notation';
    num[k] = r.ok ? r.value : NaN;
  }
  const candidate = {
    hidden: num['hidden'],
    batchSize: num['batchSize'],
    lr: num['lr'],
    epochs: num['epochs'],
    momentum: num['momentum'],
    optimizer: f.optimizer,
    activation: f.activation,
    loss: f.loss,
    seed: num['seed'],
    evalEvery: isAutoEvalEvery(f.evalEvery) ? autoFor(f, num, dataset) : num['evalEvery'],
    perClass: f.subset === 'all' ? null : num['perClass'],
    trainLossMode: f.trainLossMode ?? 'running',
    earlyStop: (f.earlyStop ?? '').trim() === '' ? null : (decimalOrNull(f.earlyStop) ?? NaN),
    validation: num['validation'],
    sharpnessEvery: f.sharpness ? FORM_SHARPNESS_EVERY : null,
  };
  const result = TrainConfigSchema.safeParse(candidate);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = issue.path[0] as FieldName | undefined;
      if (key && !errors[key]) errors[key] = issue.message;
    }
  }
  if (dataset && f.subset === 'per-class' && !errors.perClass && Number.isFinite(num['perClass'])) {
    const fewest = Math.min(...dataset.trainClassCounts);
    if (num['perClass'] > fewest) errors.perClass = `must be <= ${fewest} (the rarest class has ${fewest} images)`;
  }
  // The validation set comes from the images the run does not train on: per class, what the subset leaves (an
  // all-images run keeps at least one image of each class to train on).
  if (
    dataset &&
    !errors.validation &&
    !errors.perClass &&
    Number.isInteger(num['validation']) &&
    num['validation'] > 0
  ) {
    const fewest = Math.min(...dataset.trainClassCounts);
    const used = f.subset === 'all' ? 1 : num['perClass'];
    const room = Math.max(0, fewest - used) * 10;
    if (num['validation'] > room)
      errors.validation = `must be <= ${room} (the rarest class has ${fewest} images, ${f.subset === 'all' ? 'one kept to train on' : `${used} of them in the training subset`})`;
  }
  if (!errors.earlyStop && candidate.earlyStop !== null && num['validation'] === 0)
    errors.earlyStop = 'needs a validation set (Validation > 0): it must not choose on the test set';
  return { config: result.success && Object.keys(errors).length === 0 ? result.data : null, errors };
}
