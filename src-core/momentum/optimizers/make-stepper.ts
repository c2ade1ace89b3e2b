import type { SimOptimizer } from '../../contracts/sim-config';
import { LabError } from '../../contracts/lab-error';
import type { Objective } from '../types';
import { adamStepper } from './adam';
import { gdStepper } from './gd';
import { heavyBallStepper } from './heavy-ball';
import { nesterovStepper } from './nesterov';
import type { Stepper } from './stepper';

/** A fresh stepper (with its own state) for one run. */
export function makeStepper(opt: SimOptimizer, objective: Objective): Stepper {
  switch (opt.kind) {
    case 'gd':
      return gdStepper(objective.dim, opt.lr);
    case 'heavy-ball':
      return heavyBallStepper(objective.dim, opt.lr, opt.d);
    case 'nesterov':
      return nesterovStepper(objective, opt.lr, opt.d);
    case 'adam':
      if (opt.d >= 1) throw new LabError('invalid-input', `adam needs d (beta1) < 1 (got ${opt.d})`);
      return adamStepper(objective.dim, opt.lr, opt.d, opt.beta2, opt.eps);
  }
}
