import { comparisonCaption, namedLegendLabels } from '../../../src-core/contracts/session-legend';
import type { EvalSnapshot, RunCurves } from '../../../src-core/contracts/session-types';
import { ASSIGNMENT_PRESETS, assignmentCaption } from '../../../src-core/studies/assignment';
import { FIGURE_FONT, lineChartSvg, SERIES_COLORS } from './export-chart';
import { comparisonMark, configTable, figure } from './export-report';
import { grayPng } from './png-gray';
import { esc } from './export-chart';
import { html, type Html } from './html';
import { reportPage } from './report-page';

// The assignment's report: per simulation its settings, the loss and accuracy figure and the galleries of
// misclassified and correctly classified test digits, captioned in the report style ("Figure 3. Simulation 2; BS:32;
// LR:0.1; EPOCHS: 4; HL: 64."); then the learning-rate comparison (Simulations 2 and 3) and the training-set-size
// comparison (Simulations 2, 4 and 5). One self-contained HTML file: inline SVG, the digits as PNG data URIs.

/** One simulation's run with what its galleries need. */
export interface AssignmentRun extends RunCurves {
  /** The last evaluation's test-set snapshot (null: none recorded). */
  last: EvalSnapshot | null;
}

/** The test images the galleries draw from, or why there are none (another dataset is open). */
export type TestImages =
  { rows: number; cols: number; pixels: (index: number) => Uint8Array; labels: Uint8Array } | { missing: string };

/** Digits a gallery shows. */
export const GALLERY_SIZE = 16;

interface Digit {
  index: number;
  truth: number;
  predicted: number;
}

/** The most confident mistakes (up to GALLERY_SIZE) and the first correctly classified test digits, from a snapshot. */
export function galleryDigits(last: EvalSnapshot, labels: Uint8Array): { wrong: Digit[]; right: Digit[] } {
  const order = Array.from(last.misclassified, (_, k) => k).sort(
    (a, b) => last.misConfidence[b] - last.misConfidence[a] || a - b,
  );
  const wrong = order.slice(0, GALLERY_SIZE).map((k) => ({
    index: last.misclassified[k],
    truth: labels[last.misclassified[k]],
    predicted: last.misPredicted[k],
  }));
  const right: Digit[] = [];
  for (let i = 0; i < last.predicted.length && right.length < GALLERY_SIZE; i++) {
    if (last.predicted[i] === labels[i]) right.push({ index: i, truth: labels[i], predicted: labels[i] });
  }
  return { wrong, right };
}

/** A gallery as SVG: 8 digits a row, each drawn dark on white with "true → predicted" (or its label) under it. */
function gallerySvg(
  id: string,
  title: string,
  digits: Digit[],
  images: Extract<TestImages, { rows: number }>,
  showPrediction: boolean,
): string {
  const cell = 56;
  const perRow = 8;
  const rows = Math.max(1, Math.ceil(digits.length / perRow));
  const width = perRow * cell + 16;
  const height = 28 + rows * (cell + 18);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${esc(FIGURE_FONT)}" font-size="12" data-figure="${esc(id)}">`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="8" y="18" fill="#111111" font-weight="bold">${esc(title)}</text>`,
  ];
  if (digits.length === 0)
    parts.push(`<text x="8" y="48" fill="#333333" data-empty="">none at the last evaluation</text>`);
  digits.forEach((d, k) => {
    const x = 8 + (k % perRow) * cell;
    const y = 28 + Math.floor(k / perRow) * (cell + 18);
    const ink = images.pixels(d.index).map((p) => 255 - p); // MNIST is light on dark; print dark on light
    const png = grayPng(ink, images.cols, images.rows).toString('base64');
    parts.push(
      `<image x="${x + 4}" y="${y}" width="48" height="48" href="data:image/png;base64,${png}" style="image-rendering: pixelated" data-digit="${d.index}"/>`,
    );
    const label = showPrediction ? `${d.truth} → ${d.predicted}` : String(d.truth);
    parts.push(
      `<text x="${x + 28}" y="${y + 62}" text-anchor="middle" fill="${showPrediction ? '#b30000' : '#111111'}">${esc(label)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}

/** Loss and accuracy of one run side by side (test solid, train dashed, validation where recorded). */
function curvesSvgs(c: RunCurves): string {
  const xs = c.points.map((p) => p.iter);
  const hasVal = c.points.length > 0 && c.points.every((p) => p.valLoss !== undefined && p.valAcc !== undefined);
  const chart = (kind: 'Loss' | 'Acc') => {
    const name = kind === 'Loss' ? 'loss' : 'accuracy';
    return lineChartSvg({
      id: `assignment-${c.run.id}-${name}`,
      width: 440,
      height: 240,
      xLabel: 'iteration',
      yLabel: name,
      caption: '',
      percent: kind === 'Acc',
      series: [
        {
          label: `train ${name}`,
          color: SERIES_COLORS[0],
          xs,
          ys: c.points.map((p) => p[`train${kind}`]),
          dashed: true,
        },
        ...(hasVal
          ? [
              {
                label: `validation ${name}`,
                color: SERIES_COLORS[2],
                xs,
                ys: c.points.map((p) => (kind === 'Loss' ? p.valLoss! : p.valAcc!)),
              },
            ]
          : []),
        { label: `test ${name}`, color: SERIES_COLORS[1], xs, ys: c.points.map((p) => p[`test${kind}`]) },
      ],
    });
  };
  return `<div class="pair">${chart('Loss')}${chart('Acc')}</div>`;
}

/** Test loss and test accuracy of several runs, side by side, on the x axis given. */
function comparisonSvgs(id: string, runs: readonly RunCurves[], x: 'iter' | 'epoch'): string {
  const labels = namedLegendLabels(runs.map((c) => ({ name: c.run.name, config: c.run.config })));
  const chart = (key: 'testLoss' | 'testAcc') =>
    lineChartSvg({
      id: `${id}-${key}`,
      width: 440,
      height: 260,
      xLabel: x === 'iter' ? 'iteration' : 'epoch',
      yLabel: key === 'testLoss' ? 'test loss' : 'test accuracy',
      caption: '',
      integerX: x === 'iter',
      percent: key === 'testAcc',
      series: runs.map((c, i) => ({
        label: `${labels[i]}${comparisonMark(c)}`,
        color: SERIES_COLORS[i % SERIES_COLORS.length],
        xs: c.points.map((p) => p[x]),
        ys: c.points.map((p) => p[key]),
      })),
    });
  return `<div class="pair">${chart('testLoss')}${chart('testAcc')}</div>`;
}

/** The runs of the presets in `which`, in the assignment's order (the newest run of each name). */
function runsFor(runs: readonly AssignmentRun[], which: 'lr' | 'trainSize'): AssignmentRun[] {
  return ASSIGNMENT_PRESETS.filter((p) => p.compare.includes(which))
    .map((p) => runs.filter((r) => r.run.name === p.name).at(-1))
    .filter((r): r is AssignmentRun => r !== undefined);
}

export function buildAssignmentReport(
  title: string,
  sessionName: string,
  runs: readonly AssignmentRun[],
  images: TestImages,
): string {
  let n = 0;
  const sections: Html[] = runs.map((c) => {
    const caption = assignmentCaption(c.run.name, c.run.config);
    const curves = figure(
      curvesSvgs(c),
      `${caption}${c.points.length === 1 ? ' One evaluation: its values are the dots.' : ''}`,
      ++n,
    );
    let galleries: Html;
    if ('missing' in images) {
      galleries = html`<p class="note">${images.missing}</p>`;
    } else if (!c.last || c.last.predicted.length !== images.labels.length) {
      galleries = html`<p class="note">No test-set predictions were recorded for this run: no galleries.</p>`;
    } else {
      const { wrong, right } = galleryDigits(c.last, images.labels);
      const svgs = `<div class="pair">${gallerySvg(`assignment-${c.run.id}-misclassified`, `Misclassified (${c.last.misclassified.length} of ${c.last.predicted.length})`, wrong, images, true)}${gallerySvg(`assignment-${c.run.id}-correct`, 'Correctly classified', right, images, false)}</div>`;
      const text = `${c.run.name}: misclassified test digits (left; true → predicted, most confident mistakes first) and correctly classified ones (right) at iteration ${c.last.iter}. ${caption.slice(c.run.name.length + 2)}`;
      galleries = figure(svgs, text, ++n);
    }
    return html`<section class="run"><h2>${c.run.name}</h2>${configTable(c)}${curves}${galleries}</section>`;
  });
  // The comparisons at the end: one section each, when the session holds more than one of its runs.
  const endings: Html[] = COMPARISONS.flatMap((e) => {
    const group = runsFor(runs, e.kind);
    if (group.length <= 1) return [];
    const caption = comparisonCaption(
      e.caption,
      group.map((c) => c.run.config),
    );
    return [
      html`<section class="end"><h2>${e.title}</h2>${figure(comparisonSvgs(e.id, group, e.x), caption, ++n)}</section>`,
    ];
  });
  const date = new Date().toISOString().replace('T', ' ').slice(0, 19);
  const intro = html`The assignment's ${runs.length} simulations from the session ${sessionName}, each with its loss and accuracy and its digits, then the learning-rate and training-set-size comparisons. Exported ${date} UTC from Momentum Lab.`;
  return reportPage(title, ASSIGNMENT_CSS, intro, [...sections, ...endings]);
}

/** The comparisons that end the assignment report, in order. */
const COMPARISONS = [
  {
    kind: 'lr',
    title: 'Learning rate',
    id: 'assignment-lr',
    x: 'epoch',
    caption: 'Learning rate comparison (Simulations 2 and 3): test loss (left) and test accuracy (right) by epoch',
  },
  {
    kind: 'trainSize',
    title: 'Training-set size',
    id: 'assignment-size',
    x: 'iter',
    caption:
      'Training-set size comparison (Simulations 2, 4 and 5): test loss (left) and test accuracy (right) by iteration',
  },
] as const;

/** The assignment report's own style rules (reportPage has the shared ones). */
const ASSIGNMENT_CSS = `  figure { margin: 12px 0; max-width: 100%; }
  .pair { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-start; }
  .pair svg { max-width: 100%; height: auto; }
  figcaption { font-size: 13px; max-width: 900px; }
  .note { font-style: italic; color: #444; }
  @media print { body { margin: 0; max-width: none; } .run, .end { break-before: page; } figure { break-inside: avoid; } }`;
