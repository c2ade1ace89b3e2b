import { fmtPct } from '../../format';
import type { OptimizerKind } from '../../contracts/train-config';
import type { LayerFlipStats } from './flip-stats';

// The sentences under the sharpness and flip charts. Each states what the
// numbers of the run show and compares them with the quadratic theory only
// where that theory is about the optimizer used (heavy-ball, d < 1).
//
// Quadratic theory (docs/STUDIES.md, "Sharpness and the edge of stability"):
// on f = λ x²/2, heavy-ball's iteration has characteristic polynomial
// z² − (1 + d − lr·λ) z + d, stable iff 0 < lr·λ < 2(1 + d) for 0 <= d < 1;
// the velocity over a plain step tends to 1/(1 − d) under a constant gradient
// and to 1/(1 + d) under an alternating one.

export interface OptimizerSetting {
  optimizer: OptimizerKind;
  lr: number;
  /** d (Adam: beta1). */
  momentum: number;
}

export interface SharpnessPoint {
  iter: number;
  sharpness: number;
}

/** Share of the threshold within which sharpness counts as "at" it. */
export const EDGE_BAND = 0.1;

const NAMES: Record<OptimizerKind, string> = { 'heavy-ball': 'heavy-ball', nesterov: 'Nesterov', adam: 'Adam' };

/** The heavy-ball stability threshold 2(1 + d)/lr on λ, or null with the reason it does not exist or apply. */
export function stabilityThreshold(
  s: OptimizerSetting,
): { value: number; label: string } | { value: null; reason: string } {
  if (!(s.lr > 0) || !Number.isFinite(s.lr))
    throw new RangeError(`stabilityThreshold: lr must be a finite number > 0, got ${s.lr}`);
  if (s.optimizer !== 'heavy-ball') {
    return {
      value: null,
      reason: `the threshold 2(1+d)/lr is heavy-ball's and does not apply to ${NAMES[s.optimizer]}: the lab has no stability theory for it`,
    };
  }
  if (!(s.momentum >= 0 && s.momentum < 1)) {
    return {
      value: null,
      reason: `with d = ${fmt(s.momentum)} >= 1 heavy-ball is unstable on every quadratic, so there is no threshold`,
    };
  }
  return { value: (2 * (1 + s.momentum)) / s.lr, label: s.momentum === 0 ? '2/lr' : '2(1+d)/lr' };
}

/** The quadratic theory's velocity ratios |v| / (lr |g|) of heavy-ball: constant sign 1/(1 − d) (Infinity for d >= 1), alternation 1/(1 + d). */
export function quadraticLimits(d: number): { constantSign: number; alternating: number } {
  if (!(d >= 0) || !Number.isFinite(d))
    throw new RangeError(`quadraticLimits: d must be a finite number >= 0, got ${d}`);
  return { constantSign: d < 1 ? 1 / (1 - d) : Infinity, alternating: 1 / (1 + d) };
}

/** Three significant digits, thousands separated: 19.6, 0.532, 2,400. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const r = Number(x.toPrecision(3));
  return r.toLocaleString('en-US', { maximumFractionDigits: 20 });
}

const iterText = (i: number) => i.toLocaleString('en-US');
const pct = (x: number) => fmtPct(x, 0);

/** One true sentence about a run's sharpness series against its stability threshold. */
export function sharpnessSentence(points: readonly SharpnessPoint[], s: OptimizerSetting): string {
  const P = points.filter((p) => Number.isFinite(p.sharpness));
  const skipped = points.length - P.length;
  const note = skipped > 0 ? ` (${skipped} measurement${skipped === 1 ? '' : 's'} not finite, left out)` : '';
  if (P.length === 0) return `No sharpness was measured${note}.`;
  const first = P[0];
  const last = P[P.length - 1];
  let head: string;
  if (P.length === 1) head = `Sharpness was ${fmt(first.sharpness)} at iteration ${iterText(first.iter)}`;
  else if (last.sharpness > first.sharpness * 1.1)
    head = `Sharpness rose from ${fmt(first.sharpness)} to ${fmt(last.sharpness)}`;
  else if (last.sharpness < first.sharpness / 1.1)
    head = `Sharpness fell from ${fmt(first.sharpness)} to ${fmt(last.sharpness)}`;
  else head = `Sharpness went from ${fmt(first.sharpness)} to ${fmt(last.sharpness)}`;
  const t = stabilityThreshold(s);
  if (t.value === null) return `${head}${note}; ${t.reason}.`;
  const T = t.value;
  const named = `${t.label} = ${fmt(T)}`;
  const within = (x: number) => Math.abs(x - T) <= EDGE_BAND * T;
  let since = P.length;
  while (since > 0 && within(P[since - 1].sharpness)) since--;
  let peak = P[0];
  for (const p of P) if (p.sharpness > peak.sharpness) peak = p;
  const band = `within ${pct(EDGE_BAND)} of ${named}`;
  if (since < P.length) {
    if (since === P.length - 1 && P.length > 1)
      return `${head}${note} and is ${band} at the last measurement (iteration ${iterText(last.iter)}).`;
    if (since === 0 && P.length > 1)
      return `${head}${note} and has stayed ${band} at every measurement since iteration ${iterText(P[0].iter)}.`;
    if (P.length === 1) return `${head}${note}, ${band}.`;
    return `${head}${note} and has stayed ${band} since iteration ${iterText(P[since].iter)}.`;
  }
  if (peak.sharpness < (1 - EDGE_BAND) * T) {
    return `${head}${note} and stayed below the threshold ${named} (at most ${fmt(peak.sharpness)}, ${pct(peak.sharpness / T)} of it, at iteration ${iterText(peak.iter)}).`;
  }
  if (last.sharpness > (1 + EDGE_BAND) * T) {
    return `${head}${note} and ended above the threshold ${named} (${fmt(last.sharpness / T)}× it at iteration ${iterText(last.iter)}).`;
  }
  return `${head}${note}; it reached ${fmt(peak.sharpness)} (${pct(peak.sharpness / T)} of ${named}) at iteration ${iterText(peak.iter)} and ended below the threshold.`;
}

const LAYER_NAMES: Record<string, string> = { fc1: 'first-layer', fc2: 'second-layer' };

/** How a measured velocity ratio compares with a predicted one: "near" within 25 %, else "below" / "above". */
function against(measured: number, predicted: number): 'near' | 'below' | 'above' {
  if (!Number.isFinite(predicted)) return 'below';
  const r = measured / predicted;
  return r >= 0.8 && r <= 1.25 ? 'near' : r < 1 ? 'below' : 'above';
}

/** One true sentence about a layer's sign flips and velocity ratios over an interval. */
export function flipSentence(stats: LayerFlipStats, s: OptimizerSetting): string {
  const name = LAYER_NAMES[stats.layer] ?? stats.layer;
  if (stats.flipFraction === null)
    return `No ${name} gradient pairs were recorded (${stats.steps} step${stats.steps === 1 ? '' : 's'}).`;
  const parts = [`${pct(stats.flipFraction)} of ${name} gradients flip sign from one step to the next`];
  const heavy = s.optimizer === 'heavy-ball' && s.momentum < 1;
  const lim = quadraticLimits(s.momentum);
  const x = (v: number) => `${fmt(v)}×`;
  if (stats.flippedVelocityRatio !== null) {
    const m = stats.flippedVelocityRatio;
    parts.push(
      heavy && s.momentum > 0
        ? `their velocity is ${x(m)} a plain step, ${against(m, lim.alternating)} alternation's 1/(1+d) = ${x(lim.alternating)}`
        : `their velocity is ${x(m)} a plain step`,
    );
  }
  if (stats.steadyFraction !== null) {
    const m = stats.steadyVelocityRatio;
    const tail =
      m === null
        ? ''
        : heavy && s.momentum > 0
          ? ` move ${x(m)} a plain step (a constant sign gives 1/(1−d) = ${x(lim.constantSign)})`
          : ` move ${x(m)} a plain step`;
    parts.push(
      `the ${pct(stats.steadyFraction)} of weights that kept their sign at every step since the last evaluation${tail}`,
    );
  }
  let sentence = parts.join('; ') + '.';
  if (!heavy) {
    sentence +=
      s.optimizer === 'heavy-ball'
        ? ` With d = ${fmt(s.momentum)} >= 1 the quadratic theory has no limits to compare with.`
        : ` The limits 1/(1−d) and 1/(1+d) are heavy-ball's on a quadratic; they do not apply to ${NAMES[s.optimizer]}.`;
  } else if (s.momentum === 0) {
    sentence += ' With d = 0 every step is a plain step (both limits are 1).';
  }
  return sentence;
}
