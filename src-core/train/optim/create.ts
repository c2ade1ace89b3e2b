import { LabError } from '../../contracts/lab-error';
import type { TrainConfig } from '../../contracts/train-config';
import { Adam } from './adam';
import { HeavyBall } from './heavy-ball';
import { Nesterov } from './nesterov';
import type { Optimizer } from './optimizer';

/** The optimizer config.optimizer names, with lr = config.lr and d = config.momentum (Adam: beta1 = d, which must be < 1). */
export function createOptimizer(
  config: Pick<TrainConfig, 'optimizer' | 'lr' | 'momentum'>,
  params: readonly Float32Array[],
): Optimizer {
  switch (config.optimizer) {
    case 'heavy-ball':
      return new HeavyBall(params, config.lr, config.momentum);
    case 'nesterov':
      return new Nesterov(params, config.lr, config.momentum);
    case 'adam':
      if (config.momentum >= 1)
        throw new LabError(
          'invalid-input',
          `momentum: Adam uses the momentum factor as beta1, which must be < 1 (got ${config.momentum})`,
        );
      return new Adam(params, config.lr, config.momentum);
    default:
      throw new LabError('invalid-input', `optimizer: unknown optimizer ${String(config.optimizer)}`);
  }
}
