import { SaxesParser, type SaxesAttributeNS } from 'saxes';
import { LabError } from '../../../src-core/contracts/lab-error';

// What the main process checks before writing a figure the renderer made.

const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';

// The check is an allow-list over a real XML parse (saxes, namespaces
// resolved): an element is kept only if it is one of the drawing elements
// below in the SVG namespace, whatever prefix names it; an attribute only if
// its resolved name is on the list (or is data-* / aria-*), and a value that
// can point somewhere (href, url(…), a style sheet) only if it points inside
// the document (#id) or is an embedded PNG/JPEG. Everything else - scripts,
// foreignObject, links, animations, event handlers, other namespaces,
// DOCTYPE/entities, processing instructions, @import - is refused, named.

const SVG_NS = 'http://www.w3.org/2000/svg';
const XLINK_NS = 'http://www.w3.org/1999/xlink';
const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

/** Drawing elements a figure may hold (SVG namespace). No script, foreignObject, a, set/animate*, feImage, iframe… */
const ELEMENTS = new Set([
  'svg',
  'g',
  'defs',
  'title',
  'desc',
  'style',
  'symbol',
  'use',
  'image',
  'path',
  'line',
  'polyline',
  'polygon',
  'rect',
  'circle',
  'ellipse',
  'text',
  'tspan',
  'textPath',
  'clipPath',
  'mask',
  'pattern',
  'marker',
  'linearGradient',
  'radialGradient',
  'stop',
  'filter',
  'feGaussianBlur',
  'feOffset',
  'feFlood',
  'feComposite',
  'feMerge',
  'feMergeNode',
  'feBlend',
  'feColorMatrix',
  'feDropShadow',
]);

/** Attributes without a namespace that a figure may carry (besides data-* and aria-*). */
const ATTRIBUTES = new Set([
  'id',
  'class',
  'role',
  'version',
  'width',
  'height',
  'x',
  'y',
  'x1',
  'y1',
  'x2',
  'y2',
  'cx',
  'cy',
  'r',
  'rx',
  'ry',
  'fx',
  'fy',
  'fr',
  'd',
  'points',
  'pathLength',
  'transform',
  'viewBox',
  'preserveAspectRatio',
  'href',
  'style',
  'lang',
  'tabindex',
  'focusable',
  'fill',
  'fill-opacity',
  'fill-rule',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'stroke-dashoffset',
  'stroke-linejoin',
  'stroke-linecap',
  'stroke-miterlimit',
  'opacity',
  'color',
  'visibility',
  'display',
  'overflow',
  'pointer-events',
  'cursor',
  'font-family',
  'font-size',
  'font-weight',
  'font-style',
  'font-variant',
  'font-stretch',
  'text-anchor',
  'dominant-baseline',
  'alignment-baseline',
  'baseline-shift',
  'letter-spacing',
  'word-spacing',
  'text-decoration',
  'writing-mode',
  'dx',
  'dy',
  'rotate',
  'textLength',
  'lengthAdjust',
  'startOffset',
  'method',
  'spacing',
  'side',
  'clip-path',
  'clip-rule',
  'clipPathUnits',
  'mask',
  'maskUnits',
  'maskContentUnits',
  'filter',
  'filterUnits',
  'primitiveUnits',
  'marker-start',
  'marker-mid',
  'marker-end',
  'markerWidth',
  'markerHeight',
  'markerUnits',
  'refX',
  'refY',
  'orient',
  'offset',
  'stop-color',
  'stop-opacity',
  'gradientUnits',
  'gradientTransform',
  'spreadMethod',
  'patternUnits',
  'patternContentUnits',
  'patternTransform',
  'shape-rendering',
  'text-rendering',
  'image-rendering',
  'color-interpolation',
  'color-interpolation-filters',
  'vector-effect',
  'paint-order',
  'isolation',
  'mix-blend-mode',
  'in',
  'in2',
  'result',
  'stdDeviation',
  'operator',
  'k1',
  'k2',
  'k3',
  'k4',
  'mode',
  'type',
  'values',
  'flood-color',
  'flood-opacity',
  'edgeMode',
  'media',
]);

/** A reference that stays inside the figure: "#id", or an embedded PNG or JPEG. */
const LOCAL_REF = /^\s*(?:#[^\s'"()\\]*|data:image\/(?:png|jpeg);base64,[A-Za-z0-9+/=\s]*)\s*$/i;

/** CSS (a style attribute or <style>): no @import, no url() to anything but #id or an embedded image, no expression()/behaviour, no escapes that could hide one. */
function checkCss(css: string, bad: (why: string) => LabError): void {
  if (/\\/.test(css)) throw bad('must not use CSS escapes in styles');
  if (/@import|@font-face|@namespace/i.test(css)) throw bad('must not import style sheets or fonts');
  if (/expression\s*\(|behaviou?r\s*:|-moz-binding|javascript:/i.test(css))
    throw bad('must not contain script in styles');
  for (const m of css.matchAll(/url\s*\(\s*(['"]?)(.*?)\1\s*\)/gis)) {
    if (!LOCAL_REF.test(m[2])) throw bad('must not reference other files or URLs');
  }
  // An unterminated url( or image-set()/src() would let a value through the loop above.
  const urls = (css.match(/url\s*\(/gi) ?? []).length;
  if (
    urls !== [...css.matchAll(/url\s*\(\s*(['"]?)(.*?)\1\s*\)/gis)].length ||
    /(?:image-set|src|image)\s*\(/i.test(css)
  )
    throw bad('must not reference other files or URLs');
}

/** An SVG document safe to write: one <svg> root, only drawing elements and attributes, nothing that runs or fetches. */
export function checkSvg(svg: string): string {
  const bad = (why: string) => new LabError('invalid-input', `exportFigure: the SVG ${why}`);
  if (typeof svg !== 'string') throw bad('must be text');
  // Only the XML declaration itself ("<?xml" then a space) is dropped; "<?xml-stylesheet …?>" is a processing instruction the parser refuses.
  const body = svg.trim().replace(/^<\?xml\s[^?>]*\?>\s*/, '');
  if (!body.startsWith('<')) throw bad('must be one <svg> element');
  const parser = new SaxesParser({ xmlns: true, position: true });
  let depth = 0;
  let roots = 0;
  let styleDepth = -1;
  let failure: LabError | null = null;
  const stop = (e: LabError) => {
    failure ??= e;
    throw e;
  };
  parser.on('doctype', () => stop(bad('must not declare a DOCTYPE or entities')));
  parser.on('processinginstruction', (pi) => stop(bad(`must not contain processing instructions (<?${pi.target}?>)`)));
  parser.on('opentag', (tag) => {
    const name = tag.local ?? tag.name;
    if (depth === 0) {
      roots++;
      if (roots > 1) stop(bad('must be one <svg> element'));
      if (tag.uri !== SVG_NS || name !== 'svg')
        stop(bad(tag.uri === SVG_NS ? 'must be one <svg> element' : 'must declare the SVG namespace'));
    }
    if (tag.uri !== SVG_NS)
      stop(
        bad(
          `must not contain elements of another namespace (<${tag.name}> in ${tag.uri ? `"${tag.uri}"` : 'no namespace'})`,
        ),
      );
    if (!ELEMENTS.has(name)) {
      const why =
        name === 'script'
          ? 'must not contain scripts'
          : name === 'foreignObject'
            ? 'must not contain foreign content'
            : /^(?:set|animate\w*)$/.test(name)
              ? 'must not contain animations (they can rewrite links)'
              : name === 'a'
                ? 'must not contain links'
                : `must not contain <${tag.name}> elements`;
      stop(bad(why));
    }
    for (const a of Object.values(tag.attributes as Record<string, SaxesAttributeNS>)) {
      if (a.uri === XMLNS_NS || a.name === 'xmlns') {
        if (![SVG_NS, XLINK_NS].includes(a.value))
          stop(bad(`must not declare other namespaces (${a.name}="${a.value.slice(0, 60)}")`));
        continue;
      }
      const value = a.value;
      // data-* and aria-* are inert in a file and in the report: they carry the lab's captions and labels, which may say anything.
      if (a.uri === '' && /^(?:data|aria)-[A-Za-z0-9_.-]+$/.test(a.local)) continue;
      if (
        /^\s*(?:javascript|vbscript|data:text)/i.test(value) ||
        /javascript:/i.test(value.replace(/[\s\u0000-\u001f]+/g, ''))
      )
        stop(bad('must not contain script URLs'));
      if (a.uri === XLINK_NS && a.local === 'href') {
        if (!LOCAL_REF.test(value)) stop(bad('must not reference other files or URLs'));
        continue;
      }
      if (a.uri === XML_NS && (a.local === 'space' || a.local === 'lang')) continue;
      if (a.uri !== '') stop(bad(`must not carry attributes of another namespace (${a.name})`));
      const local = a.local;
      if (/^on/i.test(local)) stop(bad('must not contain event handlers'));
      if (!ATTRIBUTES.has(local)) stop(bad(`must not carry the attribute ${local} (on <${tag.name}>)`));
      if (local === 'href' && !LOCAL_REF.test(value)) stop(bad('must not reference other files or URLs'));
      if (local === 'style') checkCss(value, bad);
      else if (/url\s*\(/i.test(value)) {
        const m = /^\s*url\(\s*(['"]?)(#[^'")\s]*)\1\s*\)\s*(?:none|[a-z#0-9(),.\s%-]*)?$/i.exec(value);
        if (!m) stop(bad('must not reference other files or URLs'));
      }
    }
    if (name === 'style') styleDepth = depth;
    depth++; // saxes sends closetag for a self-closing tag too
  });
  parser.on('closetag', () => {
    depth--;
    if (depth === styleDepth) styleDepth = -1;
  });
  const styleText = (t: string) => {
    if (styleDepth >= 0 && depth === styleDepth + 1) checkCss(t, (why) => stop(bad(why)) as never);
  };
  parser.on('text', styleText);
  // The lab's figures never hold CDATA or comments with markup; an HTML parser reads "<!-->" and
  // CDATA differently from XML, and the report puts figures into HTML, so neither may carry anything.
  parser.on('cdata', () => stop(bad('must not contain CDATA sections')));
  parser.on('comment', (c) => {
    if (!/^[\w\s[\].,:;=#()/]*$/.test(c)) stop(bad('must not contain comments with markup'));
  });
  try {
    parser.write(body).close();
  } catch (err) {
    if (failure) throw failure;
    if (err instanceof LabError) throw err;
    const msg = (err as Error).message.split('\n')[0];
    throw bad(
      /undefined entity|entity/i.test(msg)
        ? 'must not declare entities'
        : `is not well-formed XML (${msg.slice(0, 120)})`,
    );
  }
  if (failure) throw failure;
  if (roots !== 1) throw bad('must be one <svg> element');
  return XML_DECL + body + '\n';
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Width and height from a PNG's IHDR chunk. */
export function pngSize(png: Uint8Array): { width: number; height: number } {
  if (png.length < 33 || PNG_SIGNATURE.some((b, i) => png[i] !== b))
    throw new LabError('invalid-input', 'exportFigure: not a PNG image');
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  if (String.fromCharCode(png[12], png[13], png[14], png[15]) !== 'IHDR')
    throw new LabError('invalid-input', 'exportFigure: the PNG has no IHDR chunk');
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

export function checkPng(png: Uint8Array, width: number, height: number): Uint8Array {
  const size = pngSize(png);
  if (size.width !== width || size.height !== height) {
    throw new LabError(
      'invalid-input',
      `exportFigure: the PNG is ${size.width} x ${size.height} pixels, not the ${width} x ${height} asked for`,
    );
  }
  return png;
}
