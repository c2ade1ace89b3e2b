// The one way text reaches the HTML report and the SVG figures the main
// process writes: every value goes through escapeHtml, unless it is markup
// this code built itself (an Html value made by the `html` template). A
// field read from a session — a name, a status, a number, an objective's
// parameter — can therefore never become a tag or an attribute, whatever
// the file it came from holds.

/** Markup built by the `html` template (or a trusted builder such as lineChartSvg); inserted as is. */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Any value as text safe inside an element or a quoted attribute: & < > " ' escaped. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/**
 * A template tag: html`<td>${x}</td>` escapes every interpolated value
 * through escapeHtml, except Html values (already built markup) and arrays
 * of them, which are joined as they are.
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0];
  values.forEach((v, i) => {
    out += piece(v) + strings[i + 1];
  });
  return new Html(out);
}

function piece(v: unknown): string {
  if (v instanceof Html) return v.text;
  if (Array.isArray(v)) return v.map(piece).join('');
  return escapeHtml(v);
}

/** Markup produced by a builder that escapes its own text (lineChartSvg). */
export const trusted = (markup: string) => new Html(markup);
