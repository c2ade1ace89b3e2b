import { estimateTextWidth, wrapText } from '../../src-core/text-wrap';
import { escapeHtml } from '../services/export/html';

// What every figure the main process writes shares: the export font, the
// series colours, text escaping and text widths (estimated from the export
// font: the main process cannot measure text).

export const FIGURE_FONT = "'DejaVu Sans', 'Helvetica Neue', Arial, Helvetica, sans-serif";
/** Okabe–Ito, as the app's --series-* tokens. */
export const SERIES_COLORS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#000000', '#f0e442'];
/** Text colours on paper (the app's light theme). */
export const INK = { text: '#1d2330', soft: '#4a5260', grid: '#d8dce3', frame: '#b8bec8' };

/** Any value as text safe inside an SVG element or a quoted attribute: the report's one escaping function. */
export { escapeHtml as esc } from '../services/export/html';

/** A coordinate with at most two decimals ("12.5", "3"), so files stay small and identical across runs. */
export function px(v: number): string {
  return String(Math.round(v * 100) / 100);
}

/** Width of text at `size` px in the export font (an over-estimate, so what is laid out fits). */
export function textWidth(text: string, size: number): number {
  return estimateTextWidth(text, size);
}

/** The lines of `text` at `size` px no wider than `maxWidth`. */
export function wrapAt(text: string, maxWidth: number, size: number): string[] {
  return wrapText(text.trim(), Math.max(40, maxWidth), (s) => estimateTextWidth(s, size));
}

/** Legend text size, line height of wrapped legend text, and the width of a legend entry's swatch. */
const LEGEND_SIZE = 11;
export const LINE_H = 14;
export const SWATCH = 28;

/** Flow legend entries left to right into rows no wider than `width`; a label wider than a row wraps. */
export function flow<T extends { label: string }>(entries: readonly T[], width: number) {
  const out: { item: T; x: number; y: number; lines: string[] }[] = [];
  let x = 0;
  let y = 0;
  let rowLines = 1;
  for (const item of entries) {
    const w = SWATCH + textWidth(item.label, LEGEND_SIZE);
    const lines = w > width ? wrapAt(item.label, width - SWATCH, LEGEND_SIZE) : [item.label];
    const itemW = lines.length > 1 ? width : w;
    if (x > 0 && x + itemW > width) {
      y += 18 + (rowLines - 1) * LINE_H;
      x = 0;
      rowLines = 1;
    }
    out.push({ item, x, y, lines });
    rowLines = Math.max(rowLines, lines.length);
    x += itemW + 14;
  }
  return { items: out, height: out.length === 0 ? 0 : y + 18 + (rowLines - 1) * LINE_H };
}

/**
 * One SVG element as text: `<tag k="v" …/>`, or `<tag …>text</tag>` with text; attributes whose value is undefined
 * or false are left out; values and text are escaped.
 */
export function el(tag: string, attrs: Record<string, string | number | undefined | false>, text?: string): string {
  const a = Object.entries(attrs)
    .filter(([, v]) => v !== undefined && v !== false)
    .map(([k, v]) => ` ${k}="${escapeHtml(v)}"`)
    .join('');
  return text === undefined ? `<${tag}${a}/>` : `<${tag}${a}>${escapeHtml(text)}</${tag}>`;
}
