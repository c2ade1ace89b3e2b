import type { RunCurves } from '../../src-core/contracts/session-types';
import { legendLabels } from '../../src-core/contracts/session-legend';

// Metrics as CSV (RFC 4180): one row per evaluation of every run, one column
// per metric and per setting. Numbers in JavaScript's shortest round-trip
// form; non-finite values as NaN, Infinity, -Infinity (pandas and R read them).

export const CSV_HEADER = [
  'run_id', 'run_name', 'label', 'status', 'lr', 'batch_size', 'hidden', 'epochs', 'momentum', 'optimizer', 'activation', 'loss', 'seed', 'per_class', 'validation',
  'iter', 'epoch', 'examples', 'train_loss', 'train_acc', 'test_loss', 'test_acc', 'val_loss', 'val_acc', 'elapsed_ms',
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
    const fixed = [run.id, run.name, labels[i], run.status, c.lr, c.batchSize, c.hidden, c.epochs, c.momentum, c.optimizer, c.activation, c.loss, c.seed, c.perClass, c.validation ?? 0];
    for (const p of points) {
      // val_loss / val_acc are empty for a run without a validation set.
      lines.push([...fixed, p.iter, p.epoch, p.examples, p.trainLoss, p.trainAcc, p.testLoss, p.testAcc, p.valLoss ?? null, p.valAcc ?? null, p.elapsedMs].map(cell).join(','));
    }
  });
  return { text: lines.join('\r\n') + '\r\n', rows: lines.length - 1 };
}
