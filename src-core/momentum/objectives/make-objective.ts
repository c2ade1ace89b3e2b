import type { ObjectiveRef } from '../../contracts/sim-config';
import type { Objective } from '../types';
import { doubleWell1d, linear1d, logCosh1d, plateau1d, quadratic1d } from './one-d';
import { booth, himmelblau, quadratic2d, rosenbrock, saddle } from './two-d';

/** The objective a validated reference names, with its parameters (defaults already filled in). */
export function makeObjective(ref: ObjectiveRef): Objective {
  const q = ref.params;
  switch (ref.name) {
    case 'quadratic':
      return quadratic1d(q.lambda);
    case 'linear':
      return linear1d(q.g);
    case 'log-cosh':
      return logCosh1d(q.s);
    case 'double-well':
      return doubleWell1d(q.a, q.c);
    case 'plateau':
      return plateau1d(q.w, q.slope);
    case 'quadratic-2d':
      return quadratic2d(q.lambda1, q.lambda2, q.angle);
    case 'rosenbrock':
      return rosenbrock(q.a, q.b);
    case 'saddle':
      return saddle(q.a, q.b);
    case 'himmelblau':
      return himmelblau();
    case 'booth':
      return booth();
  }
}
