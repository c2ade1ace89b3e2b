import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeText, refusalOf, svg } from './test-helpers';

// What checkSvg lets through to a file and into the HTML report: text may say
// anything (it is escaped), markup may not run or fetch anything.

const refused = (s: string) => refusalOf(s) !== null;

describe('checkSvg', () => {
  it('lets captions and names that read like markup through, as text', () => {
    for (const t of [
      '<img src=x onerror=alert(1)>',
      ' onclick="x"',
      '<a href="https://evil">',
      '<script>alert(1)</script>',
      "x'); DROP TABLE runs; --",
      'onload=1 src="a"',
    ]) {
      expect(refused(svg(`<text data-caption-line="">${escapeText(t)}</text>`)), t).toBe(false);
    }
  });
  it(`lets any escaped text through (1000 random captions)`, () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200, unit: 'grapheme' }), (t) => {
        expect(refused(svg(`<g><text>${escapeText(t)}</text></g>`))).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });
  it('refuses scripts, handlers, script URLs, external references, animations and malformed tags', () => {
    const attacks = [
      svg('<script>alert(1)</script>'),
      svg('<SCRIPT>alert(1)</SCRIPT>'),
      svg('<g onclick="alert(1)"></g>'),
      svg(`<g onclick='alert(1)'></g>`),
      svg('<g title=">" onclick="alert(1)"></g>'),
      svg('<g onclick=alert(1)></g>'),
      svg('<g\nonmouseover="alert(1)"/>'),
      svg('', ' onload="alert(1)"'),
      svg('<a href="javascript:alert(1)"><text>x</text></a>'),
      svg('<a xlink:href="javascript:alert(1)"><text>x</text></a>'),
      svg('<a href=" JaVaScRiPt:alert(1)"><text>x</text></a>'),
      svg('<image href="https://evil.example/x.png"/>'),
      svg('<image xlink:href="file:///etc/passwd"/>'),
      svg('<use href="other.svg#x"/>'),
      svg('<set attributeName="href" to="javascript:alert(1)"/>'),
      svg('<animate attributeName="href" values="javascript:alert(1)"/>'),
      svg('<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>'),
      svg('<![CDATA[<script>alert(1)</script>]]>'),
      svg('<rect style="fill: url(https://evil.example/x)"/>'),
      svg('<style>rect { fill: url(https://evil.example/x) }</style>'),
      `<!DOCTYPE svg [<!ENTITY x "y">]>${svg('<text>&x;</text>')}`,
      svg('<g <g onclick="x">'),
      svg('<!-- unclosed comment'),
    ];
    for (const a of attacks) expect(refused(a), a).toBe(true);
  });
  it(`refuses every on* attribute on any element (1000 random cases)`, () => {
    fc.assert(
      fc.property(
        fc.constantFrom('g', 'rect', 'text', 'path', 'circle', 'a', 'svg:g', 'tspan'),
        fc.stringMatching(/^[a-zA-Z]{1,12}$/),
        fc.constantFrom('"', "'"),
        fc.string({ maxLength: 20 }).map((v) => v.replace(/["'<>&]/g, '')),
        (el, suffix, q, v) => {
          expect(refused(svg(`<${el} x="1" on${suffix}=${q}${v}${q}></${el}>`))).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });
  it('keeps what the charts need: internal references and embedded PNG images', () => {
    expect(
      refused(svg('<defs><clipPath id="c"><rect/></clipPath></defs><g clip-path="url(#c)"><use href="#c"/></g>')),
    ).toBe(false);
    expect(refused(svg('<image href="data:image/png;base64,iVBORw0KGgo="/>'))).toBe(false);
  });
});

describe('metrics CSV', () => {
  it('writes names that a spreadsheet would run as formulas as text, and numbers (negative, non-finite) as numbers', async () => {
    const { metricsCsv } = await import('./export-csv');
    const { DEFAULT_TRAIN_CONFIG } = await import('../../../src-core/contracts/train-config');
    const names = ['=HYPERLINK("http://evil.example","x")', "+cmd|' /C calc'!A0", '-2+3', '@SUM(1)', '\t=1', 'plain'];
    const curves = names.map((name, i) => ({
      run: { id: `r${i}`, name, status: 'diverged', config: { ...DEFAULT_TRAIN_CONFIG, lr: 0.1 * (i + 1) } },
      points: [
        {
          iter: 1,
          epoch: 0.5,
          examples: 32,
          trainLoss: -Infinity,
          trainAcc: NaN,
          testLoss: Infinity,
          testAcc: -0.5,
          elapsedMs: 3,
        },
      ],
    }));
    const { text } = metricsCsv(curves as never);
    const rows = text.trimEnd().split('\r\n').slice(1);
    for (const row of rows) {
      // Every cell that could start a formula is quoted text: its first character is an apostrophe (after an optional CSV quote).
      const cells = row.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, ''));
      const nameCell = cells[1].replace(/^"|"$/g, '');
      if (nameCell !== 'plain') expect(nameCell.startsWith("'"), row).toBe(true);
      expect(row).toContain('-Infinity,NaN,Infinity,-0.5');
    }
  });
});
