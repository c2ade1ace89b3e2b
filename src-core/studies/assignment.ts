import {
  AUTO_EVALS_TARGET,
  autoEvalEveryFor,
  iterationsOf,
  roundToOneTwoFive,
  trainImagesOf,
} from '../contracts/eval-interval';
import { DEFAULT_TRAIN_CONFIG, TrainConfigSchema, trainCaption, type TrainConfig } from '../contracts/train-config';
import { parseOrThrow } from '../contracts/validate';

// The assignment's simulations as presets: each one a named set of settings a student picks from one menu, and
// "Run all" runs every one of them into one session (a study of kind 'assignment'), whose report holds every figure
// the assignment asks for.
//
// Simulation 1 is the lab's defaults, which are Simulation 2's settings (BS 32, LR 0.1, 4 epochs, HL 64): the two
// runs are the same run, and both are kept so the report follows the assignment's numbering.
// Simulations 4 and 5 train on 10 and 1,000 class-balanced images. They get about as many iterations as
// Simulation 2 (more epochs over the small set, as the Training-set size study does), up to the schema's 1,000 epochs
// (10 images are one batch an epoch: 1,000 iterations), so the curves line up on the iteration axis and over-fitting
// has time to show; the caption states the epochs.

export interface AssignmentPreset {
  /** Stable id ("sim-3-lr-1"), for menus and the CLI. */
  id: string;
  /** The run's name and the menu entry: "Simulation 2", "Simulation 3 (LR 1, BS 64)". */
  name: string;
  /** What the simulation asks, in one line. */
  about: string;
  /** Settings on top of the defaults. */
  change: Partial<TrainConfig>;
  /** In the report's end comparisons. */
  compare: ('lr' | 'trainSize')[];
}

export const ASSIGNMENT_PRESETS: readonly AssignmentPreset[] = [
  {
    id: 'sim-1',
    name: 'Simulation 1',
    about: 'the default settings',
    change: {},
    compare: [],
  },
  {
    id: 'sim-2',
    name: 'Simulation 2',
    about: 'BS 32, LR 0.1, 4 epochs, HL 64',
    change: { batchSize: 32, lr: 0.1, epochs: 4, hidden: 64 },
    compare: ['lr', 'trainSize'],
  },
  {
    id: 'sim-3-lr-0.01',
    name: 'Simulation 3 (LR 0.01)',
    about: 'a small learning rate: LR 0.01',
    change: { lr: 0.01 },
    compare: ['lr'],
  },
  {
    id: 'sim-3-lr-1',
    name: 'Simulation 3 (LR 1, BS 64)',
    about: 'a large learning rate: LR 1 with BS 64',
    change: { lr: 1, batchSize: 64 },
    compare: ['lr'],
  },
  {
    id: 'sim-4',
    name: 'Simulation 4',
    about: '10 training images (1 per class)',
    change: { perClass: 1 },
    compare: ['trainSize'],
  },
  {
    id: 'sim-5',
    name: 'Simulation 5',
    about: '1,000 training images (100 per class)',
    change: { perClass: 100 },
    compare: ['trainSize'],
  },
  {
    id: 'sim-6',
    name: 'Simulation 6',
    about: 'a narrower hidden layer: HL 32',
    change: { hidden: 32 },
    compare: [],
  },
];

/** The study's name, and the session "Run all" fills. */
export const ASSIGNMENT_NAME = 'Assignment';

/**
 * Quick settings for a classroom demo or a test: every full-set run on 200 images per class (still twice Simulation
 * 5's 100, so the training-set-size comparison compares), 1 epoch, about 8 evaluations a run.
 */
export const ASSIGNMENT_SMALL = Object.freeze({ perClass: 200, epochs: 1, evaluations: 8 });

/** A preset by id or by name (case-insensitive), or null. */
export function findPreset(key: string): AssignmentPreset | null {
  const k = key.trim().toLowerCase();
  return ASSIGNMENT_PRESETS.find((p) => p.id === k || p.name.toLowerCase() === k) ?? null;
}

/** Epochs that give a run on `images` images about `iterations` iterations (at least 1, at most 1000). */
function epochsFor(iterations: number, images: number, batchSize: number): number {
  return Math.min(1000, Math.max(1, Math.round(iterations / iterationsOf(images, batchSize, 1).perEpoch)));
}

/**
 * A preset's settings on a training file of `trainCount` images: the defaults, its change, the iteration budget of
 * Simulation 2 for a subset, and the automatic evaluation interval. `small`: the quick settings (ASSIGNMENT_SMALL).
 */
export function presetConfig(preset: AssignmentPreset, trainCount: number, small = false): TrainConfig {
  const c: TrainConfig = { ...DEFAULT_TRAIN_CONFIG, ...preset.change };
  const reference: TrainConfig = { ...DEFAULT_TRAIN_CONFIG, ...ASSIGNMENT_PRESETS[1].change };
  if (small) {
    reference.perClass = ASSIGNMENT_SMALL.perClass;
    reference.epochs = ASSIGNMENT_SMALL.epochs;
    if (c.perClass === null) c.perClass = ASSIGNMENT_SMALL.perClass;
    if (preset.change.perClass === undefined) c.epochs = ASSIGNMENT_SMALL.epochs;
  }
  if (preset.change.perClass !== undefined && preset.change.perClass !== null) {
    const budget = iterationsOf(trainImagesOf(reference, trainCount), reference.batchSize, reference.epochs).total;
    c.epochs = epochsFor(budget, preset.change.perClass * 10, c.batchSize);
  }
  if (small) {
    const total = iterationsOf(trainImagesOf(c, trainCount), c.batchSize, c.epochs).total;
    c.evalEvery = Math.max(1, Math.ceil(total / ASSIGNMENT_SMALL.evaluations));
  } else if (c.epochs > AUTO_EVALS_TARGET) {
    // Many short epochs (10 images: one batch an epoch): one evaluation an epoch would be 1,000 passes over the test
    // set; about AUTO_EVALS_TARGET a run still draw the curve.
    const total = iterationsOf(trainImagesOf(c, trainCount), c.batchSize, c.epochs).total;
    c.evalEvery = roundToOneTwoFive(total / AUTO_EVALS_TARGET);
  } else {
    c.evalEvery = autoEvalEveryFor(c, trainCount);
  }
  return parseOrThrow(TrainConfigSchema, c, `assignment: ${preset.name}`);
}

export interface AssignmentPlan {
  name: string;
  configs: TrainConfig[];
  names: string[];
}

/** Every simulation, in the assignment's order. */
export function planAssignment(trainCount: number, small = false): AssignmentPlan {
  return {
    name: small ? `${ASSIGNMENT_NAME} (small settings)` : ASSIGNMENT_NAME,
    configs: ASSIGNMENT_PRESETS.map((p) => presetConfig(p, trainCount, small)),
    names: ASSIGNMENT_PRESETS.map((p) => p.name),
  };
}

/**
 * The assignment's caption, "Simulation 2; BS:32; LR:0.1; EPOCHS: 4; HL: 64.": the report style of trainCaption,
 * without the validation set when it is the default one every simulation shares (a different one is stated).
 */
export function assignmentCaption(name: string, config: TrainConfig): string {
  return trainCaption(config, name, { omitDefaultValidation: true });
}
