import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MomentumFigureSchema, type MomentumFigureInput } from '../../src-core/contracts/api-figures';
import { estimateTextWidth } from '../../src-core/text-wrap';
import { checkSvg } from '../services/export/export-check';
import { momentumFigure } from './momentum-figures';

// The Momentum figures' builder: a pure function of its request (the same request, the same bytes), an SVG every
// export passes, and text laid out inside the figure whatever the caption, run names or number of runs.

const build = (req: MomentumFigureInput) => momentumFigure(MomentumFigureSchema.parse(req));
const W = 720;

const sim = (ds: number[], caption: string | null): MomentumFigureInput => ({
  kind: 'sim',
  sim: {
    objective: { name: 'quadratic', params: { lambda: 1 } },
    start: [1],
    steps: 120,
    runs: ds.map((d) => ({ kind: 'heavy-ball', lr: 0.1, d })),
  },
  caption,
});
const GRID = { hMin: 0.001, hMax: 20, hScale: 'log' as const, dMin: 0, dMax: 1.6, nh: 40, nd: 30, steps: 200 };

/** Each text line with the x where it starts and the x where it ends (estimated), in figure coordinates. */
function textRows(svg: string): { text: string; left: number; right: number }[] {
  const out: { text: string; left: number; right: number }[] = [];
  const offsets: number[] = [0];
  for (const m of svg.matchAll(/<g( [^>]*)?>|<\/g>|<text ([^>]*)>([^<]*)<\/text>/g)) {
    if (m[0] === '</g>') offsets.pop();
    else if (m[0].startsWith('<g'))
      offsets.push(offsets.at(-1)! + Number(/translate\(([\d.-]+),/.exec(m[1] ?? '')?.[1] ?? 0));
    else {
      const attrs = m[2];
      if (attrs.includes('rotate(')) continue;
      const x = offsets.at(-1)! + Number(/x="([\d.-]+)"/.exec(attrs)?.[1] ?? 0);
      const size = Number(/font-size="([\d.]+)"/.exec(attrs)?.[1] ?? 11);
      const text = m[3]
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&amp;/g, '&')
        .replace(/&quot;/g, '"');
      const w = estimateTextWidth(text, size);
      const anchor = /text-anchor="(\w+)"/.exec(attrs)?.[1] ?? 'start';
      const left = anchor === 'middle' ? x - w / 2 : anchor === 'end' ? x - w : x;
      out.push({ text, left, right: left + w });
    }
  }
  return out;
}

describe('momentumFigure', () => {
  it('is a pure function of the request (the same request, the same bytes); the SVG passes the export check', () => {
    for (const req of [
      sim([0.9, 0, 0.5, 1, 1.1], null),
      { kind: 'phase', grid: GRID, colour: 'steps', mark: { hs: [0.05, 0.2], d: 0.9 }, caption: null } as const,
    ]) {
      const a = build(req as MomentumFigureInput);
      const b = build(req as MomentumFigureInput);
      expect(a.svg).toBe(b.svg);
      checkSvg(a.svg);
      expect(a.width).toBe(W);
      expect(a.svg).toContain(`height="${a.height}"`);
    }
  });

  it('keeps every text line inside the figure, with any caption, run path title and number of runs', () => {
    const word = fc.stringMatching(/^[A-Za-z0-9λ<>&()=.,:;-]{3,40}$/);
    fc.assert(
      fc.property(
        fc.array(word, { minLength: 20, maxLength: 60 }),
        fc.array(fc.double({ min: 0, max: 1.3, noNaN: true }), { minLength: 1, maxLength: 16 }),
        fc.array(word, { minLength: 4, maxLength: 12 }),
        (words, ds, titleWords) => {
          const caption = words.join(' ');
          const figures = [
            build(sim(ds, caption)),
            build({
              kind: 'phase',
              grid: GRID,
              mark: { hs: [0.01], d: 0.5 },
              path: {
                title: titleWords.join(' ').slice(0, 300),
                points: [
                  { n: 1, iter: 10, h: 0.002, d: 0.9 },
                  { n: 2, iter: 20, h: 50, d: 0.9 },
                ],
              },
              caption,
            }),
          ];
          for (const f of figures) {
            for (const row of textRows(f.svg)) {
              expect(row.left, row.text).toBeGreaterThanOrEqual(-0.5);
              expect(row.right, row.text).toBeLessThanOrEqual(W + 0.5);
            }
            const lines = [...f.svg.matchAll(/data-caption-line="">([^<]*)</g)].map((m) => m[1]);
            expect(lines.join(' ').replace(/\s+/g, '')).toBe(
              caption.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\s+/g, ''),
            );
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it('refuses the plane chart of a 1-D objective, by name', () => {
    expect(() => build({ ...sim([0.9], null), chart: 'plane' } as MomentumFigureInput)).toThrow(
      /quadratic is 1-D: it has no paths in the plane/,
    );
  });
});
