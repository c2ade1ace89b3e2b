import type { StartStudyRequest } from '../contracts/api-studies';
import { LabError } from '../contracts/lab-error';
import { DEFAULT_TRAIN_CONFIG, TrainConfigSchema, type TrainConfig } from '../contracts/train-config';
import { parseOrThrow } from '../contracts/validate';
import { EOS_MOMENTA, studyDef } from './definitions';

// A study's runs: the base settings (shrunk for quick classroom runs when
// asked), the varied setting's values, each repeated over k seeds. Every run
// of one seed shares that seed, so the trainer's separate init / order
// streams give them the same initial weights and batch order (common random
// numbers) wherever the varied setting allows.

/**
 * Quick classroom settings: 100 images per class, 32 hidden units, 10 epochs
 * (320 iterations at BS 32: enough for d = 1.05 to blow up, 1.05^320 ~ 6e6);
 * the batch-size study keeps 3 epochs (BS 8 already takes 375 iterations).
 */
export const SMALL = Object.freeze({ perClass: 100, hidden: 32, epochs: 10, batchStudyEpochs: 3 });
/** Training-set-size study: iterations every run gets with small settings (at least one epoch each). */
export const SMALL_ITERS = 300;
/** Edge-of-stability study: sharpness at every evaluation (about 20 estimates a run). */
export const EOS_SHARPNESS_EVERY = 1;
/** Evaluations per run the plan aims at (evalEvery = ceil(total iterations / this)). */
export const EVALS_PER_RUN = 20;

export interface StudyPlan {
  name: string;
  configs: TrainConfig[];
  /** Run names: the varied setting's value ("LR 0.1", "N 10 (1/class)", "d 0.5, LR 0.05"), with ", seed k" when repeated. */
  labels: string[];
  /** Each run's seed group: its value's label without the seed ("LR 0.1"), shared by the seeds of one value. */
  groups: string[];
}

/** Steps per epoch: ceil(n / min(batch, n)). */
export function itersPerEpoch(trainSize: number, batchSize: number): number {
  return Math.ceil(trainSize / Math.min(batchSize, trainSize));
}

/**
 * The runs of a study on a training set of trainCount images (classMin: the
 * fewest images any class has, for subsets): values x seeds, first value first,
 * seeds innermost; evalEvery set for about EVALS_PER_RUN evaluations a run.
 */
export function planStudy(req: StartStudyRequest, trainCount: number, classMin: number = Infinity): StudyPlan {
  if (!(trainCount >= 1)) throw new RangeError(`planStudy: trainCount must be >= 1, got ${trainCount}`);
  const def = studyDef(req.kind);
  const base: TrainConfig = { ...(req.base ?? DEFAULT_TRAIN_CONFIG) };
  if (req.small) {
    if (req.kind !== 'trainSize') base.perClass = SMALL.perClass;
    if (req.kind !== 'hidden') base.hidden = SMALL.hidden;
    base.epochs = req.kind === 'batchSize' ? SMALL.batchStudyEpochs : SMALL.epochs;
  }
  const sizeOf = (c: TrainConfig) => (c.perClass === null ? trainCount : c.perClass * 10);
  // Training-set size: the iteration budget of the base settings on all images (small: SMALL_ITERS), the same for every run.
  const budget = req.small ? SMALL_ITERS : base.epochs * itersPerEpoch(trainCount, base.batchSize);
  const mode = req.momentumLr ?? 'fixed';
  const configs: TrainConfig[] = [];
  const labels: string[] = [];
  const groups: string[] = [];
  // The edge-of-stability study runs every LR at each d of EOS_MOMENTA (LR scaled by 1 - d), with sharpness on.
  const grid: { value: number | null; d: number | null }[] =
    req.kind === 'edgeOfStability'
      ? EOS_MOMENTA.flatMap((d) => req.values.map((value) => ({ value, d })))
      : req.values.map((value) => ({ value, d: null }));
  for (const { value, d } of grid) {
    const c: TrainConfig = { ...base };
    const bad = (why: string) =>
      new LabError('invalid-input', `startStudy: ${def.label} ${value === null ? 'all' : value}: ${why}`);
    if (value === null && req.kind !== 'trainSize') throw bad('"all" only applies to the training-set size');
    switch (req.kind) {
      case 'lr':
        c.lr = value!;
        break;
      case 'batchSize':
        c.batchSize = value!;
        break;
      case 'hidden':
        c.hidden = value!;
        break;
      case 'trainSize':
        if (value !== null && value > classMin) throw bad(`a class has only ${classMin} training images`);
        c.perClass = value;
        c.epochs = Math.min(1000, Math.max(1, Math.round(budget / itersPerEpoch(sizeOf(c), c.batchSize))));
        break;
      case 'momentum':
        c.momentum = value!;
        if (mode === 'scaled') {
          if (value === 1) throw bad('d = 1 cannot scale the learning rate by |1 - d| = 0');
          c.lr = roundSig(base.lr * Math.abs(1 - value!));
        }
        break;
      case 'edgeOfStability':
        if (value === null || !(value > 0)) throw bad('the learning rate must be > 0');
        c.optimizer = 'heavy-ball';
        c.momentum = d!;
        c.lr = roundSig(value * (1 - d!));
        c.sharpnessEvery = EOS_SHARPNESS_EVERY;
        break;
    }
    const total = c.epochs * itersPerEpoch(sizeOf(c), c.batchSize);
    c.evalEvery = Math.max(1, Math.ceil(total / EVALS_PER_RUN));
    const label = valueLabel(req.kind, c, mode);
    for (let k = 0; k < req.seeds; k++) {
      configs.push(
        parseOrThrow(TrainConfigSchema, { ...c, seed: base.seed + k }, `startStudy: ${def.label} ${value ?? 'all'}`),
      );
      labels.push(req.seeds > 1 ? `${label}, seed ${base.seed + k}` : label);
      groups.push(label);
    }
  }
  const size = req.small ? ', small settings' : '';
  const seeds = req.seeds > 1 ? `, ${req.seeds} seeds` : '';
  const lr =
    req.kind === 'momentum'
      ? mode === 'scaled'
        ? ', LR scaled by |1-d|'
        : ', LR fixed'
      : req.kind === 'edgeOfStability'
        ? ', d 0 and 0.9'
        : '';
  return { name: req.name ?? `${def.title} study${size}${lr}${seeds}`, configs, labels, groups };
}

/** The varied setting of one run as a legend entry. */
export function valueLabel(
  kind: StartStudyRequest['kind'],
  c: TrainConfig,
  momentumLr: 'fixed' | 'scaled' = 'fixed',
): string {
  switch (kind) {
    case 'lr':
      return `LR ${c.lr}`;
    case 'batchSize':
      return `BS ${c.batchSize}`;
    case 'hidden':
      return `HL ${c.hidden}`;
    case 'trainSize':
      return c.perClass === null ? 'N all' : `N ${c.perClass * 10} (${c.perClass}/class)`;
    case 'momentum':
      return momentumLr === 'scaled' ? `d ${c.momentum}, LR ${c.lr}` : `d ${c.momentum}`;
    case 'edgeOfStability':
      return `d ${c.momentum}, LR ${c.lr}`;
  }
}

/** x rounded to 12 significant digits (0.1 * 0.5 reads 0.05, not 0.05000000000000001). */
function roundSig(x: number): number {
  return Number(x.toPrecision(12));
}
