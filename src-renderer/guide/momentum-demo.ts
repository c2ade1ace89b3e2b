// The guide's illustration: heavy-ball on f(x) = lambda*x^2/2 from x0 with v0 = 0.
//   v <- d*v - lr*lambda*x,  x <- x + v
// For |d| < 1 and 0 < lr*lambda < 2(1 + d) it converges; for d > 1 it diverges
// at every learning rate (det M = d, so the spectral radius is at least sqrt(d)).

/** The guide's example: f = x^2/2, lr 0.5; d = 0.5 shrinks, d = 1.05 grows without bound (the view's status says so at its default 200 steps). */
export const GUIDE_EXAMPLE = Object.freeze({ lr: 0.5, lambda: 1, x0: 1, shrinks: 0.5, grows: 1.05, steps: 200 });

/** x_0..x_steps of heavy-ball on lambda*x^2/2. */
export function heavyBallTrajectory(d: number, lr: number, lambda: number, x0: number, steps: number): Float64Array {
  if (!Number.isFinite(d) || !Number.isFinite(lr) || !Number.isFinite(lambda) || !Number.isFinite(x0))
    throw new RangeError('heavyBallTrajectory: arguments must be finite');
  if (!Number.isInteger(steps) || steps < 0 || steps > 100_000)
    throw new RangeError(`heavyBallTrajectory: steps must be an integer in [0, 100000], got ${steps}`);
  const xs = new Float64Array(steps + 1);
  let x = x0;
  let v = 0;
  xs[0] = x;
  for (let t = 1; t <= steps; t++) {
    v = d * v - lr * lambda * x;
    x = x + v;
    xs[t] = x;
  }
  return xs;
}
