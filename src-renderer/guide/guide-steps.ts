import type { AppViewId } from '../../src-core/contracts/app-command';
import { GUIDE_EXAMPLE as EX } from './momentum-demo';

// The first-run guide: four steps, each about one place in the lab.

export interface GuideStep {
  id: 'standard-run' | 'galleries' | 'momentum' | 'export';
  title: string;
  /** Paragraphs; $…$ marks a formula (math-text.ts typesets it). */
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
      "The Training view trains a one-hidden-layer network on MNIST. Its Assignment menu holds the assignment's simulations: pick one (Simulation 2 is BS 32, LR 0.1, 4 epochs, HL 64) to fill the form, then press Train.",
      'Train with the Train button or Ctrl/⌘+Enter; Escape cancels. Loss and accuracy for the training mini-batches and the full test set appear live.',
      '"Run all simulations" runs every one into a new session (Simulations 4 and 5 train on 10 and 1,000 images, where over-fitting shows), and "Assignment report (HTML)" writes every figure of the assignment with its caption.',
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
      `Heavy-ball momentum: $v ← d·v − lr·∇f(x)$, $x ← x + v$. On $f = x^2/2$ with $lr = ${EX.lr}$ the iterate shrinks for $d = ${EX.shrinks}$ and grows without bound for $d = ${EX.grows}$: $d < 1$ is necessary.`,
      "Why: the iteration's step matrix has determinant $d$, so its spectral radius $ρ$ is at least $√d$; for $d > 1$, $ρ ≥ √d > 1$ at every learning rate.",
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
