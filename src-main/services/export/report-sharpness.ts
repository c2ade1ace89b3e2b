import type { RunCurves } from '../../../src-core/contracts/session-types';
import { trainCaption } from '../../../src-core/contracts/train-config';
import { flipSeriesSentence } from '../../../src-core/train/sharpness/flip-series';
import { fmt, sharpnessSentence, stabilityThreshold } from '../../../src-core/train/sharpness/sentences';
import { SERIES_COLORS } from './export-chart';
import { runChartSvg } from './run-chart';

// The HTML report's sharpness figure of one run (issue 15): λ_max at the
// measured evaluations, the heavy-ball threshold 2(1+d)/lr as a dashed line
// where it applies, and a caption that carries the run's sharpness and flip
// sentences (the same generators as the app and the CLI). Null for a run
// that measured no sharpness.

export function sharpnessReportFigure(c: RunCurves): { svg: string; caption: string } | null {
  const measured = c.points
    .filter((p) => p.sharpness !== undefined)
    .map((p) => ({ iter: p.iter, sharpness: p.sharpness! }));
  if (measured.length === 0) return null;
  const cfg = c.run.config;
  const setting = { optimizer: cfg.optimizer, lr: cfg.lr, momentum: cfg.momentum };
  const t = stabilityThreshold(setting);
  const xs = measured.map((p) => p.iter);
  const xEnd = Math.max(c.run.itersDone, xs[xs.length - 1]);
  const svg = runChartSvg(c, 'sharpness', 'sharpness λ_max', [
    { label: 'sharpness λ_max', color: SERIES_COLORS[1], xs, ys: measured.map((p) => p.sharpness) },
    ...(t.value !== null
      ? [
          {
            label: `threshold ${t.label} = ${fmt(t.value)}`,
            color: SERIES_COLORS[3],
            xs: [0, xEnd],
            ys: [t.value, t.value],
            dashed: true,
          },
        ]
      : []),
  ]);
  const caption = `Sharpness (top eigenvalue of the training-loss Hessian). ${trainCaption(cfg, c.run.name)} ${sharpnessSentence(measured, setting)} ${flipSeriesSentence(c.points, setting)}`;
  return { svg, caption };
}
