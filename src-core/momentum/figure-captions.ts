import { objectiveSpec, type ObjectiveName } from '../contracts/sim-config';
import { fmtInt, fmtNum } from '../format';

// The report-style captions of the Momentum view's figures, one function each,
// used by the view (the caption it shows and sends) and by the main process's
// figure builder (its default caption, e.g. for `momentum-lab figure --sim`),
// so both write the same words for the same settings.

interface SimSettings {
  objective: { name: ObjectiveName; params?: Record<string, number> };
  start: readonly number[];
  steps: number;
  runs: readonly { lr: number; d?: number }[];
}

const distinct = (vs: readonly number[]) => [...new Set(vs)];

/** "Momentum 1-D; quadratic λ=1; LR:0.1; d: 0.9, 0, 0.5; x0: 1; STEPS: 200." */
export function simCaption(title: string, req: SimSettings): string {
  const spec = objectiveSpec(req.objective.name);
  const params = req.objective.params ?? {};
  const ps = spec.params.map((p) => `${p.label}=${fmtNum(params[p.name] ?? p.default)}`).join(' ');
  const lr = distinct(req.runs.map((r) => r.lr))
    .map((v) => fmtNum(v))
    .join(' / ');
  const ds = req.runs.map((r) => fmtNum(r.d ?? 0)).join(', ');
  const start = req.start.map((v) => fmtNum(v)).join(',');
  return `${title}; ${spec.name}${ps ? ` ${ps}` : ''}; LR:${lr}; d: ${ds}; x0: ${start}; STEPS: ${req.steps}.`;
}

/** The title a simulation's caption starts with: "Momentum 1-D" or "Momentum 2-D". */
export function simTitle(dim: number): string {
  return dim === 1 ? 'Momentum 1-D' : 'Momentum 2-D';
}

/**
 * "Phase diagram; heavy-ball on λx²/2, x0 = 1, 500 steps." and, with a training run's path, what its points are:
 * "… Orange: the training run R, points 1–12 = (lr·λ_max, d) at its sharpness measurements (iterations 50–600)."
 */
export function phaseCaption(
  grid: { steps: number; hScale?: 'linear' | 'log' },
  path: { title: string; points: readonly { iter: number }[] } | null,
): string {
  const head = `Phase diagram; heavy-ball on λx²/2, x0 = 1, ${grid.steps} steps`;
  if (!path || path.points.length === 0) return `${head}.`;
  const iters = `${fmtInt(path.points[0].iter)}–${fmtInt(path.points.at(-1)!.iter)}`;
  return (
    `${head}${grid.hScale === 'log' ? '; h on a log axis' : ''}. Orange: the training run ${path.title}, ` +
    `points 1–${path.points.length} = (lr·λ_max, d) at its sharpness measurements (iterations ${iters}).`
  );
}
