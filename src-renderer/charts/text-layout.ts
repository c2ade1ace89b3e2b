// Text layout for the SVG figures: captions wrapped into lines and legends
// flowed into rows, both by MEASURED width, so nothing runs off a figure or
// into another label. Text is measured with a canvas in both the app's font
// and the export font (serialize-svg's EXPORT_FONT) and the wider one counts,
// so a layout that fits on screen fits in the exported SVG/PNG too.

import { wrapText } from '../../src-core/text-wrap';

/** The app's UI font stack (app.css) and the export's (serialize-svg.ts). */
const APP_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
const EXPORT_FONT = "'DejaVu Sans', 'Helvetica Neue', Arial, Helvetica, sans-serif";

/** A font as the charts draw it: size in px, italic or bold where the CSS says so. */
export interface TextFont {
  size: number;
  italic?: boolean;
  bold?: boolean;
}

export type Measure = (text: string, font: TextFont) => number;

let ctx: CanvasRenderingContext2D | null | undefined;
const cache = new Map<string, number>();

/** Measured width in px (the wider of the app and export fonts); an estimate where no canvas exists. */
export const measureText: Measure = (text, font) => {
  const key = `${font.size}|${font.italic ? 1 : 0}|${font.bold ? 1 : 0}|${text}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  if (ctx === undefined)
    ctx = typeof document === 'undefined' ? null : document.createElement('canvas').getContext('2d');
  let w: number;
  if (!ctx) w = text.length * font.size * 0.62;
  else {
    const style = `${font.italic ? 'italic ' : ''}${font.bold ? '600 ' : ''}${font.size}px`;
    ctx.font = `${style} ${APP_FONT}`;
    const a = ctx.measureText(text).width;
    ctx.font = `${style} ${EXPORT_FONT}`;
    w = Math.max(a, ctx.measureText(text).width);
  }
  if (cache.size > 5000) cache.clear();
  cache.set(key, w);
  return w;
};

export { wrapText };

/** The lines of a caption at `font` in `maxWidth` px. */
export function captionLines(
  text: string,
  maxWidth: number,
  font: TextFont = CAPTION_FONT,
  measure: Measure = measureText,
): string[] {
  return wrapText(text.trim(), Math.max(40, maxWidth), (s) => measure(s, font));
}

export const CAPTION_FONT: TextFont = { size: 11, italic: true };
export const LEGEND_FONT: TextFont = { size: 11 };
export const TICK_FONT: TextFont = { size: 11 };
/** Line height of captions and legend text. */
export const LINE_H = 14;

export interface LegendItemIn {
  label: string;
}
export interface LegendPlace<T> {
  item: T;
  /** Offset of the swatch's left edge and of the row's first line's baseline centre. */
  x: number;
  y: number;
  /** The label's lines (more than one only when a label is wider than the whole legend). */
  lines: string[];
}
export interface LegendLayout<T> {
  items: LegendPlace<T>[];
  /** Total height of the legend in px (0 when empty). */
  height: number;
}

/**
 * Flow legend entries (a swatch `swatch` px wide, then the label) left to
 * right into rows no wider than `maxWidth`, starting a new row when an entry
 * does not fit; a label wider than a whole row wraps onto several lines.
 */
export function layoutLegend<T extends LegendItemIn>(
  entries: readonly T[],
  maxWidth: number,
  opts: { swatch?: number; gap?: number; rowH?: number; font?: TextFont; measure?: Measure } = {},
): LegendLayout<T> {
  const { swatch = 26, gap = 14, rowH = 16, font = LEGEND_FONT, measure = measureText } = opts;
  const avail = Math.max(60, maxWidth);
  const out: LegendPlace<T>[] = [];
  let x = 0;
  let y = 0;
  let rowLines = 1;
  for (const item of entries) {
    const w = swatch + measure(item.label, font);
    let lines = [item.label];
    if (w > avail) lines = wrapText(item.label, avail - swatch, (s) => measure(s, font));
    const itemW = lines.length > 1 ? avail : w;
    if (x > 0 && x + itemW > avail) {
      y += rowH + (rowLines - 1) * LINE_H;
      x = 0;
      rowLines = 1;
    }
    out.push({ item, x, y, lines });
    rowLines = Math.max(rowLines, lines.length);
    x += itemW + gap;
  }
  return { items: out, height: out.length === 0 ? 0 : y + rowH + (rowLines - 1) * LINE_H };
}

/** The widest of some tick labels, to keep an axis title clear of them. */
export function widestLabel(
  labels: readonly string[],
  font: TextFont = TICK_FONT,
  measure: Measure = measureText,
): number {
  let w = 0;
  for (const l of labels) w = Math.max(w, measure(l, font));
  return w;
}

/**
 * How to anchor an x tick label of width `w` at `pos` on a plot `plotW` wide with `right` px of margin: centred,
 * unless that would run past the figure's right edge ('end') or left of the plot into the y ticks' column ('start').
 */
export function xTickAnchor(pos: number, w: number, plotW: number, right: number): 'start' | 'middle' | 'end' {
  if (pos - w / 2 < 0) return 'start';
  if (pos + w / 2 > plotW + right - 2) return 'end';
  return 'middle';
}
