import type { RunCurves } from '../../../src-core/contracts/session-types';
import { lineChartSvg, type ChartSeries, type ChartSpec } from './export-chart';

/**
 * One of a run's own figures in the HTML report (loss, accuracy, sharpness): a 520 x 240 chart over the run's
 * iterations, its id "run-<id>-<what>", its caption under it (the report's figure); `y` fixes the y range or reads y
 * as a fraction shown in percent (accuracy).
 */
export function runChartSvg(
  c: RunCurves,
  what: string,
  yLabel: string,
  series: ChartSeries[],
  y: Pick<ChartSpec, 'yDomain' | 'percent'> = {},
): string {
  return lineChartSvg({
    id: `run-${c.run.id}-${what}`,
    width: 520,
    height: 240,
    xLabel: 'iteration',
    yLabel,
    caption: '',
    series,
    ...y,
  });
}
