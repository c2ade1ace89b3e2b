import type { EvalPoint } from '../contracts/train-protocol';
import { bestIndex, smooth, xsOf, type XAxis } from './compare-series';

// One run's curves as a comparison chart draws them (Compare, Studies and the figure builder share this): the x
// values, the raw and smoothed test, train and validation values of one metric, and the best point.

export interface MetricSeries {
  xs: number[];
  test: number[];
  train: number[];
  /** Null when the run has no validation set (or the caller leaves validation out). */
  val: number[] | null;
  testShown: number[];
  trainShown: number[];
  valShown: number[] | null;
  /** Index of the best point, -1 if none. */
  best: number;
  /** Chosen on the lowest validation loss where there is a validation set (the lab's stopping rule), else on test. */
  bestOn: 'validation' | 'test';
}

interface MetricSeriesOptions {
  axis: XAxis;
  metric: 'Loss' | 'Acc';
  /** Smoothing weight in [0, 1) (see `smooth`); 0 shows the raw values. */
  smoothing: number;
  /** Use the validation set where the run has one (default true). */
  validation?: boolean;
}

export function metricSeries(points: readonly EvalPoint[], o: MetricSeriesOptions): MetricSeries {
  const { metric, smoothing } = o;
  const test = points.map((p) => p[`test${metric}`]);
  const train = points.map((p) => p[`train${metric}`]);
  const hasVal =
    (o.validation ?? true) &&
    points.length > 0 &&
    points.every((p) => p.valLoss !== undefined && p.valAcc !== undefined);
  const val = hasVal ? points.map((p) => p[`val${metric}`] as number) : null;
  const best = hasVal
    ? bestIndex(
        points.map((p) => p.valLoss as number),
        false,
      )
    : bestIndex(test, metric === 'Acc');
  return {
    xs: xsOf(points, o.axis),
    test,
    train,
    val,
    testShown: smooth(test, smoothing),
    trainShown: smooth(train, smoothing),
    valShown: val ? smooth(val, smoothing) : null,
    best,
    bestOn: hasVal ? 'validation' : 'test',
  };
}
