import type { Objective } from '../../../src-core/momentum/types';
import { localCurvatures } from '../../../src-core/momentum/theory/local-curvature';
import { fmtNum } from '../../lib/format';

// Where the phase-diagram marker goes for the current objective. A quadratic
// has one Hessian everywhere; any other objective is placed with its local
// curvature (the Hessian's eigenvalues) at a point the user picks: the
// minimum, the start, or the highlighted run's point now. Only a positive
// eigenvalue has a place on the map (it pulls the iterate back like
// lambda*x^2/2); a negative one gets no marker and a sentence why.

export type CurvaturePoint = 'minimum' | 'start' | 'now';

export interface CurvatureMarker {
  /** Positive curvatures, ascending: one marker each at h = lr*lambda. */
  lambdas: number[];
  /** The curvature that converts a click's h into lr (the stiffest positive one); null: a click sets d only. */
  lambdaRef: number | null;
  /** Which point: "everywhere (constant Hessian)", "at the minimum (1, 1)", "at the start (…)", "now (step 40: …)". */
  where: string;
  /** One or two sentences: where the markers are and why any is missing. */
  sentence: string;
}

const pt = (p: number[]) => `(${p.map((v) => fmtNum(v, 3)).join(', ')})`;

export function curvatureMarker(
  objective: Objective,
  choice: CurvaturePoint,
  lr: number,
  start: number[],
  now: { t: number; point: number[] } | null,
  hRange: [number, number],
): CurvatureMarker {
  const [hMin, hMax] = hRange;
  let where: string;
  let lams: number[];
  let note = '';
  if (objective.curvatures) {
    lams = [...objective.curvatures];
    where = 'everywhere (constant Hessian)';
  } else {
    let p = start;
    where = `at the start ${pt(start)}`;
    if (choice === 'minimum') {
      if (objective.minimizer) {
        p = objective.minimizer;
        where = `at the minimum ${pt(p)}`;
      } else note = 'This objective has no single known minimum, so the start is used. ';
    } else if (choice === 'now' && now) {
      p = now.point;
      where = `now (step ${now.t}, at ${pt(p)})`;
    }
    lams = localCurvatures(objective, p[0], p[1] ?? 0);
  }
  const name = objective.dim === 1 ? 'f″' : 'the Hessian’s eigenvalues';
  const pos = lams.filter((l) => l > 0);
  const nonPos = lams.filter((l) => !(l > 0));
  const hs = pos.map((l) => lr * l);
  let sentence = `${note}Marker from ${name} ${where}: ${lams.map((l) => `λ = ${fmtNum(l)}`).join(', ')}`;
  if (pos.length) sentence += `, so lr = ${fmtNum(lr)} sits at h = ${hs.map((h) => fmtNum(h)).join(' and ')}.`;
  else sentence += '.';
  const outside = hs.filter((h) => h > hMax || h < hMin);
  if (outside.length)
    sentence += ` h = ${outside.map((h) => fmtNum(h)).join(', ')} is outside the map (${fmtNum(hMin)} ≤ h ≤ ${fmtNum(hMax)}): no marker there.`;
  if (nonPos.length) {
    sentence += nonPos.some((l) => l < 0)
      ? ` A curvature ${nonPos.map((l) => fmtNum(l)).join(', ')} < 0 has no place on this map: there f curves down, the iterate is pushed away instead of pulled back, and no (h, d) describes it.`
      : ' A zero curvature has no place on this map: nothing pulls the iterate back there (a constant slope; see the constant-gradient panel).';
  }
  if (!pos.length) sentence += ' A click on the map sets d only.';
  return { lambdas: pos, lambdaRef: pos.length ? pos[pos.length - 1] : null, where, sentence };
}
