import { max } from 'd3-array';
import { format } from 'd3-format';
import { scaleLinear, scaleLog, type ScaleLinear, type ScaleLogarithmic } from 'd3-scale';
import { line } from 'd3-shape';
import type { CompareFigureRequest, FigureXAxis } from '../../src-core/contracts/api-figures';
import { comparisonCaption, legendLabels } from '../../src-core/contracts/session-legend';
import type { RunCurves } from '../../src-core/contracts/session-types';
import { X_LABELS, type XAxis } from '../../src-core/train/compare-series';
import { metricSeries, type MetricSeries } from '../../src-core/train/metric-series';
import { esc, FIGURE_FONT, flow, INK, LINE_H, px, SERIES_COLORS, SWATCH, textWidth, wrapAt } from './figure-style';

// The comparison figure: recorded runs overlaid on one chart, as Compare
// shows them (test solid, train dashed, validation dotted, the best point
// ringed; a faint raw curve under a smoothed one), with the legend built from
// what differs between the runs and a caption in the report's style. The one
// builder of this figure: Compare's SVG/PNG export (through the
// exportCompareFigure service) and `momentum-lab figure` both call it, so
// they write the same bytes for the same selection. d3 computes scales,
// ticks and paths; the text is laid out by the export font's estimated widths.

/** The figure's size in SVG units: fixed, so the same selection always gives the same file. */
export const FIGURE_WIDTH = 720;
const CHART_H = 340;
const M = { top: 30, right: 20, bottom: 46 };
const LEFT0 = 64;
const TICK_SIZE = 11;
const CAPTION_SIZE = 12;

export interface BuiltFigure {
  /** data-figure id, also the default file name ("compare-loss"). */
  id: string;
  svg: string;
  width: number;
  height: number;
  caption: string;
}

const AXIS_OF: Record<FigureXAxis, XAxis> = { iteration: 'iter', epoch: 'epoch', examples: 'examples', time: 'time' };

const PCT = '\u00a0%';
const lossText = format(',.3~r');
const pctText = (v: number) => format('.1~%')(v).replace('%', PCT);
const intText = format(',d');
const realText = format(',.3~r');

interface Series extends MetricSeries {
  id: string;
  label: string;
  color: string;
}

/** The caption the figure gets by default: "Test and train loss; LR: 0.01 / 0.1; BS:32; …." (comparisonCaption). */
export function defaultCaption(curves: readonly RunCurves[], req: Pick<CompareFigureRequest, 'metrics'>): string {
  const { showTest, showTrain, kind } = shown(req.metrics);
  const what = showTest && showTrain ? 'Test and train' : showTest ? 'Test' : 'Train';
  return comparisonCaption(
    `${what} ${kind === 'loss' ? 'loss' : 'accuracy'}`,
    curves.map((c) => c.run.config),
  );
}

function shown(metrics: readonly string[]) {
  const kind = metrics[0].endsWith('loss') ? ('loss' as const) : ('acc' as const);
  return { kind, showTest: metrics.includes(`test-${kind}`), showTrain: metrics.includes(`train-${kind}`) };
}

function finiteExtent(values: readonly number[], log: boolean): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) if (Number.isFinite(v) && (!log || v > 0)) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  if (lo === Infinity) return log ? [0.01, 10] : [0, 1];
  if (lo === hi) return log ? [lo / 2, hi * 2] : [lo - 0.5, hi + 0.5];
  return [lo, hi];
}

/** Build the comparison figure of `curves` (in the order given) for `req`. */
export function compareFigure(curves: readonly RunCurves[], req: CompareFigureRequest): BuiltFigure {
  const { kind, showTest, showTrain } = shown(req.metrics);
  const axis = AXIS_OF[req.x];
  const yLog = kind === 'loss' && req.yLog;
  const caption = (req.caption ?? defaultCaption(curves, req)).trim();
  const labels = legendLabels(curves.map((c) => ({ name: c.run.name, config: c.run.config })));
  const metric = kind === 'loss' ? 'Loss' : 'Acc';
  const series: Series[] = curves.map((c, i) => ({
    id: c.run.id,
    label: labels[i],
    color: SERIES_COLORS[i % SERIES_COLORS.length],
    ...metricSeries(c.points, { axis, metric, smoothing: req.smooth }),
  }));
  const smoothed = req.smooth > 0;
  const fmtY = kind === 'loss' ? lossText : pctText;
  const integerX = axis === 'iter' || axis === 'examples';
  const fmtX = integerX ? intText : realText;

  // y: the shown values' range (a log axis for loss on request; accuracy clamped to [0, 1] or its full range).
  const plotH = CHART_H - M.top - M.bottom;
  const yValues = series.flatMap((s) => [
    ...(showTest ? [...s.testShown, ...(s.valShown ?? [])] : []),
    ...(showTrain ? s.trainShown : []),
  ]);
  let y: ScaleLinear<number, number> | ScaleLogarithmic<number, number>;
  if (yLog) {
    const [lo, hi] = finiteExtent(yValues, true);
    y = scaleLog()
      .domain([lo / 1.1, hi * 1.1])
      .range([plotH, 0])
      .nice();
  } else if (kind === 'acc' && req.accFull) {
    y = scaleLinear().domain([0, 1]).range([plotH, 0]).nice();
  } else {
    const [lo, hi] = finiteExtent(yValues, false);
    const pad = (hi - lo) * 0.04;
    let d0 = lo - pad;
    let d1 = hi + pad;
    if (kind === 'acc') [d0, d1] = [Math.max(0, d0), Math.min(1, d1)];
    const s = scaleLinear().domain([d0, d1]).range([plotH, 0]).nice();
    if (kind === 'acc') s.domain([Math.max(0, s.domain()[0]), Math.min(1, s.domain()[1])]);
    y = s;
  }
  const nY = Math.max(2, Math.floor(plotH / 45));
  const yTicks = y.ticks(nY).map((t) => {
    if (!yLog) return { t, label: fmtY(t) };
    // A log axis labels its decades (and 2, 5 within a narrow range); other ticks are unlabelled grid lines.
    const mant = Math.round(t / 10 ** Math.floor(Math.log10(t) + 1e-9));
    const decades = y.domain()[1] / y.domain()[0];
    return { t, label: mant === 1 || (decades < 100 && (mant === 2 || mant === 5)) ? fmtY(t) : '' };
  });
  const yTickW = max(yTicks, (t) => textWidth(t.label, TICK_SIZE)) ?? 0;
  const left = Math.max(LEFT0, Math.ceil(yTickW) + 32);
  const plotW = FIGURE_WIDTH - left - M.right;
  const x = scaleLinear()
    .domain(
      finiteExtent(
        series.flatMap((s) => s.xs),
        false,
      ),
    )
    .range([0, plotW])
    .nice();
  const xTicks = x.ticks(Math.max(2, Math.floor(plotW / 90))).filter((t) => !integerX || Number.isInteger(t));
  const [y0, y1] = y.domain();
  const path = (xs: number[], ys: number[]) =>
    line<number>()
      .defined((i) => Number.isFinite(xs[i]) && Number.isFinite(ys[i]) && (!yLog || ys[i] > 0))
      .x((i) => x(xs[i]))
      .y((i) => y(Math.min(Math.max(ys[i], y0), y1)))
      .digits(2)(xs.map((_, i) => i)) ?? '';

  const legendW = FIGURE_WIDTH - LEFT0 - M.right;
  const runLegend = flow(
    series.map((s) => {
      const best =
        s.best >= 0
          ? ` (best ${fmtY(s.test[s.best])} @ ${fmtX(s.xs[s.best])}${s.bestOn === 'validation' ? ', by val. loss' : ''})`
          : '';
      return { s, label: `${s.label}${best}` };
    }),
    legendW,
  );
  type Key = { key: 'test' | 'train' | 'best' | 'val'; label: string };
  const keys: Key[] =
    showTest && showTrain
      ? [
          { key: 'test', label: 'test' },
          { key: 'train', label: 'train' },
          {
            key: 'best',
            label: series.some((s) => s.bestOn === 'validation')
              ? 'best point (lowest validation loss)'
              : 'best test point',
          },
          ...(series.some((s) => s.valShown) ? [{ key: 'val' as const, label: 'validation' }] : []),
        ]
      : [];
  const keyLegend = flow(keys, legendW);
  const captionLines = caption ? wrapAt(caption, FIGURE_WIDTH - 24, CAPTION_SIZE) : [];
  const legendH = runLegend.height + keyLegend.height;
  const chartH = CHART_H + legendH + 10;
  const height = chartH + (captionLines.length ? captionLines.length * 16 + 12 : 0);
  const id = kind === 'loss' ? 'compare-loss' : 'compare-accuracy';
  const title = kind === 'loss' ? 'Loss' : 'Accuracy';
  const yLabel = kind === 'loss' ? 'cross-entropy / MSE loss' : 'accuracy';

  const o: string[] = [];
  o.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${FIGURE_WIDTH}" height="${height}" viewBox="0 0 ${FIGURE_WIDTH} ${height}" font-family="${esc(FIGURE_FONT)}" font-size="11" role="img" data-figure="${id}" data-caption="${esc(caption)}">`,
  );
  o.push(`<title>${esc(caption || `${title}: ${series.map((s) => s.label).join(', ')}`)}</title>`);
  o.push(`<rect x="0" y="0" width="${FIGURE_WIDTH}" height="${height}" fill="#ffffff"/>`);
  o.push(`<text x="${left}" y="18" font-size="13" font-weight="600" fill="${INK.text}">${title}</text>`);
  o.push(`<g transform="translate(${left},${M.top})">`);
  for (const { t, label } of yTicks) {
    o.push(
      `<line x1="0" x2="${px(plotW)}" y1="${px(y(t))}" y2="${px(y(t))}" stroke="${INK.grid}" stroke-width="1"${label === '' ? ' stroke-opacity="0.5"' : ''}/>`,
    );
    if (label) o.push(`<text x="-6" y="${px(y(t) + 4)}" text-anchor="end" fill="${INK.soft}">${esc(label)}</text>`);
  }
  for (const t of xTicks) {
    const w = textWidth(fmtX(t), TICK_SIZE);
    const anchor = x(t) - w / 2 < 0 ? 'start' : x(t) + w / 2 > plotW + M.right - 2 ? 'end' : 'middle';
    o.push(`<line x1="${px(x(t))}" x2="${px(x(t))}" y1="0" y2="${plotH}" stroke="${INK.grid}" stroke-width="1"/>`);
    o.push(`<text x="${px(x(t))}" y="${plotH + 16}" text-anchor="${anchor}" fill="${INK.soft}">${esc(fmtX(t))}</text>`);
  }
  o.push(
    `<rect x="0" y="0" width="${px(plotW)}" height="${plotH}" fill="none" stroke="${INK.frame}" stroke-width="1"/>`,
  );
  for (const s of series) {
    if (showTrain) {
      if (smoothed)
        o.push(
          `<path d="${path(s.xs, s.train)}" fill="none" stroke="${s.color}" stroke-width="1" stroke-opacity="0.2" stroke-dasharray="5 3"/>`,
        );
      o.push(
        `<path d="${path(s.xs, s.trainShown)}" fill="none" stroke="${s.color}" stroke-width="1.6" stroke-dasharray="5 3" data-run="${esc(s.id)}" data-metric="train"/>`,
      );
    }
    if (showTest) {
      if (smoothed)
        o.push(
          `<path d="${path(s.xs, s.test)}" fill="none" stroke="${s.color}" stroke-width="1" stroke-opacity="0.25"/>`,
        );
      o.push(
        `<path d="${path(s.xs, s.testShown)}" fill="none" stroke="${s.color}" stroke-width="2" data-run="${esc(s.id)}" data-metric="test"/>`,
      );
      if (s.valShown)
        o.push(
          `<path d="${path(s.xs, s.valShown)}" fill="none" stroke="${s.color}" stroke-width="1.6" stroke-dasharray="1.5 2.5" data-run="${esc(s.id)}" data-metric="val"/>`,
        );
      const b = s.best;
      if (b >= 0 && Number.isFinite(s.test[b]) && (!yLog || s.test[b] > 0) && Number.isFinite(s.xs[b])) {
        o.push(
          `<circle cx="${px(x(s.xs[b]))}" cy="${px(y(Math.min(Math.max(s.test[b], y0), y1)))}" r="5" fill="#ffffff" stroke="${s.color}" stroke-width="2" data-best="${esc(s.id)}"/>`,
        );
      }
    }
  }
  o.push(
    `<text x="${px(plotW / 2)}" y="${plotH + 36}" text-anchor="middle" font-size="12" fill="${INK.text}">${esc(X_LABELS[axis])}</text>`,
  );
  o.push(
    `<text transform="translate(${-(Math.ceil(yTickW) + 17)},${px(plotH / 2)}) rotate(-90)" text-anchor="middle" font-size="12" fill="${INK.text}">${esc(yLabel)}</text>`,
  );
  o.push('</g>');
  o.push(`<g transform="translate(${LEFT0},${CHART_H + 4})">`);
  for (const l of runLegend.items) {
    o.push(`<g transform="translate(${px(l.x)},${l.y})" data-legend="${esc(l.item.s.label)}">`);
    o.push(`<line x1="0" x2="22" y1="0" y2="0" stroke="${l.item.s.color}" stroke-width="2.5"/>`);
    if (showTest) o.push(`<circle cx="11" cy="0" r="4" fill="#ffffff" stroke="${l.item.s.color}" stroke-width="2"/>`);
    l.lines.forEach((t, i) => o.push(`<text x="${SWATCH}" y="${4 + i * LINE_H}" fill="${INK.text}">${esc(t)}</text>`));
    o.push('</g>');
  }
  for (const k of keyLegend.items) {
    o.push(`<g transform="translate(${px(k.x)},${runLegend.height + k.y})">`);
    const key = k.item.key;
    if (key === 'best') o.push(`<circle cx="11" cy="0" r="4" fill="#ffffff" stroke="${INK.text}" stroke-width="2"/>`);
    else {
      const dash = key === 'train' ? ' stroke-dasharray="5 3"' : key === 'val' ? ' stroke-dasharray="1.5 2.5"' : '';
      o.push(
        `<line x1="0" x2="22" y1="0" y2="0" stroke="${INK.text}" stroke-width="${key === 'test' ? 2 : 1.6}"${dash}/>`,
      );
    }
    k.lines.forEach((t, i) => o.push(`<text x="${SWATCH}" y="${4 + i * LINE_H}" fill="${INK.text}">${esc(t)}</text>`));
    o.push('</g>');
  }
  o.push('</g>');
  if (series.length === 0)
    o.push(`<text x="${FIGURE_WIDTH / 2}" y="${CHART_H / 2}" text-anchor="middle" fill="${INK.soft}">No runs</text>`);
  captionLines.forEach((l, i) => {
    o.push(
      `<text x="${FIGURE_WIDTH / 2}" y="${chartH + 14 + i * 16}" text-anchor="middle" font-size="${CAPTION_SIZE}" font-style="italic" fill="${INK.text}" data-caption-line="">${esc(l)}</text>`,
    );
  });
  o.push('</svg>');
  return { id, svg: `${o.join('\n')}\n`, width: FIGURE_WIDTH, height, caption };
}
