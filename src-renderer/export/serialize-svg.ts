// Turns a chart's live <svg data-figure> into a standalone SVG document for a
// report: computed styles inlined as presentation attributes (theme variables
// resolved, in the light theme), a font stack every viewer has, interactive
// parts removed, no scripts or handlers, a white background, and the caption
// wrapped below the figure.

import { wrapText } from '../../src-core/text-wrap';

export const EXPORT_FONT = "'DejaVu Sans', 'Helvetica Neue', Arial, Helvetica, sans-serif";
const SVG_NS = 'http://www.w3.org/2000/svg';

const PROPS = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'stroke-linejoin',
  'stroke-linecap',
  'opacity',
  'font-size',
  'font-weight',
  'font-style',
  'text-anchor',
  'dominant-baseline',
  'visibility',
] as const;

/** Parts of a live chart that are for the screen only (hover, hit areas, existing caption). */
const SCREEN_ONLY = '.hit, .crosshair, .hover-dot, .caption, [data-export="skip"]';

export interface SerializedFigure {
  svg: string;
  width: number;
  height: number;
}

// Greedy word wrap by measured text width: the one rule of every figure's caption (src-core/text-wrap.ts).
export { wrapText };

function measurer(fontSize: number): (s: string) => number {
  const ctx = document.createElement('canvas').getContext('2d');
  if (!ctx) return (s) => s.length * fontSize * 0.6;
  ctx.font = `italic ${fontSize}px ${EXPORT_FONT}`;
  return (s) => ctx.measureText(s).width;
}

/**
 * Copy computed styles of `src` and its descendants onto the parallel clone
 * `dst` as attributes: inherited properties only where they differ from the
 * parent's, opacity only when not 1, so the file stays small and readable.
 */
function inlineStyles(src: Element, dst: Element, parent: Map<string, string> | null = null): void {
  if (src.matches(SCREEN_ONLY)) {
    dst.setAttribute('data-export-remove', '');
    return;
  }
  const cs = getComputedStyle(src);
  const mine = new Map<string, string>();
  for (const p of PROPS) {
    const v = cs.getPropertyValue(p);
    mine.set(p, v);
    if (!v) continue;
    if (p === 'opacity') {
      if (v === '1') continue;
    } else if (parent === null ? v === 'normal' || v === 'none' || v === 'auto' : parent.get(p) === v) continue;
    dst.setAttribute(p, v);
  }
  if (src instanceof SVGTextElement || src instanceof SVGTSpanElement) dst.setAttribute('font-family', EXPORT_FONT);
  dst.removeAttribute('style');
  dst.removeAttribute('class');
  dst.removeAttribute('tabindex');
  dst.removeAttribute('role');
  for (const a of [...dst.attributes]) if (/^on/i.test(a.name)) dst.removeAttribute(a.name);
  const s = src.children;
  const d = dst.children;
  for (let i = 0; i < s.length && i < d.length; i++) inlineStyles(s[i], d[i], mine);
}

/** Serialise a chart for export with `caption` below it. */
export function serializeFigure(svg: SVGSVGElement, caption: string): SerializedFigure {
  const root = document.documentElement;
  const theme = root.getAttribute('data-theme');
  root.setAttribute('data-theme', 'light'); // figures go on paper
  let clone: SVGSVGElement;
  try {
    clone = svg.cloneNode(true) as SVGSVGElement;
    inlineStyles(svg, clone);
  } finally {
    if (theme === null) root.removeAttribute('data-theme');
    else root.setAttribute('data-theme', theme);
  }
  for (const el of [...clone.querySelectorAll('[data-export-remove]')]) el.remove();
  for (const el of [...clone.querySelectorAll('script, foreignObject, a')]) el.remove();

  const box = svg.viewBox.baseVal;
  const width = Math.round(box && box.width > 0 ? box.width : svg.clientWidth);
  const fullH = Math.round(box && box.height > 0 ? box.height : svg.clientHeight);
  // The on-screen caption (the chart's bottom lines, removed above) gives its room to the export's own caption.
  const captionTops = [...svg.querySelectorAll<SVGGraphicsElement>('text.caption')].map((t) => {
    const r = t.getBoundingClientRect();
    return r.height > 0 ? r.top - svg.getBoundingClientRect().top : Infinity;
  });
  const chartH = Math.min(fullH, Math.ceil(Math.min(...captionTops, Infinity)) + 2);
  const fontSize = 12;
  const lines = caption.trim() ? wrapText(caption.trim(), width - 24, measurer(fontSize)) : [];
  const height = chartH + (lines.length ? lines.length * 16 + 12 : 0);

  clone.setAttribute('xmlns', SVG_NS);
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  clone.setAttribute('viewBox', `0 0 ${width} ${height}`);
  clone.setAttribute('font-family', EXPORT_FONT);
  clone.setAttribute('data-caption', caption);
  clone.removeAttribute('aria-label');
  clone.setAttribute('role', 'img');

  const bg = document.createElementNS(SVG_NS, 'rect');
  for (const [k, v] of Object.entries({
    x: '0',
    y: '0',
    width: String(width),
    height: String(height),
    fill: '#ffffff',
  }))
    bg.setAttribute(k, v);
  clone.insertBefore(bg, clone.firstChild);

  const title = document.createElementNS(SVG_NS, 'title');
  title.textContent = caption;
  clone.insertBefore(title, clone.firstChild);

  lines.forEach((line, i) => {
    const t = document.createElementNS(SVG_NS, 'text');
    for (const [k, v] of Object.entries({
      x: String(width / 2),
      y: String(chartH + 14 + i * 16),
      'text-anchor': 'middle',
      'font-size': String(fontSize),
      'font-style': 'italic',
      fill: '#1d2330',
      'font-family': EXPORT_FONT,
      'data-caption-line': '',
    }))
      t.setAttribute(k, v);
    t.textContent = line;
    clone.appendChild(t);
  });
  const text = new XMLSerializer().serializeToString(clone);
  return { svg: text, width, height };
}
