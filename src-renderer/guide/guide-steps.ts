import type { AppViewId } from '../../src-core/contracts/app-command';
import { GUIDE_EXAMPLE as EX } from './momentum-demo';

// The first-run guide: four steps, each about one place in the lab.

export interface GuideStep {
  id: 'standard-run' | 'galleries' | 'momentum' | 'export';
  title: string;
  /** Paragraphs. */
  body: string[];
  /** The view this step is about ("Go there" switches to it). */
  view: AppViewId;
}

export const GUIDE_STEPS: readonly GuideStep[] = [
  {
    id: 'standard-run',
    title: 'Train the standard run',
    view: 'training',
    body: [
      'The Training view trains a one-hidden-layer network on MNIST. Start with the defaults, then try batch size 32, learning rate 0.1, 4 epochs and 64 hidden units.',
      'Train with the Train button or Ctrl/⌘+Enter; Escape cancels. Loss and accuracy for the training mini-batches and the full test set appear live.',
      'To see over-fitting, train on a small class-balanced subset ("Per class": 1 or 100 examples of each digit).',
    ],
  },
  {
    id: 'galleries',
    title: 'Look at the digits',
    view: 'training',
    body: [
      'Under the charts, the galleries show misclassified test digits (true and predicted label) and correctly classified ones.',
      'Open a digit to see it larger. Ask yourself which mistakes a person would also make.',
    ],
  },
  {
    id: 'momentum',
    title: 'Momentum, in one dimension',
    view: 'momentum',
    body: [
      `Heavy-ball momentum: v ← d·v − lr·∇f(x), x ← x + v. On f = x²/2 with lr = ${EX.lr} the iterate shrinks for d = ${EX.shrinks} and grows without bound for d = ${EX.grows}: d < 1 is necessary.`,
      'The Momentum view simulates this in 1-D and 2-D, with the theory (rates, critical damping) beside what it measures.',
    ],
  },
  {
    id: 'export',
    title: 'Compare and export',
    view: 'compare',
    body: [
      'Every run is saved in the current session. Sessions reopen where you left off; Compare puts several runs on one chart.',
      'Export Figure (Ctrl/⌘+E) saves the chart you are looking at with its caption, e.g. "Simulation 2; BS:32; LR:0.1; EPOCHS: 4; HL: 64."; Export Report writes them all.',
    ],
  },
];
