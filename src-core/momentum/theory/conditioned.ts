import { quadraticTheory, type QuadraticTheory, type Regime } from './quadratic';

/** Heavy-ball theory on a quadratic with Hessian eigenvalues lambda_1 <= ... : one 2x2 system per direction. */
export interface ConditionedTheory {
  /** One per curvature, ascending lambda. */
  directions: QuadraticTheory[];
  /** The rate is the slowest direction's: max over directions of rho_i. */
  rho: number;
  /** Index of the direction with the largest rho. */
  dominant: number;
  regime: Regime;
  explanation: string;
  /** kappa = lambda_max / lambda_min. */
  kappa: number;
  /** Best constant setting (Polyak): lr = (2/(sqrt(l1) + sqrt(l2)))^2, d = ((sqrt(k) - 1)/(sqrt(k) + 1))^2, rho = (sqrt(k) - 1)/(sqrt(k) + 1). */
  optimal: { lr: number; d: number; rho: number };
  /** ||x_0 - x*||: the predicted envelope is envelopeStart * rho^t. */
  envelopeStart: number;
}

/** Per-direction theory for curvatures lambdas; the run's rate is the max of the rates. */
export function conditionedTheory(lr: number, d: number, lambdas: readonly number[], envelopeStart: number): ConditionedTheory {
  if (lambdas.length === 0) throw new RangeError('need at least one curvature');
  if (!(envelopeStart >= 0)) throw new RangeError(`envelopeStart must be >= 0 (got ${envelopeStart})`);
  const sorted = [...lambdas].sort((a, b) => a - b);
  const directions = sorted.map((lambda) => quadraticTheory(lr, d, lambda));
  let dominant = 0;
  for (let i = 1; i < directions.length; i++) if (directions[i].rho > directions[dominant].rho) dominant = i;
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
  const explanation = directions.length > 1
    ? `Slowest direction lambda = ${Number(dom.lambda.toPrecision(4))}: ${dom.explanation}`
    : dom.explanation;
  return { directions, rho: dom.rho, dominant, regime: dom.regime, explanation, kappa, optimal, envelopeStart };
}
