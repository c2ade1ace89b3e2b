// The train command's human-readable output: the progress lines on stderr, the ETA, and the last line that says
// how the run ended and with what result. Pure (no I/O), so the rules can be tested without a run.
import type { EndStatus, EvalPoint } from '../../src-core/contracts/train-protocol';
import { grouped } from '../../src-core/grouped';

/** An ETA is printed only once the pace was measured over at least this much training time ... */
export const ETA_MIN_MS = 300;
/** ... and this many iterations, counted from the first batch message (which carries the start-up cost). */
export const ETA_MIN_ITERS = 50;

/**
 * The remaining time of a run, from its pace since the first batch message. The first iteration includes the
 * worker's start (loading the data, compiling the kernels), so a pace measured from iteration 0 says "28 minutes"
 * for a 3-second run; measured from the first message on, over at least ETA_MIN_MS and ETA_MIN_ITERS, it does not.
 */
export class EtaEstimator {
  private ref: { iter: number; ms: number } | null = null;

  /** Seconds left, or null while the pace is not measured yet. */
  update(iter: number, elapsedMs: number, totalIters: number): number | null {
    if (this.ref === null) {
      this.ref = { iter, ms: elapsedMs };
      return null;
    }
    const di = iter - this.ref.iter;
    const dt = elapsedMs - this.ref.ms;
    if (di < ETA_MIN_ITERS || dt < ETA_MIN_MS || totalIters <= 0) return null;
    return (Math.max(0, totalIters - iter) * (dt / di)) / 1000;
  }
}

/**
 * Seconds in one rule, whatever the value: below a minute (as rounded to tenths) with one decimal, "0.4 s",
 * "17.0 s", "59.9 s"; from there minutes and whole seconds, "1m00s", "3m07s". (A run that takes 17 s on a busy
 * machine prints "17.0 s" as a quiet one prints "2.6 s".)
 */
export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  const tenths = s.toFixed(1);
  if (Number(tenths) < 60) return `${tenths} s`;
  const whole = Math.round(s);
  return `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, '0')}s`;
}

function pct(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return String(v);
  return `${(v * 100).toFixed(2)} %`;
}

/** A test loss: three decimals below 10 ("0.094"), one below 10,000, then in exponent notation ("2.28e5"). */
export function formatLoss(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Math.abs(v) < 10) return v.toFixed(3);
  if (Math.abs(v) < 1e4) return v.toFixed(1);
  return v.toExponential(2).replace('e+', 'e');
}

/** One progress line: epoch, iteration, the last mini-batch loss, the last evaluation, and the ETA once measured. */
export function progressLine(p: {
  epoch: number;
  epochs: number;
  iter: number;
  totalIters: number;
  loss: number;
  last: EvalPoint | null;
  etaSeconds: number | null;
}): string {
  const val = p.last?.valAcc !== undefined ? ` val acc ${pct(p.last.valAcc)}` : '';
  const test = p.last ? `${val} test acc ${pct(p.last.testAcc)}` : '';
  const eta = p.etaSeconds === null ? '' : ` ETA ${formatSeconds(p.etaSeconds)}`;
  return `epoch ${p.epoch.toFixed(2)}/${p.epochs} iter ${grouped(p.iter)}/${grouped(p.totalIters)} loss ${p.loss.toFixed(4)}${test}${eta}`;
}

/**
 * The last line of the output: how the run ended and its result, e.g.
 * "finished 7,500 iterations in 2.6 s: test accuracy 97.14 %, loss 0.094".
 * `last` is the run's last evaluation (null when it had none); `message` is the trainer's own reason.
 */
export function resultLine(p: {
  status: EndStatus;
  iter: number;
  totalIters: number;
  elapsedMs: number;
  last: EvalPoint | null;
  message: string;
}): string {
  const secs = formatSeconds(p.elapsedMs / 1000);
  const result = p.last
    ? `test accuracy ${pct(p.last.testAcc)}, loss ${formatLoss(p.last.testLoss)} (at iteration ${grouped(p.last.iter)})`
    : 'no evaluation was made';
  const of = p.totalIters > 0 ? ` of ${grouped(p.totalIters)}` : '';
  switch (p.status) {
    case 'finished': {
      const head = `finished ${grouped(p.iter)} iterations in ${secs}`;
      // Early stopping says where it stopped and whose weights it restored.
      const note = p.message === `finished ${p.iter} iterations` || p.message === '' ? '' : ` (${p.message})`;
      return p.last && p.last.iter === p.iter && note === ''
        ? `${head}: test accuracy ${pct(p.last.testAcc)}, loss ${formatLoss(p.last.testLoss)}`
        : `${head}${note}: ${result}`;
    }
    case 'cancelled':
      return `cancelled after ${grouped(p.iter)}${of} iterations in ${secs}; last evaluation: ${result}`;
    case 'collapsed':
      return `collapsed after ${grouped(p.iter)}${of} iterations in ${secs}: ${p.message}; last evaluation: ${result}`;
    case 'diverged':
      // The trainer's message names the iteration and the reason: "diverged at iteration 12: loss is Infinity".
      return `${p.message.startsWith('diverged') ? p.message : `diverged: ${p.message}`} (after ${secs}); last evaluation: ${result}`;
    default:
      return `${p.status} after ${grouped(p.iter)}${of} iterations in ${secs}: ${p.message}`;
  }
}
