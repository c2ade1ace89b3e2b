import type { StudyKind } from '../contracts/api-studies';
import { parseDecimal } from '../contracts/parse-decimal';

// The built-in studies: the question each answers, the setting it varies,
// its default values and what "common random numbers" means for it.

export interface StudyDef {
  kind: StudyKind;
  title: string;
  /** The question as a student asks it. */
  question: string;
  /** The varied setting, as in captions ("LR", "BS", …). */
  label: string;
  defaults: (number | null)[];
  /** What stays identical between the runs (init, batch order), and what cannot. */
  crn: string;
}

export const STUDIES: readonly StudyDef[] = [
  {
    kind: 'lr',
    title: 'Learning rate',
    question: 'What does a learning rate of 1 do compared with 0.1 and 0.01?',
    label: 'LR',
    defaults: [0.01, 0.1, 1],
    crn: 'Every run starts from the same initial weights and sees the same mini-batches in the same order: only the learning rate differs.',
  },
  {
    kind: 'batchSize',
    title: 'Batch size',
    question: 'How do small and large mini-batches differ, per iteration and per example seen?',
    label: 'BS',
    defaults: [8, 32, 128, 512],
    crn: 'Same initial weights and the same shuffled order of examples in every epoch; a different batch size necessarily cuts that order into different mini-batches (and takes a different number of steps per epoch). Compare on "examples seen" as well as on iterations.',
  },
  {
    kind: 'hidden',
    title: 'Hidden size',
    question: 'Does a wider hidden layer learn faster or generalise better?',
    label: 'HL',
    defaults: [16, 32, 64, 128],
    crn: "Same batch order in every run. The initial weights cannot be identical (the layers have different shapes); each is drawn from the same seeded stream with PyTorch's default init.",
  },
  {
    kind: 'trainSize',
    title: 'Training-set size',
    question:
      'What happens with 10 examples instead of 60,000? Where does over-fitting start, and where should training have stopped?',
    label: 'N',
    defaults: [1, 100, null],
    crn: 'Same initial weights. A different training set necessarily means different mini-batches. Every run gets about the same number of iterations (a small set is passed over many times), so the curves line up on the iteration axis.',
  },
  {
    kind: 'momentum',
    title: 'Momentum',
    question: 'Does momentum help on MNIST, and why does d > 1 fail?',
    label: 'd',
    defaults: [0, 0.5, 0.9, 0.99, 1.05],
    crn: 'Every run starts from the same initial weights and sees the same mini-batches in the same order: only d (and, when scaled, the learning rate) differs.',
  },
  {
    kind: 'edgeOfStability',
    title: 'Edge of stability',
    question: "Does the network's sharpness rise to the quadratic theory's threshold 2(1 + d)/lr, and stay there?",
    label: 'LR',
    defaults: [0.02, 0.05, 0.1, 0.2],
    crn: 'Every run starts from the same initial weights and sees the same mini-batches in the same order. Each LR runs at d = 0 and again at d = 0.9 with the LR scaled by (1 − d); sharpness is measured at every evaluation.',
  },
];

/** Edge-of-stability study: the momentum values every LR is run at (the LR scaled by 1 − d). */
export const EOS_MOMENTA = [0, 0.9] as const;

export function studyDef(kind: StudyKind): StudyDef {
  const def = STUDIES.find((s) => s.kind === kind);
  if (!def) throw new RangeError(`studyDef: unknown study kind ${kind}`);
  return def;
}

/** "1, 100, all" */
export function formatValues(values: readonly (number | null)[]): string {
  return values.map((v) => (v === null ? 'all' : String(v))).join(', ');
}

/** Parse "0.01, 0.1, 1" (and "all" for the training-set size); throws RangeError naming the bad entry. */
export function parseValues(text: string, allowAll: boolean): (number | null)[] {
  const parts = text.split(/[,\s;]+/).filter((p) => p.length > 0);
  if (parts.length === 0) throw new RangeError('enter at least one value');
  return parts.map((p) => {
    if (allowAll && p.toLowerCase() === 'all') return null;
    const r = parseDecimal(p);
    if (!r.ok) throw new RangeError(`${r.reason}${allowAll ? ' (or "all")' : ''}`);
    return r.value;
  });
}
