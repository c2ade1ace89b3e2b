import { z } from 'zod';
import { int, positiveReal, real } from './numbers';

// What the momentum simulator can be asked: objectives (by name, with their
// parameters), optimizers with hyperparameters, starts, step counts, and the
// phase-diagram grid. The same schemas check the view's payloads, every IPC
// payload in the main process and the CLI flags.

export const OBJECTIVE_NAMES = [
  'quadratic',
  'linear',
  'log-cosh',
  'double-well',
  'plateau',
  'quadratic-2d',
  'rosenbrock',
  'saddle',
  'himmelblau',
  'booth',
] as const;
export type ObjectiveName = (typeof OBJECTIVE_NAMES)[number];

export interface ParamSpec {
  name: string;
  label: string;
  default: number;
  min: number;
  max: number;
  description: string;
}

export interface ObjectiveSpec {
  name: ObjectiveName;
  dim: 1 | 2;
  label: string;
  /** The formula in plain text, e.g. "f(x) = lambda*x^2/2". */
  formula: string;
  params: ParamSpec[];
  /** Default start point (length dim). */
  start: number[];
  /** Default view box: x range, and y range in 2-D. */
  view: { x: [number, number]; y?: [number, number] };
  /** A learning rate that shows the objective well with d = 0.9. */
  lr: number;
  /** True when the Hessian is constant, so the quadratic theory applies. */
  quadratic: boolean;
}

const p = (name: string, label: string, def: number, min: number, max: number, description: string): ParamSpec => ({
  name,
  label,
  default: def,
  min,
  max,
  description,
});

export const OBJECTIVE_SPECS: readonly ObjectiveSpec[] = Object.freeze([
  {
    name: 'quadratic',
    dim: 1,
    label: 'Quadratic',
    formula: 'f(x) = lambda*x^2/2',
    params: [p('lambda', 'λ', 1, 1e-6, 1e6, 'curvature')],
    start: [1],
    view: { x: [-1.5, 1.5] },
    lr: 0.1,
    quadratic: true,
  },
  {
    name: 'linear',
    dim: 1,
    label: 'Linear slope (constant gradient)',
    formula: 'f(x) = g*x',
    params: [p('g', 'g', 1, -1e6, 1e6, 'constant gradient')],
    start: [0],
    view: { x: [-20, 2] },
    lr: 0.1,
    quadratic: false,
  },
  {
    name: 'log-cosh',
    dim: 1,
    label: 'Smooth |x| (log-cosh)',
    formula: 'f(x) = s*log(cosh(x/s))',
    params: [p('s', 's', 0.1, 1e-4, 1e3, "width of the rounded tip; |f'| -> 1 beyond it")],
    start: [2],
    view: { x: [-2.5, 2.5] },
    lr: 0.05,
    quadratic: false,
  },
  {
    name: 'double-well',
    dim: 1,
    label: 'Double well (non-convex)',
    formula: 'f(x) = a*(x^2 - 1)^2 + c*x',
    params: [
      p('a', 'a', 1, 1e-3, 1e3, 'barrier height at x = 0'),
      p('c', 'c', 0.3, -1e3, 1e3, 'tilt: makes one well deeper'),
    ],
    start: [1.6],
    view: { x: [-1.8, 1.8] },
    lr: 0.02,
    quadratic: false,
  },
  {
    name: 'plateau',
    dim: 1,
    label: 'Well on a flat plateau',
    formula: 'f(x) = 1 - exp(-x^2/(2w^2)) + slope*x^2/2',
    params: [
      p('w', 'w', 0.5, 1e-3, 1e3, 'width of the well'),
      p('slope', 'ε', 0.01, 0, 1e3, 'curvature of the plateau (its pull toward the well)'),
    ],
    start: [4],
    view: { x: [-5, 5] },
    lr: 0.5,
    quadratic: false,
  },
  {
    name: 'quadratic-2d',
    dim: 2,
    label: 'Ill-conditioned quadratic',
    formula: 'f = (lambda1*u^2 + lambda2*w^2)/2, (u, w) = (x, y) rotated by -angle',
    params: [
      p('lambda1', 'λ1', 1, 1e-6, 1e6, 'curvature along the first axis'),
      p('lambda2', 'λ2', 10, 1e-6, 1e6, 'curvature along the second axis (kappa = lambda2/lambda1)'),
      p('angle', 'angle', 0, -180, 180, 'rotation of the axes, degrees'),
    ],
    start: [-2, 1],
    view: { x: [-2.5, 2.5], y: [-1.5, 1.5] },
    lr: 0.1,
    quadratic: true,
  },
  {
    name: 'rosenbrock',
    dim: 2,
    label: 'Rosenbrock',
    formula: 'f = (a - x)^2 + b*(y - x^2)^2',
    params: [
      p('a', 'a', 1, -1e3, 1e3, 'minimum at (a, a^2)'),
      p('b', 'b', 100, 0, 1e6, 'steepness of the valley walls'),
    ],
    start: [-1.2, 1],
    view: { x: [-2, 2], y: [-1, 3] },
    lr: 0.001,
    quadratic: false,
  },
  {
    name: 'saddle',
    dim: 2,
    label: 'Saddle (escapes to two minima)',
    formula: 'f = a*x^2/2 - b*y^2/2 + b*y^4/4',
    params: [
      p('a', 'a', 1, 1e-6, 1e6, 'curvature along x'),
      p('b', 'b', 1, 1e-6, 1e6, 'negative curvature along y at the saddle'),
    ],
    start: [1.5, 0.01],
    view: { x: [-2, 2], y: [-1.6, 1.6] },
    lr: 0.1,
    quadratic: false,
  },
  {
    name: 'himmelblau',
    dim: 2,
    label: 'Himmelblau',
    formula: 'f = (x^2 + y - 11)^2 + (x + y^2 - 7)^2',
    params: [],
    start: [0, 0],
    view: { x: [-5, 5], y: [-5, 5] },
    lr: 0.005,
    quadratic: false,
  },
  {
    name: 'booth',
    dim: 2,
    label: 'Booth',
    formula: 'f = (x + 2y - 7)^2 + (2x + y - 5)^2',
    params: [],
    start: [-4, -4],
    view: { x: [-5, 5], y: [-5, 7] },
    lr: 0.02,
    quadratic: true,
  },
] satisfies ObjectiveSpec[]);

export function objectiveSpec(name: ObjectiveName): ObjectiveSpec {
  const spec = OBJECTIVE_SPECS.find((s) => s.name === name);
  if (!spec) throw new RangeError(`unknown objective ${name}`);
  return spec;
}

/** An objective by name with its parameters; missing parameters take their defaults. */
export const ObjectiveRefSchema = z
  .strictObject({
    name: z.enum(OBJECTIVE_NAMES),
    params: z.record(z.string(), z.number({ error: 'must be a finite number' })).default({}),
  })
  .superRefine((ref, ctx) => {
    const spec = objectiveSpec(ref.name);
    for (const [key, value] of Object.entries(ref.params)) {
      const ps = spec.params.find((q) => q.name === key);
      if (!ps) {
        const known = spec.params.map((q) => q.name).join(', ') || 'none';
        ctx.addIssue({
          code: 'custom',
          path: ['params', key],
          message: `is not a parameter of ${ref.name} (known: ${known})`,
        });
      } else if (!(value >= ps.min && value <= ps.max)) {
        ctx.addIssue({
          code: 'custom',
          path: ['params', key],
          message: `must be in [${ps.min}, ${ps.max}] (got ${value})`,
        });
      }
    }
  })
  .transform((ref) => {
    const spec = objectiveSpec(ref.name);
    const params: Record<string, number> = {};
    for (const ps of spec.params) params[ps.name] = ref.params[ps.name] ?? ps.default;
    return { name: ref.name, params };
  });
export type ObjectiveRef = z.output<typeof ObjectiveRefSchema>;

export const SIM_OPTIMIZERS = ['gd', 'heavy-ball', 'nesterov', 'adam'] as const;
export type SimOptimizerKind = (typeof SIM_OPTIMIZERS)[number];

/** One optimizer with its hyperparameters. d is the momentum factor (Adam: beta1). */
export const SimOptimizerSchema = z.strictObject({
  kind: z.enum(SIM_OPTIMIZERS),
  lr: positiveReal(1e6),
  /** Momentum factor of v <- d*v - lr*grad, x <- x + v (ignored by gd). */
  d: real(0, 2),
  /** Adam's second-moment decay. */
  beta2: real(0, 0.9999999).default(0.999),
  /** Adam's denominator guard. */
  eps: positiveReal(1).default(1e-8),
});
export type SimOptimizer = z.output<typeof SimOptimizerSchema>;

/** Several runs from one start on one objective: one per optimizer setting. */
export const SimulateRequestSchema = z
  .strictObject({
    objective: ObjectiveRefSchema,
    start: z.array(real(-1e6, 1e6)).min(1).max(2),
    steps: int(1, 100_000),
    runs: z.array(SimOptimizerSchema).min(1).max(16),
    /**
     * Whether the session keeps this simulation once its settings settle (default yes). A view's side computation
     * (the Momentum view's optimizer comparison) says no, so what is saved is the runs the user set up, whatever
     * order the answers come in.
     */
    record: z.boolean().optional(),
  })
  .superRefine((req, ctx) => {
    const dim = objectiveSpec(req.objective.name).dim;
    if (req.start.length !== dim) {
      ctx.addIssue({
        code: 'custom',
        path: ['start'],
        message: `${req.objective.name} is ${dim}-D: start needs ${dim} coordinate${dim > 1 ? 's' : ''} (got ${req.start.length})`,
      });
    }
  });
export type SimulateRequest = z.output<typeof SimulateRequestSchema>;
export type SimulateRequestInput = z.input<typeof SimulateRequestSchema>;

/** A grid over (h = lr*lambda, d) of heavy-ball runs on lambda*x^2/2 from x0 = 1, v0 = 0. */
export const PhaseDiagramRequestSchema = z
  .strictObject({
    hMin: real(0, 1e3),
    hMax: positiveReal(1e3),
    hScale: z.enum(['linear', 'log']).default('linear'),
    dMin: real(0, 3),
    dMax: real(0, 3),
    nh: int(2, 2048),
    nd: int(2, 2048),
    steps: int(2, 100_000),
    /** A cell has converged when |x_t| stays below tol (x0 = 1). */
    tol: positiveReal(0.5).default(1e-6),
  })
  .superRefine((r, ctx) => {
    if (!(r.hMin < r.hMax)) ctx.addIssue({ code: 'custom', path: ['hMax'], message: 'must be greater than hMin' });
    if (!(r.dMin < r.dMax)) ctx.addIssue({ code: 'custom', path: ['dMax'], message: 'must be greater than dMin' });
    if (r.hScale === 'log' && r.hMin <= 0)
      ctx.addIssue({ code: 'custom', path: ['hMin'], message: 'must be > 0 on a log scale' });
    if (r.nh * r.nd * r.steps > 2e9)
      ctx.addIssue({ code: 'custom', path: ['steps'], message: 'nh*nd*steps must be <= 2e9' });
  });
export type PhaseDiagramRequest = z.output<typeof PhaseDiagramRequestSchema>;
export type PhaseDiagramRequestInput = z.input<typeof PhaseDiagramRequestSchema>;
