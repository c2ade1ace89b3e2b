import { max } from 'd3-array';
import { format } from 'd3-format';
import { scaleLinear, scaleLog, type ScaleLinear, type ScaleLogarithmic } from 'd3-scale';
import { interpolateViridis } from 'd3-scale-chromatic';
import { line } from 'd3-shape';
import type { MomentumFigureRequest } from '../../src-core/contracts/api-figures';
import { LabError } from '../../src-core/contracts/lab-error';
import { objectiveSpec } from '../../src-core/contracts/sim-config';
import { fmtNum } from '../../src-core/format';
import { phaseCaption, simCaption, simTitle } from '../../src-core/momentum/figure-captions';
import { GROWTH, phaseDiagram, RATE_EPS, type PhaseDiagram } from '../../src-core/momentum/phase-diagram';
import { criticalCurve, stabilityBoundary, type Polyline } from '../../src-core/momentum/phase-lines';
import { boundedRange, clipTo, runLabel } from '../../src-core/momentum/plot-series';
import { DIVERGENCE_BOUND } from '../../src-core/momentum/simulate';
import { simulateBatch } from '../../src-core/momentum/simulate-batch';
import type { SimRun } from '../../src-core/momentum/types';
import type { BuiltFigure } from './compare-figure';
import { el, esc, FIGURE_FONT, flow, INK, LINE_H, px, SERIES_COLORS, SWATCH, textWidth, wrapAt } from './figure-style';

// The Momentum view's figures, built in the main process from the view's
// settings (a MomentumFigureRequest): the view's SVG / PNG export (the
// exportMomentumFigure service) and `momentum-lab figure --sim / --phase`
// both call momentumFigure, so the same settings give the same bytes. A pure
// function of the request: it runs the (deterministic) simulator or the phase
// grid itself, d3 computes scales, ticks and paths, and every text is laid
// out by the export font's estimated widths (wrapped, never past the figure's
// edge). Laid out like the comparison figure: fixed width, legend and caption
// inside the SVG.

/** The figure's fixed width, and its margins around the plot (the left one at least: it grows with the y labels). */
const W = 720;
const { TOP, RIGHT, BOTTOM, LEFT0 } = { TOP: 30, RIGHT: 20, BOTTOM: 46, LEFT0: 64 };
/** Font sizes of tick labels and of the caption, px. */
const [TICK_SIZE, CAPTION_SIZE] = [11, 12];
const num = format('~g');
/** The legend's and the rule's width: the figure's, less the left margin and the right one. */
const KEY_W = W - LEFT0 - RIGHT;

/** An axis title's text attributes, and a run path point's number's (white on a black halo). */
const TITLE = { 'text-anchor': 'middle', 'font-size': 12, fill: INK.text };
const RUN_NUMBER = {
  'font-size': 10,
  'font-weight': 700,
  fill: '#ffffff',
  stroke: '#000000',
  'stroke-width': 2.5,
  'paint-order': 'stroke',
};

type Scale = ScaleLinear<number, number> | ScaleLogarithmic<number, number>;

/** The figure for `req`: a simulation (x_t over the steps, or the paths in the plane) or the phase diagram. */
export function momentumFigure(req: MomentumFigureRequest): BuiltFigure {
  return req.kind === 'sim' ? simFigure(req) : phaseFigure(req);
}

/** Tick labels of a scale; on a log axis only 1, 2 and 5 times a power of ten are labelled (the rest are grid). */
function tickLabels(s: Scale, n: number, log: boolean): { t: number; label: string }[] {
  return s.ticks(n).map((t) => {
    if (!log) return { t, label: num(t) };
    const mant = Math.round(t / 10 ** Math.floor(Math.log10(t) + 1e-9));
    const decades = s.domain()[1] / s.domain()[0];
    return { t, label: mant === 1 || (decades < 100 && (mant === 2 || mant === 5)) ? fmtNum(t, 3) : '' };
  });
}

/** The room left of the plot: the widest y tick label, its gap, and the rotated y title. */
function leftOf(yTicks: { label: string }[]): { left: number; tickW: number } {
  const tickW = Math.ceil(max(yTicks, (t) => textWidth(t.label, TICK_SIZE)) ?? 0);
  return { left: Math.max(LEFT0, tickW + 32), tickW };
}

interface Axes {
  x: Scale;
  y: Scale;
  xLog?: boolean;
  plotW: number;
  plotH: number;
  xLabel: string;
  yLabel: string;
  yTicks: { t: number; label: string }[];
  tickW: number;
  grid: boolean;
}

/** Grid, tick labels (kept inside the figure), frame and axis titles, drawn in the plot's coordinates. */
function axes(o: string[], a: Axes, left: number): void {
  const { x, y, plotW, plotH } = a;
  const gridLine = (x1: number, x2: number, y1: number, y2: number, faint: boolean) =>
    el('line', {
      x1: px(x1),
      x2: px(x2),
      y1: px(y1),
      y2: px(y2),
      stroke: INK.grid,
      'stroke-width': 1,
      'stroke-opacity': faint && 0.5,
    });
  for (const { t, label } of a.yTicks) {
    if (a.grid) o.push(gridLine(0, plotW, y(t), y(t), label === ''));
    if (label) o.push(`<text x="-6" y="${px(y(t) + 4)}" text-anchor="end" fill="${INK.soft}">${esc(label)}</text>`);
  }
  for (const { t, label } of tickLabels(x, Math.max(2, Math.floor(plotW / 90)), a.xLog === true)) {
    if (a.grid) o.push(gridLine(x(t), x(t), 0, plotH, label === ''));
    if (!label) continue;
    const w = textWidth(label, TICK_SIZE);
    // A label at the plot's ends is anchored inward, so it never runs past the figure.
    const anchor = x(t) - w / 2 < -left + 2 ? 'start' : x(t) + w / 2 > plotW + RIGHT - 2 ? 'end' : 'middle';
    o.push(`<text x="${px(x(t))}" y="${plotH + 16}" text-anchor="${anchor}" fill="${INK.soft}">${esc(label)}</text>`);
  }
  o.push(
    `<rect x="0" y="0" width="${px(plotW)}" height="${plotH}" fill="none" stroke="${INK.frame}" stroke-width="1"/>`,
  );
  o.push(el('text', { x: px(plotW / 2), y: plotH + 36, ...TITLE }, a.xLabel));
  o.push(el('text', { transform: `translate(${-(a.tickW + 17)},${px(plotH / 2)}) rotate(-90)`, ...TITLE }, a.yLabel));
}

type Swatch =
  | { kind: 'line'; color: string; width: number; dash?: string; dark?: boolean }
  | { kind: 'fill'; color: string }
  | { kind: 'ramp'; colors: string[] }
  | { kind: 'dot'; fill: string; stroke: string };

interface KeyEntry {
  label: string;
  swatch: Swatch;
}

function swatch(s: Swatch): string {
  switch (s.kind) {
    case 'line':
      return (
        (s.dark ? `<rect x="0" y="-5" width="24" height="10" fill="#333333"/>` : '') +
        el('line', {
          x1: 2,
          x2: 22,
          y1: 0,
          y2: 0,
          stroke: s.color,
          'stroke-width': s.width,
          'stroke-dasharray': s.dash,
        })
      );
    case 'fill':
      return `<rect x="4" y="-5" width="16" height="10" fill="${s.color}"/>`;
    case 'ramp':
      return s.colors.map((c, i) => `<rect x="${i * 3}" y="-5" width="3.3" height="10" fill="${c}"/>`).join('');
    case 'dot':
      return `<circle cx="12" cy="0" r="5" fill="${s.fill}" stroke="${s.stroke}" stroke-width="2"/>`;
  }
}

/**
 * The legend (entries flowed into rows from their estimated widths), an optional note wrapped under it, and the
 * caption; closes the SVG. `chartH` is where the chart's part ends.
 */
function finish(
  o: string[],
  id: string,
  title: string,
  chartH: number,
  entries: KeyEntry[],
  note: string,
  caption: string,
): BuiltFigure {
  const key = flow(entries, KEY_W);
  const body: string[] = [`<g transform="translate(${LEFT0},${chartH + 4})">`];
  for (const l of key.items) {
    body.push(`<g transform="translate(${px(l.x)},${l.y})" data-legend="${esc(l.item.label)}">`);
    body.push(swatch(l.item.swatch));
    l.lines.forEach((t, i) =>
      body.push(`<text x="${SWATCH}" y="${4 + i * LINE_H}" fill="${INK.text}">${esc(t)}</text>`),
    );
    body.push('</g>');
  }
  const noteLines = note ? wrapAt(note, KEY_W, 11) : [];
  noteLines.forEach((t, i) =>
    body.push(`<text x="0" y="${key.height + 8 + i * LINE_H}" fill="${INK.soft}" data-note-line="">${esc(t)}</text>`),
  );
  body.push('</g>');
  const keyH = key.height + (noteLines.length ? noteLines.length * LINE_H + 6 : 0);
  const captionTop = chartH + 4 + keyH + 6;
  const captionLines = caption ? wrapAt(caption, W - 24, CAPTION_SIZE) : [];
  captionLines.forEach((l, i) => {
    body.push(
      el(
        'text',
        {
          x: W / 2,
          y: captionTop + 14 + i * 16,
          'text-anchor': 'middle',
          'font-size': CAPTION_SIZE,
          'font-style': 'italic',
          fill: INK.text,
          'data-caption-line': '',
        },
        l,
      ),
    );
  });
  const height = Math.ceil(captionTop + (captionLines.length ? captionLines.length * 16 + 12 : 0));
  const head = [
    el('svg', {
      xmlns: 'http://www.w3.org/2000/svg',
      width: W,
      height,
      viewBox: `0 0 ${W} ${height}`,
      'font-family': FIGURE_FONT,
      'font-size': 11,
      role: 'img',
      'data-figure': id,
      'data-caption': caption,
    }).replace(/\/>$/, '>'),
    `<title>${esc(caption || title)}</title>`,
    `<rect x="0" y="0" width="${W}" height="${height}" fill="#ffffff"/>`,
    `<text x="${LEFT0}" y="18" font-size="13" font-weight="600" fill="${INK.text}">${esc(title)}</text>`,
  ];
  return { id, svg: `${[...head, ...o, ...body, '</svg>'].join('\n')}\n`, width: W, height, caption };
}

const SIM_CHART_H = 340;

/** A simulation: x_t over t (any dimension) or the paths in the plane (2-D), one colour per run as the view's. */
function simFigure(req: Extract<MomentumFigureRequest, { kind: 'sim' }>): BuiltFigure {
  const res = simulateBatch(req.sim);
  const spec = objectiveSpec(req.sim.objective.name);
  const two = spec.dim === 2;
  if (req.chart === 'plane' && !two)
    throw new LabError('invalid-input', `figure: ${spec.name} is 1-D: it has no paths in the plane (chart "x")`);
  const caption = (req.caption ?? simCaption(simTitle(spec.dim), req.sim)).trim();
  const colorOf = (k: number) => SERIES_COLORS[(req.slots?.[k] ?? k) % SERIES_COLORS.length];
  const widthOf = (k: number) => (k === 0 ? 2.4 : 1.5);
  const plane = req.chart === 'plane';
  let x: Scale;
  let y: Scale;
  let plotW: number;
  let plotH = SIM_CHART_H - TOP - BOTTOM;
  let lines: { k: number; xs: ArrayLike<number>; ys: ArrayLike<number>; n: number }[];
  let yTicks: { t: number; label: string }[];
  let room: { left: number; tickW: number };
  if (plane) {
    // The objective's view box, on equal scales (circles stay circles); points outside it leave the plot.
    const vx = spec.view.x;
    const vy = spec.view.y ?? vx;
    const aspect = (vy[1] - vy[0]) / (vx[1] - vx[0]);
    y = scaleLinear().domain(vy).range([plotH, 0]);
    yTicks = tickLabels(y, Math.max(2, Math.floor(plotH / 45)), false);
    room = leftOf(yTicks);
    plotW = Math.min(W - room.left - RIGHT, plotH / aspect);
    plotH = Math.min(plotH, plotW * aspect);
    y.range([plotH, 0]);
    x = scaleLinear().domain(vx).range([0, plotW]);
    const inBox = (v: ArrayLike<number>, [lo, hi]: readonly number[]) => clipTo(v, lo, hi);
    lines = res.runs.map((r, k) => ({ k, xs: inBox(r.x, vx), ys: inBox(r.y!, vy), n: r.length }));
  } else {
    const range = boundedRange(res.runs, (r) => r.x, Math.max(Math.abs(req.sim.start[0]), 1e-9));
    y = scaleLinear().domain(range).range([plotH, 0]).nice();
    yTicks = tickLabels(y, Math.max(2, Math.floor(plotH / 45)), false);
    room = leftOf(yTicks);
    plotW = W - room.left - RIGHT;
    x = scaleLinear().domain([0, req.sim.steps]).range([0, plotW]);
    const t = (n: number) => Float64Array.from({ length: n }, (_, i) => i);
    lines = res.runs.map((r: SimRun, k) => ({ k, xs: t(r.length), ys: clipTo(r.x, range[0], range[1]), n: r.length }));
  }
  const [x0, x1] = x.domain();
  const [y0, y1] = y.domain();
  const o: string[] = [`<g transform="translate(${room.left},${TOP})">`];
  axes(
    o,
    {
      x,
      y,
      plotW,
      plotH,
      xLabel: plane ? 'x' : 'step t',
      yLabel: plane ? 'y' : 'x_t',
      yTicks,
      tickW: room.tickW,
      grid: true,
    },
    room.left,
  );
  // The highlighted run last, on top.
  for (const l of [...lines].reverse()) {
    const d = line<number>()
      .defined((i) => Number.isFinite(l.xs[i]) && Number.isFinite(l.ys[i]))
      .x((i) => x(Math.min(Math.max(l.xs[i], x0), x1)))
      .y((i) => y(Math.min(Math.max(l.ys[i], y0), y1)))
      .digits(2)(Array.from({ length: l.n }, (_, i) => i));
    o.push(
      `<path d="${d ?? ''}" fill="none" stroke="${colorOf(l.k)}" stroke-width="${widthOf(l.k)}" data-run="${l.k}"/>`,
    );
  }
  if (plane) {
    const [sx, sy] = req.sim.start;
    if (sx >= x0 && sx <= x1 && sy >= y0 && sy <= y1)
      o.push(
        el('circle', {
          cx: px(x(sx)),
          cy: px(y(sy)),
          r: 5,
          fill: '#ffffff',
          stroke: INK.text,
          'stroke-width': 2,
          'data-start': '',
        }),
      );
  }
  o.push('</g>');
  const entries: KeyEntry[] = res.runs.map((r, k) => ({
    label: runLabel(r, k === 0 && r.optimizer.kind === 'heavy-ball'),
    swatch: { kind: 'line', color: colorOf(k), width: widthOf(k) },
  }));
  if (plane) entries.push({ label: 'start', swatch: { kind: 'dot', fill: '#ffffff', stroke: INK.text } });
  const cut = res.runs.some((r) => r.status === 'diverged');
  const note = cut ? 'A diverged run leaves the plot where it passes the range of the others.' : '';
  const title = plane ? 'Trajectories in the plane' : 'Position x_t over the steps';
  return finish(o, plane ? 'momentum-plane' : 'momentum-x', title, TOP + plotH + BOTTOM, entries, note, caption);
}

const PHASE_CHART_H = 380;
const DIVERGED = (u: number) =>
  `rgb(${Math.round(235 - 120 * u)},${Math.round(150 - 130 * u)},${Math.round(150 - 130 * u)})`;
const MARGINAL = 'rgb(200,200,200)';
const NOT_REACHED = 'rgb(110,110,110)';
const EDGE = { color: '#ffffff', width: 2, dash: '6 3' };
const CRITICAL = { color: '#ff4fd8', width: 2, dash: '2 2' };
const RUN = '#ffb000';
/** Shades of the colour ramp in the file (neighbouring cells of one shade are one rect: a file of kilobytes). */
const SHADES = 48;

/** The colour of cell k, as the view's heat map: viridis by rate or by log steps; diverged red; marginal grey. */
function cellColour(p: PhaseDiagram, k: number, by: 'rate' | 'steps'): string {
  const q = (u: number) => Math.round(Math.min(1, Math.max(0, u)) * SHADES) / SHADES;
  if (p.diverged[k]) return DIVERGED(Math.round(q(Math.log(Math.max(p.rate[k], 1)) / Math.log(3)) * 4) / 4);
  if (p.marginal?.[k]) return MARGINAL;
  if (by === 'rate') return interpolateViridis(q(p.rate[k]));
  const st = p.stepsToTol[k];
  return st < 0 ? NOT_REACHED : interpolateViridis(q(Math.log(Math.max(1, st)) / Math.log(p.request.steps)));
}

/** The phase diagram: cells coloured as the view's, the theory's lines, the current setting and a run's path. */
function phaseFigure(req: Extract<MomentumFigureRequest, { kind: 'phase' }>): BuiltFigure {
  const p = phaseDiagram(req.grid);
  const r = p.request;
  const caption = (req.caption ?? phaseCaption(r, req.path)).trim();
  const plotH = PHASE_CHART_H - TOP - BOTTOM;
  const y = scaleLinear().domain([r.dMin, r.dMax]).range([plotH, 0]);
  const yTicks = tickLabels(y, Math.max(2, Math.floor(plotH / 40)), false);
  const room = leftOf(yTicks);
  const plotW = W - room.left - RIGHT;
  const log = r.hScale === 'log';
  const x: Scale = (log ? scaleLog() : scaleLinear()).domain([r.hMin, r.hMax]).range([0, plotW]);
  const o: string[] = [`<g transform="translate(${room.left},${TOP})">`];
  const cw = plotW / r.nh;
  const ch = plotH / r.nd;
  for (let j = 0; j < r.nd; j++) {
    for (let i = 0; i < r.nh;) {
      const c0 = cellColour(p, j * r.nh + i, req.colour);
      let n = 1;
      while (i + n < r.nh && cellColour(p, j * r.nh + i + n, req.colour) === c0) n++;
      o.push(
        el('rect', {
          x: px(i * cw),
          y: px(plotH - (j + 1) * ch),
          width: px(n * cw + 0.3),
          height: px(ch + 0.3),
          fill: c0,
          'data-diverged': p.diverged[j * r.nh + i] === 1 && n,
        }),
      );
      i += n;
    }
  }
  const hs = req.mark?.hs ?? [];
  axes(
    o,
    {
      x,
      y,
      xLog: log,
      plotW,
      plotH,
      xLabel: `h = lr·λ${hs.length > 1 ? ' (one marker per curvature)' : ''}`,
      yLabel: 'momentum d',
      yTicks,
      tickW: room.tickW,
      grid: false,
    },
    room.left,
  );
  const box = { hMin: r.hMin, hMax: r.hMax, dMin: r.dMin, dMax: r.dMax, hScale: r.hScale };
  const path = (pts: Polyline) =>
    line<[number, number]>()
      .x((q) => x(q[0]))
      .y((q) => y(q[1]))
      .digits(2)(pts) ?? '';
  const stroke = (s: { color: string; width: number; dash: string }) =>
    `fill="none" stroke="${s.color}" stroke-width="${s.width}" stroke-dasharray="${s.dash}"`;
  const { edge, unitD } = stabilityBoundary(box);
  for (const pts of [edge, unitD])
    if (pts.length > 1) o.push(`<path d="${path(pts)}" ${stroke(EDGE)} data-line="stability"/>`);
  const crit = criticalCurve(box);
  if (crit.length > 1) o.push(`<path d="${path(crit)}" ${stroke(CRITICAL)} data-line="critical"/>`);
  const inside = (h: number, d: number) => h >= r.hMin && h <= r.hMax && d >= r.dMin && d <= r.dMax;
  if (req.mark)
    hs.forEach((h, i) => {
      if (!inside(h, req.mark!.d)) return;
      const main = i === hs.length - 1;
      o.push(
        el('circle', {
          cx: px(x(h)),
          cy: px(y(req.mark!.d)),
          r: main ? 6 : 4.5,
          fill: main ? '#ffffff' : 'none',
          stroke: main ? '#000000' : '#ffffff',
          'stroke-width': 2,
          'data-mark': i,
        }),
      );
    });
  if (req.path) {
    // Points beyond the map are pinned to its edge (hollow), so none is silently dropped; numbers where they do not
    // overprint the last one written (always the first and the last).
    const pts = req.path.points.map((q) => ({
      ...q,
      in: inside(q.h, q.d),
      px: x(Math.min(r.hMax, Math.max(r.hMin, q.h))),
      py: y(Math.min(r.dMax, Math.max(r.dMin, q.d))),
    }));
    o.push(`<g data-run-path="${esc(req.path.title)}">`);
    if (pts.length > 1)
      o.push(
        `<path d="${line().digits(2)(pts.map((q) => [q.px, q.py]))}" fill="none" stroke="${RUN}" stroke-width="2"/>`,
      );
    let last: { px: number; py: number } | null = null;
    pts.forEach((q, i) => {
      o.push(
        el('circle', {
          cx: px(q.px),
          cy: px(q.py),
          r: 4,
          fill: q.in ? RUN : 'none',
          stroke: q.in ? '#000000' : RUN,
          'stroke-width': q.in ? 1 : 2,
        }),
      );
      if (i === 0 || i === pts.length - 1 || !last || Math.hypot(q.px - last.px, q.py - last.py) > 16) {
        last = q;
        const tx = Math.min(q.px + 4, plotW - textWidth(String(q.n), 10));
        o.push(el('text', { x: px(tx), y: px(Math.max(10, q.py - 6)), ...RUN_NUMBER }, String(q.n)));
      }
    });
    o.push('</g>');
  }
  o.push('</g>');
  const ramp = Array.from({ length: 8 }, (_, i) => interpolateViridis(i / 7));
  const entries: KeyEntry[] = [
    {
      label:
        req.colour === 'rate'
          ? 'measured rate per step: 0 (fast decay) to 1 (no decay)'
          : `steps until |x| ≤ ${fmtNum(r.tol)}: 1 to ${r.steps} (log scale)`,
      swatch: { kind: 'ramp', colors: ramp },
    },
    ...(req.colour === 'steps'
      ? [{ label: 'not reached', swatch: { kind: 'fill', color: NOT_REACHED } as Swatch }]
      : []),
    { label: 'diverged', swatch: { kind: 'fill', color: DIVERGED(0.37) } },
    { label: 'marginal', swatch: { kind: 'fill', color: MARGINAL } },
    {
      label: 'ρ = 1 stability boundary: h = 2(1+d) for d ≤ 1; d = 1 for h ≤ 4',
      swatch: { kind: 'line', ...EDGE, dark: true },
    },
    {
      label: 'critical damping d* = (1−√h)², h < 4 (double root inside the unit circle)',
      swatch: { kind: 'line', ...CRITICAL, dark: true },
    },
    ...(hs.length > 0
      ? [
          {
            label: 'the current setting (lr·λ, d)',
            swatch: { kind: 'dot', fill: '#ffffff', stroke: '#000000' } as Swatch,
          },
        ]
      : []),
    ...(req.path
      ? [
          {
            label: `the training run ${req.path.title}: (lr·λ_max, d) per sharpness measurement`,
            swatch: { kind: 'dot', fill: RUN, stroke: '#000000' } as Swatch,
          },
        ]
      : []),
  ];
  const rule =
    `Rule: diverged if |x| passed ${DIVERGENCE_BOUND.toExponential(0)}, ended above ${GROWTH}, or the measured ` +
    `rate is above ${1 + RATE_EPS}; marginal if |rate − 1| ≤ ${RATE_EPS}: ${r.steps} steps tell neither decay ` +
    'nor growth.';
  const title = `Phase diagram: ${req.colour === 'rate' ? 'measured rate' : 'steps to tolerance'} over (lr·λ, d)`;
  return finish(o, 'momentum-phase', title, TOP + plotH + BOTTOM, entries, rule, caption);
}
