import type { LayerName, LayerPoint } from '../../contracts/train-protocol';
import { fmt, quadraticLimits, type OptimizerSetting } from './sentences';

// The flip chart's numbers and its sentence, from what a run records at each
// evaluation (per layer: the fraction of sampled gradients that changed sign
// from one step to the next, and the median step over a plain gradient step,
// |Δw| / (lr |g|), over the steps since the previous evaluation).
//
// Quadratic theory of heavy-ball (v <- d v - lr g, w <- w + v), per weight:
// a gradient of constant sign and size gives a velocity ratio tending to
// 1/(1 - d) (accumulation), one that alternates every step 1/(1 + d)
// (cancellation). The sentence compares the run's medians with these two
// limits only for heavy-ball with 0 < d < 1, and says "as alternation
// predicts" only when the gradients do flip more often than not: a ratio near
// 1/(1 + d) with few flips is not explained by alternation.

/** One evaluation's flip statistics, as a curve point carries them. */
export interface FlipPoint {
  iter: number;
  layers?: readonly LayerPoint[] | null;
}

export interface LayerFlipSeries {
  layer: LayerName;
  /** Evaluations that carry a value for this layer (flip fraction or velocity ratio), in order. */
  iters: number[];
  flip: number[];
  ratio: number[];
}

/** Per layer, the recorded flip fractions and velocity ratios against iteration (NaN where one of them is missing). */
export function flipSeries(points: readonly FlipPoint[]): LayerFlipSeries[] {
  const out: LayerFlipSeries[] = [];
  for (const layer of ['fc1', 'fc2'] as const) {
    const s: LayerFlipSeries = { layer, iters: [], flip: [], ratio: [] };
    for (const p of points) {
      const l = p.layers?.find((x) => x.layer === layer);
      if (!l || (l.flipFraction === null && l.velocityRatio === null)) continue;
      s.iters.push(p.iter);
      s.flip.push(l.flipFraction ?? NaN);
      s.ratio.push(l.velocityRatio ?? NaN);
    }
    if (s.iters.length > 0) out.push(s);
  }
  return out;
}

/** Median of the finite values (mean of the two middle ones for an even count); null if none. */
export function medianOf(values: readonly number[]): number | null {
  const a = values.filter((v) => Number.isFinite(v)).sort((x, y) => x - y);
  if (a.length === 0) return null;
  const m = a.length >> 1;
  return a.length % 2 === 1 ? a[m] : 0.5 * (a[m - 1] + a[m]);
}

/** How a measured ratio stands against a predicted one: "near" within 25 % either way. */
export function nearness(measured: number, predicted: number): 'near' | 'below' | 'above' {
  const r = measured / predicted;
  return r >= 0.8 && r <= 1.25 ? 'near' : r < 1 ? 'below' : 'above';
}

const LAYER_WORDS: Record<LayerName, string> = { fc1: 'First layer', fc2: 'Second layer' };
/** A whole percentage in the lab's number format (src-core/format.ts): a no-break space before %. */
const pct = (x: number) => `${Math.round(x * 100)}\u00a0%`;
const times = (x: number) => `${fmt(x)}×`;
const iterText = (i: number) => i.toLocaleString('en-US');

/** One sentence for one layer's series, true for the numbers given. */
export function layerFlipSentence(s: LayerFlipSeries, setting: OptimizerSetting): string {
  const name = LAYER_WORDS[s.layer];
  const flip = medianOf(s.flip);
  const ratio = medianOf(s.ratio);
  const n = s.iters.length;
  const span =
    n === 1
      ? `the interval ending at iteration ${iterText(s.iters[0])}`
      : `${n} evaluation intervals up to iteration ${iterText(s.iters[n - 1])}`;
  if (flip === null && ratio === null) return `${name}: no gradient was recorded.`;
  const parts: string[] = [];
  if (flip !== null) {
    const finite = s.flip.filter(Number.isFinite);
    const lo = Math.min(...finite);
    const hi = Math.max(...finite);
    const range = finite.length > 1 && Math.round(lo * 100) !== Math.round(hi * 100) ? `, ${pct(lo)}–${pct(hi)}` : '';
    const coin = flip >= 0.4 && flip <= 0.6 ? ', about as often as random signs would (50\u00a0%)' : '';
    parts.push(
      `${pct(flip)} of the sampled gradients flip sign from one step to the next (median over ${span}${range})${coin}`,
    );
  }
  const heavy = setting.optimizer === 'heavy-ball';
  const d = setting.momentum;
  if (ratio !== null) {
    let tail = '';
    if (heavy && d > 0 && d < 1) {
      const lim = quadraticLimits(d);
      const alt = nearness(ratio, lim.alternating);
      const con = nearness(ratio, lim.constantSign);
      const limits = `alternation's 1/(1+d) = ${times(lim.alternating)}, a constant sign's 1/(1−d) = ${times(lim.constantSign)}`;
      if (alt === 'near' && flip !== null && flip > 0.5) tail = `, as alternation predicts (${limits})`;
      else if (alt === 'near')
        tail = `, near alternation's 1/(1+d) = ${times(lim.alternating)} although most gradients keep their sign (a constant sign's 1/(1−d) = ${times(lim.constantSign)})`;
      else if (con === 'near' && flip !== null && flip < 0.5)
        tail = `, as accumulation under a constant sign predicts (${limits})`;
      else if (con === 'near')
        tail = `, near a constant sign's 1/(1−d) = ${times(lim.constantSign)} although most gradients flip (alternation's 1/(1+d) = ${times(lim.alternating)})`;
      else if (alt === 'below') tail = `, below both of the quadratic theory's limits (${limits})`;
      else if (con === 'above') tail = `, above both of the quadratic theory's limits (${limits})`;
      else tail = `, between the quadratic theory's limits (${limits})`;
    }
    parts.push(`the median step is ${times(ratio)} a plain gradient step${tail}`);
  }
  let out = `${name}: ${parts.join('; ')}.`;
  if (!heavy)
    out += ` The limits 1/(1−d) and 1/(1+d) are heavy-ball's on a quadratic; they do not apply to ${setting.optimizer === 'adam' ? 'Adam' : 'Nesterov'}.`;
  else if (d === 0)
    out += ' With d = 0 every step is a plain step, so the ratio is 1 by construction (both limits are 1).';
  else if (d >= 1) out += ` With d = ${fmt(d)} >= 1 the quadratic theory has no limits to compare with.`;
  return out;
}

/** The flip chart's sentence: one per layer with data, or why there is none. */
export function flipSeriesSentence(points: readonly FlipPoint[], setting: OptimizerSetting): string {
  const series = flipSeries(points);
  if (series.length === 0) return 'No sign-flip statistics were recorded for this run.';
  return series.map((s) => layerFlipSentence(s, setting)).join(' ');
}
