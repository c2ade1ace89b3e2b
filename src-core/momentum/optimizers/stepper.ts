/**
 * One optimizer step on a 1-D or 2-D point. On entry pos holds x_t, vel holds
 * v_t and g holds grad f(x_t); on return pos holds x_{t+1} and vel holds
 * v_{t+1} = x_{t+1} - x_t (for every optimizer, so velocities compare).
 * g may be overwritten.
 */
export interface Stepper {
  step(pos: Float64Array, vel: Float64Array, g: Float64Array): void;
}
