import type { RunCurves } from '../../../src-core/contracts/session-types';
import { legendLabels } from '../../../src-core/contracts/session-legend';

// Metrics as CSV (RFC 4180): one row per evaluation of every run, one column
// per metric and per setting. Numbers in JavaScript's shortest round-trip
// form; non-finite values as NaN, Infinity, -Infinity (pandas and R read them).

export const CSV_HEADER = [
  'run_id',
  'run_name',
  'label',
  'status',
  'lr',
  'batch_size',
  'hidden',
  'epochs',
  'momentum',
  'optimizer',
  'activation',
  'loss',
  'seed',
  'per_class',
  'validation',
  'iter',
  'epoch',
  'examples',
  'train_loss',
  'train_acc',
  'test_loss',
  'test_acc',
  'val_loss',
  'val_acc',
  'elapsed_ms',
  'sharpness_every',
  'sharpness_batch',
  'sharpness',
  'sharpness_min',
  'hvps',
  'fc1_flip',
  'fc1_velocity',
  'fc2_flip',
  'fc2_velocity',
] as const;

const cell = (v: string | number | null): string => {
  if (v === null) return '';
  // Text that a spreadsheet would run as a formula (a run named "=HYPERLINK(...)" in an imported
  // session) gets a leading apostrophe, as OWASP advises against CSV injection; numbers stay as they are.
  const s = typeof v === 'number' ? String(v) : /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function metricsCsv(curves: readonly RunCurves[]): { text: string; rows: number } {
  const labels = legendLabels(curves.map((c) => ({ name: c.run.name, config: c.run.config })));
  const lines = [CSV_HEADER.join(',')];
  curves.forEach(({ run, points }, i) => {
    const c = run.config;
    const fixed = [
      run.id,
      run.name,
      labels[i],
      run.status,
      c.lr,
      c.batchSize,
      c.hidden,
      c.epochs,
      c.momentum,
      c.optimizer,
      c.activation,
      c.loss,
      c.seed,
      c.perClass,
      c.validation ?? 0,
    ];
    for (const p of points) {
      // val_loss / val_acc are empty for a run without a validation set; sharpness, sharpness_min and hvps where it
      // was not measured (sharpness_min also when no negative eigenvalue was found); a layer's columns where not recorded.
      const layer = (name: 'fc1' | 'fc2') => p.layers?.find((l) => l.layer === name);
      const sharp = [
        c.sharpnessEvery ?? null,
        c.sharpnessEvery == null ? null : c.sharpnessBatch,
        p.sharpness ?? null,
        p.sharpnessMin ?? null,
        p.hvps ?? null,
      ];
      const flips = [
        layer('fc1')?.flipFraction ?? null,
        layer('fc1')?.velocityRatio ?? null,
        layer('fc2')?.flipFraction ?? null,
        layer('fc2')?.velocityRatio ?? null,
      ];
      lines.push(
        [
          ...fixed,
          p.iter,
          p.epoch,
          p.examples,
          p.trainLoss,
          p.trainAcc,
          p.testLoss,
          p.testAcc,
          p.valLoss ?? null,
          p.valAcc ?? null,
          p.elapsedMs,
          ...sharp,
          ...flips,
        ]
          .map(cell)
          .join(','),
      );
    }
  });
  return { text: lines.join('\r\n') + '\r\n', rows: lines.length - 1 };
}
