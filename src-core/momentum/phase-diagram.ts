import type { PhaseDiagramRequest } from '../contracts/sim-config';
import { DIVERGENCE_BOUND } from './simulate';

/** Measured heavy-ball behaviour over a grid of (h = lr*lambda, d), row-major: cell (i, j) at j*nh + i. */
export interface PhaseDiagram {
  request: PhaseDiagramRequest;
  /** The nh grid values of h (linspace or logspace, both ends included). */
  h: Float64Array;
  /** The nd grid values of d (linspace, both ends included). */
  d: Float64Array;
  /** Measured per-step rate (window maxima of |x_t|, second half of the run). */
  rate: Float32Array;
  /** First t after which |x_t| stays <= tol; -1 when not reached. */
  stepsToTol: Int32Array;
  /** 1 when |x| left the bound, or the rate exceeds 1 + RATE_EPS, or |x| ends > GROWTH. */
  diverged: Uint8Array;
  /** 1 when not diverged and |rate - 1| <= RATE_EPS: the run can tell neither decay nor growth. */
  marginal: Uint8Array;
  /** Wall milliseconds the simulator worker spent (set by the worker). */
  computeMs?: number;
}

/** A cell's measured rate within 1 +- RATE_EPS is marginal (neither decay nor growth measurable). */
export const RATE_EPS = 5e-4;
/** A cell whose |x| ends above GROWTH (from x0 = 1) has diverged. */
export const GROWTH = 1e3;
const TINY = 1e-280;

/** The grid's h values: linear or logarithmic spacing from hMin to hMax. */
export function phaseAxisH(req: PhaseDiagramRequest): Float64Array {
  const h = new Float64Array(req.nh);
  for (let i = 0; i < req.nh; i++) {
    const u = i / (req.nh - 1);
    h[i] =
      req.hScale === 'log'
        ? Math.exp(Math.log(req.hMin) + u * (Math.log(req.hMax) - Math.log(req.hMin)))
        : req.hMin + u * (req.hMax - req.hMin);
  }
  return h;
}

/**
 * For each cell run v <- d*v - h*x, x <- x + v from (v, x) = (0, 1) for
 * req.steps steps (lambda*x^2/2 with lr*lambda = h: only h matters). One
 * flat typed array per output, allocated once; scalar locals in the loop.
 */
export function phaseDiagram(req: PhaseDiagramRequest): PhaseDiagram {
  const { nh, nd, steps: T, tol } = req;
  if (!(nh >= 2 && nd >= 2 && T >= 2)) throw new RangeError('need nh, nd >= 2 and steps >= 2');
  const hs = phaseAxisH(req);
  const ds = new Float64Array(nd);
  for (let j = 0; j < nd; j++) ds[j] = req.dMin + (j / (nd - 1)) * (req.dMax - req.dMin);
  const rate = new Float32Array(nh * nd);
  const stepsToTol = new Int32Array(nh * nd);
  const diverged = new Uint8Array(nh * nd);
  const marginal = new Uint8Array(nh * nd);
  const mid = T >> 1;
  const w = Math.max(1, Math.floor(T / 10));
  const aFrom = mid - w;
  const bFrom = T - w;
  const bound = DIVERGENCE_BOUND;
  for (let j = 0; j < nd; j++) {
    const d = ds[j];
    for (let i = 0; i < nh; i++) {
      const h = hs[i];
      let x = 1;
      let v = 0;
      let maxA = 0;
      let maxB = 0;
      let lastAbove = 0;
      let r = -1;
      let out = 0;
      for (let t = 1; t <= T; t++) {
        v = d * v - h * x;
        x = x + v;
        const ax = x < 0 ? -x : x;
        if (!(ax <= bound)) {
          // x_0 = 1, so |x_t| ~ rate^t
          r = Math.pow(bound, 1 / t);
          out = 1;
          lastAbove = T + 1;
          break;
        }
        if (ax > tol) lastAbove = t;
        if (t > aFrom && t <= mid && ax > maxA) maxA = ax;
        if (t > bFrom && ax > maxB) maxB = ax;
        if (ax < TINY && (v < 0 ? -v : v) < TINY) {
          r = ax === 0 ? 0 : Math.pow(ax, 1 / t);
          break;
        }
      }
      if (r < 0) r = maxA > 0 ? Math.pow(maxB / maxA, 1 / (T - mid)) : 0;
      const k = j * nh + i;
      rate[k] = r;
      const grew = out === 1 || r > 1 + RATE_EPS || maxB > GROWTH;
      diverged[k] = grew ? 1 : 0;
      marginal[k] = !grew && r >= 1 - RATE_EPS ? 1 : 0;
      stepsToTol[k] = grew || lastAbove >= T ? -1 : lastAbove + 1;
    }
  }
  return { request: req, h: hs, d: ds, rate, stepsToTol, diverged, marginal };
}
