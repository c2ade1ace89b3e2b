import { FIGURE_FONT } from './export-chart';
import { html, trusted, type Html } from './html';

// The page every HTML report is: a Content-Security-Policy that lets in only inline styles and data: images, the
// style the reports share (the figure font, headings, tables), the report's own rules, its title, a line that says
// what it holds, and its sections.

/** A whole report page: `css` holds the report's own style rules, `sections` its parts in order. */
export function reportPage(title: string, css: string, intro: Html, sections: readonly Html[]): string {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${title} — Momentum Lab report</title>
<style>
  body { font-family: ${trusted(FIGURE_FONT)}; color: #111; margin: 24px auto; max-width: 1100px; padding: 0 16px; }
  h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 28px; border-bottom: 1px solid #ccc; }
  table { border-collapse: collapse; font-size: 13px; margin: 8px 0; }
  th, td { text-align: left; padding: 2px 10px 2px 0; border-bottom: 1px solid #eee; vertical-align: top; }
${trusted(css)}
</style></head>
<body>
<h1>${title}</h1>
<p>${intro}</p>
${sections.map(
  (s) => html`${s}
`,
)}</body></html>
`.text;
}
