import type { EvalPoint } from '../../src-core/contracts/train-protocol';
import type { EvalLine } from './EvalLossChart.svelte';

/** What every evaluation chart panel of a run's analysis is given. */
export interface EvalPanelProps {
  points: EvalPoint[];
  figure: string;
  caption: string;
  /** How the train numbers were measured (config.trainLossMode). */
  trainMode?: 'running' | 'full';
}

// The test and train loss lines that the evaluation charts (early stopping,
// the gap) draw beside their own line, in one style: test thin and solid in
// --series-1, train thin and dashed in --series-0, its label saying how the
// train numbers were measured.

export function evalLossLines(
  points: readonly EvalPoint[],
  trainMode: 'running' | 'full',
  opts: { test: string; train: string; opacity: number },
): EvalLine[] {
  const how = trainMode === 'full' ? 'full pass' : 'running mean';
  return [
    {
      id: 'train',
      label: `${opts.train} (${how})`,
      ys: points.map((p) => p.trainLoss),
      color: 'var(--series-0)',
      width: 1.2,
      dash: '5 3',
      opacity: opts.opacity,
    },
    {
      id: 'test',
      label: opts.test,
      ys: points.map((p) => p.testLoss),
      color: 'var(--series-1)',
      width: 1.2,
      opacity: opts.opacity,
    },
  ];
}
