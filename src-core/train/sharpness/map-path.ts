import type { OptimizerKind } from '../../contracts/train-config';

// A training run on the momentum map: the points (h, d) = (lr·λ_max, d), one
// per sharpness measurement, numbered in order. The map is heavy-ball's phase
// diagram on a quadratic (src-core/momentum/phase-diagram.ts), so the path is
// drawn for heavy-ball runs only; on it, the run's top eigen-direction is a
// quadratic with curvature λ_max, stable while h < 2(1 + d).

export interface MapPathPoint {
  /** 1, 2, … in measurement order. */
  n: number;
  iter: number;
  h: number;
  d: number;
}

export interface MapPath {
  title: string;
  lr: number;
  d: number;
  points: MapPathPoint[];
  /** Measurements left out (not finite). */
  skipped: number;
}

/** How the map names a run: its learning rate, momentum, batch size, hidden size and (a subset) image count. */
export function mapPathTitle(c: {
  lr: number;
  momentum: number;
  batchSize: number;
  hidden: number;
  perClass: number | null;
}): string {
  return `LR ${c.lr}, d ${c.momentum}, BS ${c.batchSize}, HL ${c.hidden}${c.perClass !== null ? `, ${c.perClass * 10} images` : ''}`;
}

/** The run's path on the momentum map, or the reason it has none. */
export function momentumMapPath(
  measured: readonly { iter: number; sharpness: number }[],
  s: { optimizer: OptimizerKind; lr: number; momentum: number },
  title: string,
): { path: MapPath } | { reason: string } {
  if (s.optimizer !== 'heavy-ball')
    return {
      reason: `the momentum map is heavy-ball's; this run used ${s.optimizer === 'adam' ? 'Adam' : 'Nesterov'}`,
    };
  if (!(s.lr > 0)) return { reason: 'the run has no positive learning rate' };
  const finite = measured.filter((p) => Number.isFinite(p.sharpness));
  if (finite.length === 0) return { reason: 'no sharpness was measured yet' };
  const points = finite.map((p, i) => ({ n: i + 1, iter: p.iter, h: s.lr * p.sharpness, d: s.momentum }));
  return { path: { title, lr: s.lr, d: s.momentum, points, skipped: measured.length - finite.length } };
}

/** Where the path sits against the heavy-ball stability boundary h = 2(1 + d) (d < 1), as one sentence. */
export function mapPathSentence(path: MapPath): string {
  const { points, d } = path;
  const last = points[points.length - 1];
  const maxP = points.reduce((a, b) => (b.h > a.h ? b : a));
  const f = (x: number) => Number(x.toPrecision(3)).toLocaleString('en-US');
  const head = `${points.length} measurement${points.length === 1 ? '' : 's'}: h = lr·λ_max from ${f(points[0].h)} to ${f(last.h)} (largest ${f(maxP.h)}, point ${maxP.n})`;
  if (!(d >= 0 && d < 1)) return `${head}; with d = ${f(d)} >= 1 no point of the row is stable on a quadratic.`;
  const edge = 2 * (1 + d);
  const over = points.filter((p) => p.h >= edge).length;
  if (over === 0)
    return `${head}; every point lies inside the region where a quadratic converges (h < 2(1+d) = ${f(edge)}), the largest at ${Math.round((100 * maxP.h) / edge)} % of it.`;
  return `${head}; ${over} of ${points.length} lie on or beyond the stability boundary h = 2(1+d) = ${f(edge)}, where a quadratic would diverge.`;
}
