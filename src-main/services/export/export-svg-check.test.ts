import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSvg } from './export-check';
import { escapeText, refusalOf, svg } from './test-helpers';

// checkSvg parses the figure as XML (saxes, namespaces resolved) and keeps
// only allow-listed SVG elements and attributes. The attacks below went past
// the old regular expressions (a prefixed script, @import in a <style>, …);
// the corpus is the lab's own exports, written by e2e/export-corpus.spec.ts
// through the real renderer (22 figures: Training, Compare, every Momentum figure in 1-D and 2-D).

const CORPUS = join(import.meta.dirname, 'export-corpus');
const corpus = readdirSync(CORPUS)
  .filter((f) => f.endsWith('.svg'))
  .map((f) => ({ name: f, text: readFileSync(join(CORPUS, f), 'utf8') }));

/** Markup that must never reach a file: [what, svg]. */
const ATTACKS: [string, string][] = [
  ['prefixed script in the SVG namespace', svg('<s:script xmlns:s="http://www.w3.org/2000/svg">alert(1)</s:script>')],
  ['prefixed root and script', '<x:svg xmlns:x="http://www.w3.org/2000/svg"><x:script>alert(1)</x:script></x:svg>'],
  [
    'default namespace redeclared on a child',
    svg('<g xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></g>'),
  ],
  ['XHTML script inside', svg('<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script>')],
  [
    'XHTML element via default namespace',
    svg('<div xmlns="http://www.w3.org/1999/xhtml"><img src="x" onerror="alert(1)"/></div>'),
  ],
  ['style @import', svg('<style>@import url(https://evil.example/x.css);</style>')],
  ['style @import without url()', svg('<style>@import "https://evil.example/x.css";</style>')],
  ['style url() to the web', svg('<style>rect { fill: url(https://evil.example/x) }</style>')],
  ['style url() with escapes', svg('<style>rect { fill: u\\72l(https://evil.example/x) }</style>')],
  ['style @font-face', svg('<style>@font-face { font-family: x; src: url(https://evil.example/f.woff) }</style>')],
  ['style image-set()', svg('<style>rect { background: image-set("https://evil.example/x.png" 1x) }</style>')],
  ['style attribute url()', svg('<rect style="fill: url(https://evil.example/x)"/>')],
  ['style attribute url() quoted', svg(`<rect style="fill: url('//evil.example/x')"/>`)],
  ['presentation attribute url() to the web', svg('<rect fill="url(https://evil.example/x#g)"/>')],
  ['filter url() to another file', svg('<g filter="url(other.svg#f)"/>')],
  ['mask url() with a path', svg('<g mask="url(/etc/passwd#m)"/>')],
  ['<script>', svg('<script>alert(1)</script>')],
  ['<SCRIPT> (XML is case-sensitive: an unknown element)', svg('<SCRIPT>alert(1)</SCRIPT>')],
  ['foreignObject', svg('<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>')],
  ['onload on the root', svg('', ' onload="alert(1)"')],
  ['onclick', svg('<g onclick="alert(1)"/>')],
  ['ONCLICK', svg('<g ONCLICK="alert(1)"/>')],
  ['handler in another namespace', svg('<g xmlns:e="http://www.w3.org/2001/xml-events" e:onclick="alert(1)"/>')],
  ['link element', svg('<a href="https://evil.example"><text>x</text></a>')],
  ['javascript: href on use', svg('<use href="javascript:alert(1)"/>')],
  ['javascript: with entities', svg('<use href="jav&#x09;ascript:alert(1)"/>')],
  [
    'xlink:href to the web',
    svg('<image xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="https://evil.example/x.png"/>'),
  ],
  ['xlink under another prefix', svg('<image xmlns:q="http://www.w3.org/1999/xlink" q:href="file:///etc/passwd"/>')],
  ['href to another file', svg('<use href="other.svg#x"/>')],
  ['data: SVG image (a document that could hold script)', svg('<image href="data:image/svg+xml;base64,PHN2Zy8+"/>')],
  ['data:text/html', svg('<image href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;"/>')],
  ['<set>', svg('<set attributeName="href" to="javascript:alert(1)"/>')],
  ['<animate>', svg('<animate attributeName="href" values="javascript:alert(1)"/>')],
  ['<animateTransform>', svg('<animateTransform attributeName="transform"/>')],
  ['feImage', svg('<filter id="f"><feImage href="https://evil.example/x.png"/></filter>')],
  ['iframe in SVG namespace', svg('<iframe src="https://evil.example"/>')],
  ['DOCTYPE with entity', `<!DOCTYPE svg [<!ENTITY x "y">]>${svg('<text>&x;</text>')}`],
  ['external entity', `<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>${svg('<text>&x;</text>')}`],
  ['undeclared entity', svg('<text>&lol;</text>')],
  ['processing instruction (style sheet)', `<?xml-stylesheet href="https://evil.example/x.css"?>${svg('')}`],
  ['CDATA', svg('<![CDATA[<script>alert(1)</script>]]>')],
  ['comment an HTML parser closes early', svg('<!--><script>alert(1)</script>-->')],
  ['two roots', svg('') + svg('')],
  ['a root that is not svg', '<g xmlns="http://www.w3.org/2000/svg"/>'],
  ['no SVG namespace', '<svg width="10"><text>x</text></svg>'],
  ['another namespace declared', svg('', ' xmlns:evil="http://evil.example/ns"')],
  ['unknown attribute', svg('<g formaction="https://evil.example"/>')],
  ['unclosed tag', svg('<g <g onclick="x">')],
  ['unclosed comment', svg('<!-- unclosed comment')],
  ['text outside the root', `${svg('')}<script>alert(1)</script>`],
];

describe('checkSvg: an XML parse and an allow-list', () => {
  it(`refuses every attack in the corpus, saying why (${ATTACKS.length} attacks)`, () => {
    const reasons = new Map<string, string>();
    for (const [what, s] of ATTACKS) {
      const r = refusalOf(s);
      expect(r, `${what} was accepted: ${s}`).not.toBeNull();
      expect(r).toMatch(/^exportFigure: the SVG /);
      reasons.set(what, r!);
    }
    expect(reasons.get('prefixed script in the SVG namespace')).toBe('exportFigure: the SVG must not contain scripts');
    expect(reasons.get('style @import')).toBe('exportFigure: the SVG must not import style sheets or fonts');
  });

  it(`accepts the lab's own exported figures (${corpus.length} real exports) and they come out unchanged`, () => {
    expect(corpus.length).toBeGreaterThanOrEqual(20);
    for (const { name, text } of corpus) {
      expect(refusalOf(text), name).toBeNull();
      expect(
        checkSvg(text)
          .replace(/^<\?xml[^>]*\?>\n/, '')
          .trim(),
      ).toBe(text.replace(/^<\?xml[^>]*\?>\s*/, '').trim());
    }
  });

  /** The attacks that live inside the root element, as markup to insert into a real export. */
  const inner = ATTACKS.filter(([w]) => !/root|two roots|namespace$|outside|DOCTYPE|external entity|processing/.test(w))
    .map(([w, s]) => [w, s.replace(/^<svg[^>]*>/, '').replace(/<\/svg>$/, '')] as const)
    .filter(([, markup]) => markup !== '');
  it(`refuses each real export once an attack is put inside it (${corpus.length} exports x ${inner.length} inner attacks)`, () => {
    for (const { name, text } of corpus) {
      for (const [what, markup] of inner) {
        const i = text.lastIndexOf('</svg>');
        expect(refusalOf(text.slice(0, i) + markup + text.slice(i)), `${name} + ${what}`).not.toBeNull();
      }
    }
  });

  it('keeps what the charts need: internal references, embedded PNGs, data- and aria- attributes, a harmless <style>', () => {
    const ok = [
      svg('<defs><clipPath id="c"><rect/></clipPath></defs><g clip-path="url(#c)"><use href="#c"/></g>'),
      svg('<image href="data:image/png;base64,iVBORw0KGgo=" preserveAspectRatio="none"/>'),
      svg('<image xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="#p"/>'),
      svg(
        '<linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient><rect fill="url(#g)" data-run="a" aria-hidden="true"/>',
      ),
      svg('<style>rect { fill: #0072b2; stroke: url(#g) }</style><rect/>'),
      svg('<s:g xmlns:s="http://www.w3.org/2000/svg"><s:text xml:space="preserve">x</s:text></s:g>'),
      svg('<!----><text>&lt;script&gt; &amp; onload="x"</text>'),
      // A caption or run name that reads like an attack is text (data-caption, title, text), never refused.
      svg(
        '<title>javascript:alert(1) url(https://x) @import</title><text data-caption-line="">javascript:alert(1)</text>',
        ' data-caption="javascript:alert(1) &lt;script&gt; url(https://evil.example) @import x" aria-label="onload=1"',
      ),
    ];
    for (const s of ok) expect(refusalOf(s), s).toBeNull();
  });

  it('any attribute name outside the allow-list is refused; any text is kept as text (1000 + 1000 cases)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9-]{0,15}$/), (name) => {
        const r = refusalOf(svg(`<g ${name}="1"/>`));
        const inert = /^(?:data|aria)-[A-Za-z0-9_.-]+$/.test(name);
        if (inert) return r === null;
        return r === null ? !/^on/i.test(name) : /must not/.test(r);
      }),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 200, unit: 'grapheme' }), (t) => {
        // XML 1.0 cannot carry most control characters at all; the renderer's XMLSerializer never writes them.
        const text = t.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');
        return refusalOf(svg(`<text>${escapeText(text)}</text>`)) === null;
      }),
      { numRuns: 1000 },
    );
  });
});
