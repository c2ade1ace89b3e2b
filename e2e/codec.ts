// Typed arrays do not survive Playwright's JSON-like serialisation, so the
// bridge tags them: { __typed: 'Float32Array', b64: '...' }. encode() runs in
// the test process; the page-side decoder is inlined in bridge-page.ts.

const TYPED = ['Uint8Array', 'Int32Array', 'Float32Array', 'Float64Array', 'Uint16Array', 'Int16Array', 'Uint32Array', 'Int8Array'] as const;

export function encode(value: unknown): unknown {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const name = value.constructor.name;
    if ((TYPED as readonly string[]).includes(name)) {
      return { __typed: name, b64: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
    }
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return { __number: String(value) };
  if (Array.isArray(value)) return value.map(encode);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encode(v)]));
  }
  return value;
}

/** Inverse of the page's encoder (page -> test process): plain JSON values, numbers tagged when non-finite, typed arrays tagged. */
export function decode(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decode);
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o['__number'] === 'string') return Number(o['__number']);
    if (typeof o['__typed'] === 'string' && typeof o['b64'] === 'string' && (TYPED as readonly string[]).includes(o['__typed'])) {
      const bytes = Buffer.from(o['b64'], 'base64');
      const Ctor = globalThis[o['__typed'] as (typeof TYPED)[number]];
      const copy = new Uint8Array(bytes.byteLength);
      copy.set(bytes);
      return new Ctor(copy.buffer);
    }
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, decode(v)]));
  }
  return value;
}
