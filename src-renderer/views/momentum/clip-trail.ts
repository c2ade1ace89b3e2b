// Clips a 2-D trajectory to the plotted box so that no coordinate handed to
// the SVG is ever larger than the plot (a diverged run reaches 1e150, which
// an SVG path cannot parse), and finds where the run first left the box.

export interface Box {
  x: [number, number];
  y: [number, number];
}

export interface ClippedTrail {
  /** Polylines inside the box (data coordinates); a run that leaves and comes back gives several. */
  pieces: [number, number][][];
  /** First step whose point lies outside the box (null: never, up to `last`). */
  leftAt: number | null;
  /** Where that step's segment crosses the box edge (data coordinates). */
  exit: [number, number] | null;
}

/** Liang–Barsky: the part of segment a -> b inside the box, as parameters [t0, t1] in [0, 1], or null. */
export function clipSegment(ax: number, ay: number, bx: number, by: number, box: Box): [number, number] | null {
  const dx = bx - ax;
  const dy = by - ay;
  let t0 = 0;
  let t1 = 1;
  const edges: [number, number][] = [
    [-dx, ax - box.x[0]],
    [dx, box.x[1] - ax],
    [-dy, ay - box.y[0]],
    [dy, box.y[1] - ay],
  ];
  for (const [p, q] of edges) {
    if (p === 0) {
      if (q < 0) return null;
      continue;
    }
    const r = q / p;
    if (p < 0) {
      if (r > t1) return null;
      if (r > t0) t0 = r;
    } else {
      if (r < t0) return null;
      if (r < t1) t1 = r;
    }
  }
  return Number.isFinite(t0) && Number.isFinite(t1) ? [t0, t1] : null;
}

const inBox = (x: number, y: number, b: Box) => x >= b.x[0] && x <= b.x[1] && y >= b.y[0] && y <= b.y[1];
const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** Where the segment from (ix, iy) inside the box towards (ox, oy) outside crosses the edge. */
function edgePoint(ix: number, iy: number, ox: number, oy: number, box: Box): [number, number] {
  const c = clipSegment(ix, iy, ox, oy, box);
  const t = c ? c[1] : 0;
  return [clamp(ix + t * (ox - ix), box.x[0], box.x[1]), clamp(iy + t * (oy - iy), box.y[0], box.y[1])];
}

/**
 * The trail x[0..last], y[0..last] sampled every `every` steps (the last
 * step always included), clipped to `box`. Non-finite points end a piece.
 * `leftAt` is the first step outside (every step is checked, not only the
 * sampled ones); a run that starts outside has leftAt = 0. With
 * `stopAtExit` (a diverged run) nothing after the first exit is drawn.
 */
export function clipTrail(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  last: number,
  box: Box,
  every = 1,
  stopAtExit = false,
): ClippedTrail {
  const pieces: [number, number][][] = [];
  let cur: [number, number][] | null = null;
  let leftAt: number | null = null;
  let exit: [number, number] | null = null;
  // the first exit is found on every step, not only the sampled ones
  for (let t = 0; t <= last; t++) {
    if (!inBox(xs[t], ys[t], box)) {
      leftAt = t;
      if (t > 0 && Number.isFinite(xs[t]) && Number.isFinite(ys[t]))
        exit = edgePoint(xs[t - 1], ys[t - 1], xs[t], ys[t], box);
      break;
    }
  }
  const idx: number[] = [];
  for (let t = 0; t <= last; t += every) idx.push(t);
  if (idx[idx.length - 1] !== last && last >= 0) idx.push(last);
  // A segment is drawn when one of its ends is inside: a segment between two
  // points outside (a diverging oscillation jumping from -1e40 to 1e40) would
  // cross the plot without meaning anything. The edge point is computed from
  // the end inside, so it stays exact however far the other end is.
  for (let j = 0; j < idx.length; j++) {
    const t = idx[j];
    if (stopAtExit && leftAt !== null && t > leftAt) {
      // drawn up to the edge where it first left, nothing after
      if (cur && exit) cur.push(exit);
      break;
    }
    const x = xs[t];
    const y = ys[t];
    const here = Number.isFinite(x) && Number.isFinite(y) && inBox(x, y, box);
    const px = j > 0 ? xs[idx[j - 1]] : Number.NaN;
    const py = j > 0 ? ys[idx[j - 1]] : Number.NaN;
    const before = Number.isFinite(px) && Number.isFinite(py) && inBox(px, py, box);
    if (here && before) {
      cur!.push([x, y]);
    } else if (here) {
      const entry = Number.isFinite(px) && Number.isFinite(py) ? edgePoint(x, y, px, py, box) : null;
      pieces.push((cur = entry ? [entry, [x, y]] : [[x, y]]));
    } else {
      if (before && Number.isFinite(x) && Number.isFinite(y)) cur!.push(edgePoint(px, py, x, y, box));
      cur = null;
    }
  }
  return { pieces, leftAt, exit };
}
