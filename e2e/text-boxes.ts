import type { Page } from '@playwright/test';

// Text boxes of figures as Chromium lays them out: no text of a figure may leave its SVG or run into another text.
// Used on the views' figures (figure-text.spec.ts) and on exported SVG files shown in a page.

export interface TextProblem {
  figure: string;
  kind: 'outside' | 'overlap';
  a: string;
  b?: string;
}

/**
 * Every visible non-empty <text> of every svg[data-figure] (or of the document's root svg): its box must lie within
 * the SVG's box and must not intersect another text's box, with `tol` px of slack.
 */
export function textProblemsIn(root: Document | Element, tol: number): TextProblem[] {
  const svgs: SVGSVGElement[] =
    root instanceof Document && root.documentElement instanceof SVGSVGElement
      ? [root.documentElement as unknown as SVGSVGElement]
      : [...root.querySelectorAll<SVGSVGElement>('svg[data-figure]')];
  const out: TextProblem[] = [];
  for (const svg of svgs) {
    const figure = svg.getAttribute('data-figure') ?? 'exported';
    const sb = svg.getBoundingClientRect();
    if (sb.width === 0 || sb.height === 0) continue;
    const texts = [...svg.querySelectorAll('text')].filter((t) => {
      if (!(t.textContent ?? '').trim()) return false;
      if (t.closest('defs, clipPath, [data-export="skip"]')) return false;
      const cs = getComputedStyle(t);
      return cs.display !== 'none' && cs.visibility !== 'hidden' && Number(cs.opacity) > 0;
    });
    const boxes = texts.map((t) => ({ t, r: t.getBoundingClientRect(), s: (t.textContent ?? '').trim().slice(0, 60) }));
    for (const b of boxes) {
      if (b.r.width === 0) continue;
      if (
        b.r.left < sb.left - tol ||
        b.r.right > sb.right + tol ||
        b.r.top < sb.top - tol ||
        b.r.bottom > sb.bottom + tol
      )
        out.push({ figure, kind: 'outside', a: b.s });
    }
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const p = boxes[i].r;
        const q = boxes[j].r;
        const w = Math.min(p.right, q.right) - Math.max(p.left, q.left);
        const h = Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top);
        if (w > tol && h > tol) out.push({ figure, kind: 'overlap', a: boxes[i].s, b: boxes[j].s });
      }
    }
  }
  return out;
}

export async function figureProblems(page: Page, tol = 2): Promise<{ figures: string[]; problems: TextProblem[] }> {
  return page.evaluate(
    ([src, t]) => {
      const fn = new Function(`return (${src})`)() as (root: Document | Element, tol: number) => TextProblem[];
      return {
        figures: [...document.querySelectorAll('svg[data-figure]')].map((s) => s.getAttribute('data-figure') ?? ''),
        problems: fn(document, t),
      };
    },
    [textProblemsIn.toString(), tol] as const,
  );
}

/** The text problems of an SVG file opened as the page's document (`page.goto('file://…svg')`). */
export async function svgFileProblems(page: Page, tol = 2): Promise<TextProblem[]> {
  return page.evaluate(
    ([src, t]) => (new Function(`return (${src})`)() as (r: Document, t: number) => TextProblem[])(document, t),
    [textProblemsIn.toString(), tol] as const,
  );
}
