import { format } from 'd3-format';
import { scaleLinear, scaleLog, type ScaleLinear, type ScaleLogarithmic } from 'd3-scale';
import { line } from 'd3-shape';
import { objectiveSpec } from '../../src-core/contracts/sim-config';
import type { PhaseDiagram } from '../../src-core/momentum/phase-diagram';
import { criticalCurve, stabilityBoundary, type Polyline } from '../../src-core/momentum/phase-lines';
import type { SimulateResult } from '../../src-core/momentum/simulate';
import type { BuiltFigure } from './compare-figure';
import { esc, FIGURE_FONT, INK, px, SERIES_COLORS, wrapAt } from './figure-style';

// The momentum simulator's figures for `momentum-lab figure`: a simulation
// (1-D: x_t over the steps; 2-D: the trajectories in the plane, start ringed)
// and the phase diagram over (h = lr*lambda, d): the measured rate per cell,
// diverged cells marked, with the stability boundary and critical damping.
// Laid out like the comparison figure (compare-figure.ts): fixed width,
// legend and caption inside the SVG, d3 for scales, ticks and paths.

const W = 720;
const CHART_H = 360;
const M = { top: 30, right: 20, bottom: 46, left: 64 };
const num = format('~g');

type Scale = ScaleLinear<number, number> | ScaleLogarithmic<number, number>;

function frame(o: string[], x: Scale, y: Scale, plotW: number, plotH: number, xLabel: string, yLabel: string): void {
  for (const t of y.ticks(Math.max(2, Math.floor(plotH / 45)))) {
    o.push(`<line x1="0" x2="${px(plotW)}" y1="${px(y(t))}" y2="${px(y(t))}" stroke="${INK.grid}" stroke-width="1"/>`);
    o.push(`<text x="-6" y="${px(y(t) + 4)}" text-anchor="end" fill="${INK.soft}">${esc(num(t))}</text>`);
  }
  for (const t of x.ticks(Math.max(2, Math.floor(plotW / 90)))) {
    o.push(`<line x1="${px(x(t))}" x2="${px(x(t))}" y1="0" y2="${plotH}" stroke="${INK.grid}" stroke-width="1"/>`);
    o.push(`<text x="${px(x(t))}" y="${plotH + 16}" text-anchor="middle" fill="${INK.soft}">${esc(num(t))}</text>`);
  }
  o.push(
    `<rect x="0" y="0" width="${px(plotW)}" height="${plotH}" fill="none" stroke="${INK.frame}" stroke-width="1"/>`,
  );
  o.push(
    `<text x="${px(plotW / 2)}" y="${plotH + 36}" text-anchor="middle" font-size="12" fill="${INK.text}">${esc(xLabel)}</text>`,
  );
  o.push(
    `<text transform="translate(-46,${px(plotH / 2)}) rotate(-90)" text-anchor="middle" font-size="12" fill="${INK.text}">${esc(yLabel)}</text>`,
  );
}

/** Legend rows (one entry per row) and the caption under the chart; closes the SVG. */
function finish(
  o: string[],
  id: string,
  title: string,
  entries: { label: string; color: string; dash?: string }[],
  caption: string,
): BuiltFigure {
  const body: string[] = [];
  let y = CHART_H + 4;
  for (const e of entries) {
    const lines = wrapAt(e.label, W - M.left - 28 - M.right, 11);
    body.push(
      `<line x1="${M.left}" x2="${M.left + 22}" y1="${y}" y2="${y}" stroke="${e.color}" stroke-width="2.5"${e.dash ? ` stroke-dasharray="${e.dash}"` : ''}/>`,
    );
    lines.forEach((l, i) =>
      body.push(
        `<text x="${M.left + 28}" y="${y + 4 + i * 14}" fill="${INK.text}" data-legend="${esc(e.label)}">${esc(l)}</text>`,
      ),
    );
    y += 18 + (lines.length - 1) * 14;
  }
  const chartH = y + 6;
  const captionLines = caption ? wrapAt(caption, W - 24, 12) : [];
  captionLines.forEach((l, i) => {
    body.push(
      `<text x="${W / 2}" y="${chartH + 14 + i * 16}" text-anchor="middle" font-size="12" font-style="italic" fill="${INK.text}" data-caption-line="">${esc(l)}</text>`,
    );
  });
  const height = chartH + (captionLines.length ? captionLines.length * 16 + 12 : 0);
  const head = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${height}" viewBox="0 0 ${W} ${height}" font-family="${esc(FIGURE_FONT)}" font-size="11" role="img" data-figure="${id}" data-caption="${esc(caption)}">`,
    `<title>${esc(caption || title)}</title>`,
    `<rect x="0" y="0" width="${W}" height="${height}" fill="#ffffff"/>`,
    `<text x="${M.left}" y="18" font-size="13" font-weight="600" fill="${INK.text}">${esc(title)}</text>`,
  ];
  return { id, svg: `${[...head, ...o, ...body, '</svg>'].join('\n')}\n`, width: W, height, caption };
}

/** "Quadratic (f(x) = lambda*x^2/2) lambda=1; start 2; 200 steps; heavy-ball lr 0.1, d 0 / 0.5 / 0.9." */
export function simCaption(res: SimulateResult): string {
  const spec = objectiveSpec(res.objective.name);
  const params = Object.entries(res.objective.params)
    .map(([k, v]) => `${k} = ${v}`)
    .join(', ');
  const kinds = [...new Set(res.runs.map((r) => r.optimizer.kind))].join(' / ');
  const lrs = [...new Set(res.runs.map((r) => r.optimizer.lr))].join(' / ');
  const ds = [...new Set(res.runs.map((r) => r.optimizer.d))].join(' / ');
  return `${spec.label}, ${spec.formula}${params ? ` (${params})` : ''}; start ${res.start.join(', ')}; ${res.steps} steps; ${kinds}; LR: ${lrs}; d: ${ds}.`;
}

/** A simulation: x_t over t (1-D) or the path in the plane (2-D), one colour per run. */
export function simFigure(res: SimulateResult, caption: string | null): BuiltFigure {
  const cap = (caption ?? simCaption(res)).trim();
  const plotW = W - M.left - M.right;
  const plotH = CHART_H - M.top - M.bottom;
  const two = res.runs[0]?.dim === 2;
  const finite = (a: ArrayLike<number>, n: number) => Array.from({ length: n }, (_, i) => a[i]).filter(Number.isFinite);
  const xsAll = two ? res.runs.flatMap((r) => finite(r.x, r.length)) : [0, res.steps];
  const ysAll = res.runs.flatMap((r) => finite(two ? r.y! : r.x, r.length));
  const ext = (v: number[]): [number, number] => {
    const lo = Math.min(...v);
    const hi = Math.max(...v);
    return v.length === 0 ? [0, 1] : lo === hi ? [lo - 1, hi + 1] : [lo, hi];
  };
  const x = scaleLinear().domain(ext(xsAll)).range([0, plotW]).nice();
  const y = scaleLinear().domain(ext(ysAll)).range([plotH, 0]).nice();
  const o: string[] = [`<g transform="translate(${M.left},${M.top})">`];
  frame(o, x, y, plotW, plotH, two ? 'x' : 'step t', two ? 'y' : 'x_t');
  const [x0, x1] = x.domain();
  const [y0, y1] = y.domain();
  const clampX = (v: number) => x(Math.min(Math.max(v, x0), x1));
  const clampY = (v: number) => y(Math.min(Math.max(v, y0), y1));
  res.runs.forEach((r, k) => {
    const color = SERIES_COLORS[k % SERIES_COLORS.length];
    const xs = (i: number) => (two ? r.x[i] : i);
    const ys = (i: number) => (two ? r.y![i] : r.x[i]);
    const d = line<number>()
      .defined((i) => Number.isFinite(xs(i)) && Number.isFinite(ys(i)))
      .x((i) => clampX(xs(i)))
      .y((i) => clampY(ys(i)))
      .digits(2)(Array.from({ length: r.length }, (_, i) => i));
    o.push(`<path d="${d ?? ''}" fill="none" stroke="${color}" stroke-width="1.8" data-run="${k}"/>`);
  });
  if (res.runs.length > 0) {
    const r = res.runs[0];
    o.push(
      `<circle cx="${px(clampX(two ? r.x[0] : 0))}" cy="${px(clampY(two ? r.y![0] : r.x[0]))}" r="5" fill="#ffffff" stroke="${INK.text}" stroke-width="2"/>`,
    );
  }
  o.push('</g>');
  const entries = res.runs.map((r, k) => ({
    label: `${r.optimizer.kind} LR ${r.optimizer.lr}, d ${r.optimizer.d}: ${r.status}`,
    color: SERIES_COLORS[k % SERIES_COLORS.length],
  }));
  return finish(o, 'momentum-sim', two ? 'Momentum: paths in the plane' : 'Momentum: x_t over the steps', entries, cap);
}

/** The phase diagram's default caption, stating the axes and what the colour shows. */
export function phaseCaption(p: PhaseDiagram): string {
  const r = p.request;
  return `Heavy-ball momentum on f(x) = lambda*x^2/2 from x0 = 1: measured rate per step over h = lr*lambda in [${r.hMin}, ${r.hMax}] and d in [${r.dMin}, ${r.dMax}] (${r.nh} x ${r.nd} cells, ${r.steps} steps); diverged cells in orange, the stability boundary solid, critical damping dashed.`;
}

/** The phase diagram: one rect per cell coloured by the measured rate (diverged: orange), theory lines on top. */
export function phaseFigure(p: PhaseDiagram, caption: string | null): BuiltFigure {
  const cap = (caption ?? phaseCaption(p)).trim();
  const r = p.request;
  const plotW = W - M.left - M.right;
  const plotH = CHART_H - M.top - M.bottom;
  const x: Scale =
    r.hScale === 'log'
      ? scaleLog().domain([r.hMin, r.hMax]).range([0, plotW])
      : scaleLinear().domain([r.hMin, r.hMax]).range([0, plotW]);
  const y = scaleLinear().domain([r.dMin, r.dMax]).range([plotH, 0]);
  const colour = scaleLinear<string>().domain([0, 1]).range(['#f2f6fb', '#0a3d62']).clamp(true);
  const o: string[] = [`<g transform="translate(${M.left},${M.top})">`];
  const cw = plotW / r.nh;
  const ch = plotH / r.nd;
  // The rate in 32 shades; neighbouring cells of one row with the same shade are one rect (a file of kilobytes).
  const shade = (c: number) => (p.diverged[c] ? -1 : Math.round(Math.min(1, Math.max(0, p.rate[c])) * 32));
  for (let j = 0; j < r.nd; j++) {
    for (let i = 0; i < r.nh;) {
      const s0 = shade(j * r.nh + i);
      let n = 1;
      while (i + n < r.nh && shade(j * r.nh + i + n) === s0) n++;
      const fill = s0 < 0 ? '#e69f00' : colour(s0 / 32);
      o.push(
        `<rect x="${px(i * cw)}" y="${px(plotH - (j + 1) * ch)}" width="${px(n * cw + 0.3)}" height="${px(ch + 0.3)}" fill="${fill}"${s0 < 0 ? ` data-diverged="${n}"` : ''}/>`,
      );
      i += n;
    }
  }
  frame(o, x, y, plotW, plotH, 'h = lr * lambda', 'momentum d');
  const box = { hMin: r.hMin, hMax: r.hMax, dMin: r.dMin, dMax: r.dMax, hScale: r.hScale };
  const path = (pts: Polyline) =>
    line<[number, number]>()
      .x((q) => x(q[0]))
      .y((q) => y(q[1]))
      .digits(2)(pts) ?? '';
  const { edge, unitD } = stabilityBoundary(box);
  for (const pts of [edge, unitD])
    if (pts.length > 1)
      o.push(`<path d="${path(pts)}" fill="none" stroke="${INK.text}" stroke-width="2" data-line="stability"/>`);
  const crit = criticalCurve(box);
  if (crit.length > 1)
    o.push(
      `<path d="${path(crit)}" fill="none" stroke="${INK.text}" stroke-width="1.5" stroke-dasharray="5 3" data-line="critical"/>`,
    );
  o.push('</g>');
  const entries = [
    { label: 'stability boundary (rho = 1): h = 2(1 + d), and d = 1 for h <= 4', color: INK.text },
    { label: 'critical damping: d = (1 - sqrt(h))^2', color: INK.text, dash: '5 3' },
    {
      label: `measured rate per step: light ${num(0)} (fast decay) to dark 1 (no decay); orange: diverged`,
      color: '#e69f00',
    },
  ];
  return finish(o, 'momentum-phase', 'Phase diagram of heavy-ball momentum', entries, cap);
}
