import { legendLabels, legendSummary } from '../../../src-core/contracts/session-legend';
import type { RunCurves, SessionSummary, SimRecord } from '../../../src-core/contracts/session-types';
import { trainCaption } from '../../../src-core/contracts/train-config';
import { fmtPct } from '../../../src-core/format';
import { lineChartSvg, SERIES_COLORS, type ChartSeries } from './export-chart';
import { html, trusted, type Html } from './html';
import { reportPage } from './report-page';
import { runChartSvg } from './run-chart';
import { sharpnessReportFigure } from './report-sharpness';

// A session as one self-contained HTML file: the session's comparison
// figures, then per run its figure, configuration table and notes. Inline
// SVG and CSS only (no scripts, no external files); prints to PDF with one
// run per page. Every field goes through the html template (html.ts), which
// escapes whatever it is given: no field of any table can add markup.

export interface ReportFigure {
  svg: string;
  caption: string;
}

const pct = (v: number | null) => (v === null ? 'null' : fmtPct(v));
/** A date for the report; a value no Date can hold reads as what it is, never a crash. */
const date = (ms: number | null) => {
  if (ms === null) return '—';
  const d = new Date(ms);
  return Number.isNaN(d.getTime())
    ? `(invalid date ${String(ms)})`
    : d.toISOString().replace('T', ' ').slice(0, 19) + ' UTC';
};

export function figure(svg: string, caption: string, n: number): Html {
  return html`<figure data-report-figure="${n}">${trusted(svg)}<figcaption><b>Figure ${n}.</b> ${caption}</figcaption></figure>`;
}

export function configTable(c: RunCurves): Html {
  const r = c.run;
  const rows: [string, string][] = [
    ['Status', `${r.status}${r.message ? ` — ${r.message}` : ''}`],
    ['Hidden units (HL)', String(r.config.hidden)],
    ['Batch size (BS)', String(r.config.batchSize)],
    ['Learning rate (LR)', String(r.config.lr)],
    ['Epochs', String(r.config.epochs)],
    ['Optimizer', `${r.config.optimizer}, d = ${r.config.momentum}`],
    ['Activation / loss', `${r.config.activation} / ${r.config.loss}`],
    [
      'Training images',
      r.config.perClass === null ? `all (${r.trainSize})` : `${r.config.perClass} per class (${r.trainSize})`,
    ],
    ['Seed', String(r.config.seed)],
    ['Evaluate every', `${r.config.evalEvery} iterations`],
    ['Dataset', `${r.datasetName} (${r.datasetId})`],
    ['Iterations', `${r.itersDone} of ${r.totalIters}`],
    ['Final test accuracy', pct(r.finalTestAcc)],
    [
      'Validation images',
      (r.config.validation ?? 0) > 0
        ? `${r.config.validation} (${(r.config.validation ?? 0) / 10} per class, not trained on)`
        : 'none',
    ],
    [
      r.bestOn === 'test'
        ? 'Best test accuracy (chosen on the test set: optimistic)'
        : 'Best point (lowest validation loss); test accuracy there',
      `${pct(r.bestTestAcc)}${r.bestIter !== null ? ` at iteration ${r.bestIter}` : ''}`,
    ],
    ['Training time', `${(Number(r.elapsedMs) / 1000).toFixed(1)} s`],
    ['Started / ended', `${date(r.startedAt)} / ${date(r.endedAt)}`],
    ['Lab version', r.appVersion],
  ];
  return html`<table>${rows.map(([k, v]) => html`<tr><th>${k}</th><td>${v}</td></tr>`)}</table>`;
}

/**
 * How a run shows in a comparison: a run that diverged and a run with a single evaluation draw no line (a dot
 * marks them, export-chart.ts), so the legend says why; '' for any other run.
 */
export function comparisonMark(c: RunCurves): string {
  const marks: string[] = [];
  if (c.run.status === 'diverged') marks.push('diverged');
  if (c.points.length === 1) marks.push('1 evaluation');
  if (c.points.length === 0) marks.push('no evaluation');
  return marks.length ? ` [${marks.join(', ')}]` : '';
}

export interface ReportOptions {
  /** The report's title (default: the session's name), e.g. a study's name. */
  title?: string;
  /** Say that these are some of the session's runs (the runs compared), not all of them. */
  selection?: boolean;
}

export function buildReport(
  session: SessionSummary,
  curves: readonly RunCurves[],
  extra: readonly ReportFigure[],
  sims: readonly SimRecord[] = [],
  options: ReportOptions = {},
): string {
  const title = options.title ?? session.name;
  let n = 0;
  const body: Html[] = [];
  for (const f of extra) body.push(figure(f.svg, f.caption, ++n));
  // The session-wide comparison, unless the caller brought its own figures (the Compare view does).
  if (curves.length > 1 && extra.length === 0) {
    const labels = legendLabels(curves.map((c) => ({ name: c.run.name, config: c.run.config })));
    const summary = legendSummary(curves.map((c) => ({ name: c.run.name, config: c.run.config })));
    for (const [key, yLabel] of [
      ['testAcc', 'test accuracy'],
      ['testLoss', 'test loss'],
    ] as const) {
      const marked = curves.filter((c) => comparisonMark(c) !== '').length;
      const note = marked
        ? `; ${marked} run${marked === 1 ? '' : 's'} marked [diverged] or [1 evaluation] show as a dot or a cut line`
        : '';
      const caption = `${title}: ${yLabel} of ${curves.length} runs${summary ? `; ${summary}` : ''}${note}.`;
      const svg = lineChartSvg({
        id: `session-${key}`,
        width: 640,
        height: 300,
        xLabel: 'iteration',
        yLabel,
        percent: key === 'testAcc',
        caption: '', // printed as the figcaption
        series: curves.map((c, i) => ({
          label: `${labels[i]}${comparisonMark(c)}`,
          color: SERIES_COLORS[i % SERIES_COLORS.length],
          xs: c.points.map((p) => p.iter),
          ys: c.points.map((p) => p[key]),
        })),
      });
      body.push(figure(svg, caption, ++n));
    }
  }
  const runs = curves.map((c) => {
    const caption = trainCaption(c.run.config, c.run.name);
    const xs = c.points.map((p) => p.iter);
    const hasVal = c.points.length > 0 && c.points.every((p) => p.valLoss !== undefined && p.valAcc !== undefined);
    // Per measure: train (dashed), validation (when the run has one) and test.
    const series = (measure: keyof typeof SPLITS): ChartSeries[] => {
      const k = SPLITS[measure];
      return [
        { label: `train ${measure}`, color: SERIES_COLORS[0], xs, ys: c.points.map((p) => p[k.train]), dashed: true },
        ...(hasVal
          ? [{ label: `validation ${measure}`, color: SERIES_COLORS[2], xs, ys: c.points.map((p) => p[k.val]!) }]
          : []),
        { label: `test ${measure}`, color: SERIES_COLORS[1], xs, ys: c.points.map((p) => p[k.test]) },
      ];
    };
    const loss = runChartSvg(c, 'loss', 'loss', series('loss'));
    const acc = runChartSvg(c, 'acc', 'accuracy', series('accuracy'), { percent: true });
    const notes = String(c.run.notes).trim() ? html`<h3>Notes</h3><p class="notes">${c.run.notes}</p>` : '';
    const sharp = sharpnessReportFigure(c);
    const figs = [
      figure(loss, `Loss. ${caption}`, ++n),
      figure(acc, `Accuracy. ${caption}`, ++n),
      ...(sharp ? [figure(sharp.svg, sharp.caption, ++n)] : []),
    ];
    return html`<section class="run"><h2>${c.run.name}</h2>${configTable(c)}${notes}<div class="figs">${figs}</div></section>`;
  });
  const num = (v: number) => (typeof v === 'number' && Number.isFinite(v) ? String(+v.toPrecision(6)) : String(v));
  const simRows = sims.flatMap((s) =>
    s.runs.map((r, i) => {
      const o = s.request.objective;
      const params = Object.entries(o.params)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ');
      const head =
        i === 0
          ? html`<td rowspan="${s.runs.length}">${s.name}${s.notes ? html`<br><i>${s.notes}</i>` : ''}</td><td rowspan="${s.runs.length}">${o.name} ${params}; start (${s.request.start.join(', ')}); ${s.request.steps} steps</td>`
          : '';
      return html`<tr>${head}<td>${r.kind}, LR ${r.lr}, d ${r.d}</td><td>${r.status}</td><td>${r.final.map(num).join(', ')}</td><td>${num(r.finalF)}</td></tr>`;
    }),
  );
  const simSection = html`<section class="sims"><h2>Simulations</h2><table><tr><th>Name</th><th>Objective</th><th>Optimizer</th><th>Status</th><th>Final x</th><th>Final f</th></tr>${simRows}</table></section>`;
  const intro = html`${options.title && options.title !== session.name ? `From the session ${session.name}: ` : ''}${curves.length} training run${curves.length === 1 ? '' : 's'}${options.selection ? ' (the runs compared)' : ''}${sims.length ? `, ${sims.length} simulation${sims.length === 1 ? '' : 's'}` : ''}. Exported ${date(Date.now())} from Momentum Lab.`;
  return reportPage(title, REPORT_CSS, intro, [...body, ...runs, ...(sims.length ? [simSection] : [])]);
}

/** Each measure's fields of an evaluation point, by split. */
const SPLITS = {
  loss: { train: 'trainLoss', val: 'valLoss', test: 'testLoss' },
  accuracy: { train: 'trainAcc', val: 'valAcc', test: 'testAcc' },
} as const;

/** The session report's own style rules (reportPage has the shared ones). */
const REPORT_CSS = `  h3 { font-size: 14px; }
  figure { margin: 12px 0; display: inline-block; vertical-align: top; max-width: 100%; }
  figure svg { max-width: 100%; height: auto; }
  figcaption { font-size: 13px; max-width: 640px; }
  th { font-weight: 600; color: #333; }
  .notes { white-space: pre-wrap; }
  @media print { body { margin: 0; max-width: none; } .run { break-before: page; } figure { break-inside: avoid; } }`;
