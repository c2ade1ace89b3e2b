import type { EnvelopeForm } from './envelope';
import { quadraticTheory, type QuadraticTheory, type Regime } from './quadratic';

/** Heavy-ball theory on a quadratic with Hessian eigenvalues lambda_1 <= ... : one 2x2 system per direction. */
export interface ConditionedTheory {
  /** One per curvature, ascending lambda. */
  directions: QuadraticTheory[];
  /** The rate is the largest of the directions' rho_i. */
  rho: number;
  /** Index of the direction that limits the rate (largest rho; on a tie the unstable one). */
  dominant: number;
  /** How the dominant direction is named: it limits the rate, it diverges, or every direction has the same rho. */
  dominantRole: 'limits' | 'diverging' | 'tie';
  regime: Regime;
  explanation: string;
  /** kappa = lambda_max / lambda_min. */
  kappa: number;
  /** Best constant setting (Polyak): lr = (2/(sqrt(l1) + sqrt(l2)))^2, d = ((sqrt(k) - 1)/(sqrt(k) + 1))^2, rho = (sqrt(k) - 1)/(sqrt(k) + 1). */
  optimal: { lr: number; d: number; rho: number };
  /** ||x_0 - x*||. */
  envelopeStart: number;
  /**
   * Exact envelope of ||x_t - x*|| aligned with the run's x (set by the
   * simulator from the start; see envelope.ts); null when not computed.
   */
  envelope: Float64Array | null;
  /** The envelope's closed form per direction (same order as directions). */
  envelopeForms: EnvelopeForm[];
}

/** Per-direction theory for curvatures lambdas; the run's rate is the max of the rates. */
export function conditionedTheory(
  lr: number,
  d: number,
  lambdas: readonly number[],
  envelopeStart: number,
): ConditionedTheory {
  if (lambdas.length === 0) throw new RangeError('need at least one curvature');
  if (!(envelopeStart >= 0)) throw new RangeError(`envelopeStart must be >= 0 (got ${envelopeStart})`);
  const sorted = [...lambdas].sort((a, b) => a - b);
  const directions = sorted.map((lambda) => quadraticTheory(lr, d, lambda));
  const TIE = 1e-12;
  let dominant = 0;
  for (let i = 1; i < directions.length; i++) {
    const a = directions[i];
    const b = directions[dominant];
    if (
      a.rho > b.rho * (1 + TIE) ||
      (a.rho >= b.rho * (1 - TIE) && a.regime === 'diverging' && b.regime !== 'diverging')
    )
      dominant = i;
  }
  const l1 = sorted[0];
  const l2 = sorted[sorted.length - 1];
  const kappa = l2 / l1;
  const sk = Math.sqrt(kappa);
  const optimal = {
    lr: (2 / (Math.sqrt(l1) + Math.sqrt(l2))) ** 2,
    d: ((sk - 1) / (sk + 1)) ** 2,
    rho: (sk - 1) / (sk + 1),
  };
  const dom = directions[dominant];
  const lam = (q: QuadraticTheory) => Number(q.lambda.toPrecision(4));
  const tie = directions.length > 1 && directions.every((q) => Math.abs(q.rho - dom.rho) <= TIE * dom.rho);
  const dominantRole: ConditionedTheory['dominantRole'] =
    dom.regime === 'diverging' ? 'diverging' : tie ? 'tie' : 'limits';
  let explanation = dom.explanation;
  if (directions.length > 1) {
    const allComplex = directions.every((q) => q.eigenvalues[0].im !== 0);
    if (dominantRole === 'diverging') {
      const n = directions.filter((q) => q.regime === 'diverging').length;
      explanation =
        n > 1
          ? `Both directions diverge; the faster, lambda = ${lam(dom)}: ${dom.explanation}`
          : `The diverging direction, lambda = ${lam(dom)}: ${dom.explanation}`;
    } else if (tie) {
      explanation =
        allComplex && dom.rho < 1
          ? `Both directions decay at rho = sqrt(d) = ${Number(dom.rho.toPrecision(4))} (complex roots in both: their modulus is sqrt(det M) = sqrt(d) whatever lambda is).`
          : `Both directions have rho = ${Number(dom.rho.toPrecision(4))}: ${dom.explanation}`;
    } else {
      explanation = `The direction that limits the rate, lambda = ${lam(dom)}: ${dom.explanation}`;
    }
  }
  return {
    directions,
    rho: dom.rho,
    dominant,
    dominantRole,
    regime: dom.regime,
    explanation,
    kappa,
    optimal,
    envelopeStart,
    envelope: null,
    envelopeForms: [],
  };
}
