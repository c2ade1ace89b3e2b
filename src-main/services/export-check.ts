import { LabError } from '../../src-core/contracts/lab-error';

// What the main process checks before writing a figure the renderer made.

const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** An SVG document safe to write: one <svg> root, no scripts, handlers, foreign content, entities or external references. */
export function checkSvg(svg: string): string {
  const body = svg.trim().replace(/^<\?xml[^>]*\?>\s*/, '');
  const bad = (why: string) => new LabError('invalid-input', `exportFigure: the SVG ${why}`);
  if (!body.startsWith('<svg') || !body.endsWith('</svg>')) throw bad('must be one <svg> element');
  if (!/^<svg[^>]*\sxmlns="http:\/\/www\.w3\.org\/2000\/svg"/.test(body)) throw bad('must declare the SVG namespace');
  if (/<script\b/i.test(body)) throw bad('must not contain scripts');
  if (/<foreignObject\b/i.test(body)) throw bad('must not contain foreign content');
  if (/<!(DOCTYPE|ENTITY)/i.test(body)) throw bad('must not declare entities');
  if (/<(?:set|animate\w*)\b/i.test(body)) throw bad('must not contain animations (they can rewrite links)');
  // Attributes are checked tag by tag: a caption or run name that merely reads "onerror=" or
  // 'href="x"' is text (its < escaped as &lt;) and must not make the export fail; every < must open a well-formed tag.
  for (const attr of svgAttributes(body, bad)) {
    if (/^on/i.test(attr.name)) throw bad('must not contain event handlers');
    if (/^\s*(?:javascript|vbscript):/i.test(attr.value)) throw bad('must not contain script URLs');
    if (/(?:^|:)(?:href|src)$/i.test(attr.name) && !/^(?:#|data:image\/(?:png|jpeg);base64,)/i.test(attr.value.trim())) throw bad('must not reference other files or URLs');
  }
  if (/url\(\s*['"]?(?!#)/i.test(body)) throw bad('must not reference other files or URLs');
  return XML_DECL + body + '\n';
}

const TAG = /<\/?[A-Za-z][\w:.-]*((?:\s+[A-Za-z_:][\w:.-]*\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*\/?>/y;
const ATTR = /\s+([A-Za-z_:][\w:.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/** Every attribute of every tag; throws if a < does not open a well-formed tag (or comment). */
function svgAttributes(body: string, bad: (why: string) => LabError): { name: string; value: string }[] {
  const attrs: { name: string; value: string }[] = [];
  for (let i = body.indexOf('<'); i >= 0; i = body.indexOf('<', i + 1)) {
    if (body.startsWith('<!--', i)) {
      const end = body.indexOf('-->', i + 4);
      if (end < 0) throw bad('is not well-formed (an unclosed comment)');
      i = end;
      continue;
    }
    TAG.lastIndex = i;
    const m = TAG.exec(body);
    if (!m) throw bad('is not well-formed XML (a tag that does not parse)');
    for (const a of m[1].matchAll(ATTR)) attrs.push({ name: a[1], value: a[2] ?? a[3] ?? '' });
    i = TAG.lastIndex - 1;
  }
  return attrs;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Width and height from a PNG's IHDR chunk. */
export function pngSize(png: Uint8Array): { width: number; height: number } {
  if (png.length < 33 || PNG_SIGNATURE.some((b, i) => png[i] !== b)) throw new LabError('invalid-input', 'exportFigure: not a PNG image');
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  if (String.fromCharCode(png[12], png[13], png[14], png[15]) !== 'IHDR') throw new LabError('invalid-input', 'exportFigure: the PNG has no IHDR chunk');
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

export function checkPng(png: Uint8Array, width: number, height: number): Uint8Array {
  const size = pngSize(png);
  if (size.width !== width || size.height !== height) {
    throw new LabError('invalid-input', `exportFigure: the PNG is ${size.width} x ${size.height} pixels, not the ${width} x ${height} asked for`);
  }
  return png;
}
