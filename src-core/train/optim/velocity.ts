import { checkPairs, zerosLike, type Optimizer } from './optimizer';

/**
 * An optimizer with a learning rate lr, a momentum factor d and one velocity array per parameter array (heavy-ball,
 * Nesterov): the checks, the state and the walk over the arrays; each rule's StepArray steps one array, adding every
 * updated parameter to the running sum (one sum over all arrays, in order: the finiteness probe of Optimizer.step).
 */
class VelocityOptimizer implements Optimizer {
  readonly lr: number;
  readonly d: number;
  private readonly vel: Float32Array[];

  constructor(
    private readonly name: string,
    params: readonly Float32Array[],
    lr: number,
    d: number,
    private readonly stepArray: StepArray,
  ) {
    if (!Number.isFinite(lr) || lr <= 0) throw new RangeError(`${name}: lr must be a finite number > 0, got ${lr}`);
    if (!Number.isFinite(d) || d < 0)
      throw new RangeError(`${name}: momentum d must be a finite number >= 0, got ${d}`);
    this.lr = lr;
    this.d = d;
    this.vel = zerosLike(params);
  }

  step(params: readonly Float32Array[], grads: readonly Float32Array[]): number {
    checkPairs(`${this.name}.step`, params, grads, this.vel);
    let sum = 0;
    for (let a = 0; a < params.length; a++)
      sum = this.stepArray(params[a], grads[a], this.vel[a], sum, this.lr, this.d);
    return sum;
  }
}

/** Steps parameters w with gradients g and velocity v in place (rate lr, momentum d); returns sum + every new w, in order. */
type StepArray = (w: Float32Array, g: Float32Array, v: Float32Array, sum: number, lr: number, d: number) => number;

/** The optimizer class of one velocity rule, constructed as new (params, lr, d); name is used in error messages. */
export function velocityOptimizer(name: string, stepArray: StepArray) {
  return class extends VelocityOptimizer {
    constructor(params: readonly Float32Array[], lr: number, d: number) {
      super(name, params, lr, d, stepArray);
    }
  };
}
