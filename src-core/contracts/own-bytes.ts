// A typed array received from another process is often a view into a larger
// buffer: Node's 'advanced' IPC gives every typed array of a message as a view
// into that message's whole buffer, and a Node Buffer may be a slice of a
// shared pool. Structured clone (Electron IPC) and the socket's codec send a
// view's WHOLE buffer, so a 50 KB array could carry the 700 KB message it came
// in (or unrelated bytes that shared its pool) to the page, which must then
// decode it. Everything the main process sends to a renderer goes through
// ownBytes: each typed array or DataView that does not span its buffer is
// replaced by a copy of exactly its bytes.

type Ctor = new (buffer: ArrayBuffer) => ArrayBufferView;
const TYPED: readonly Ctor[] = [
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
];

/** A copy of exactly the view's bytes, as the same kind of view (a subclass such as Node's Buffer: a Uint8Array). */
function compact(view: ArrayBufferView): ArrayBufferView {
  const bytes = new Uint8Array(view.byteLength);
  bytes.set(new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
  if (view instanceof DataView) return new DataView(bytes.buffer);
  const ctor = TYPED.find((c) => Object.getPrototypeOf(view) === c.prototype);
  return ctor ? new ctor(bytes.buffer) : bytes;
}

/**
 * The value with every typed array inside it (in plain objects and arrays, at any depth) holding only its own bytes.
 * Parts that need no change are the same objects; the input is never modified.
 */
export function ownBytes<T>(value: T): T {
  return walk(value) as T;
}

function walk(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (ArrayBuffer.isView(value)) {
    const spansBuffer = value.byteOffset === 0 && value.byteLength === value.buffer.byteLength;
    const standard = value instanceof DataView || TYPED.some((c) => Object.getPrototypeOf(value) === c.prototype);
    return spansBuffer && standard ? value : compact(value);
  }
  if (Array.isArray(value)) {
    let out: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const v = walk(value[i]);
      if (v !== value[i]) (out ??= value.slice())[i] = v;
    }
    return out ?? value;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  let out: Record<string, unknown> | null = null;
  for (const [k, v] of Object.entries(value)) {
    const w = walk(v);
    if (w !== v) (out ??= { ...(value as Record<string, unknown>) })[k] = w;
  }
  return out ?? value;
}
