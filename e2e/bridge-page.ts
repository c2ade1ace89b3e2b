// Runs inside the page (added with page.addInitScript before any app code):
// builds window.lab from the exposed binding, like the preload does in the
// app. Must be self-contained: Playwright serialises this function's source.

export function installLabBridge(channels: readonly string[]): void {
  type Listener = (event: unknown) => void;
  const listeners = new Set<Listener>();
  const decodeValue = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(decodeValue);
    if (value && typeof value === 'object') {
      const o = value as Record<string, unknown>;
      if (typeof o['__typed'] === 'string' && typeof o['b64'] === 'string') {
        const bin = atob(o['b64']);
        const bytes = new Uint8Array(bin.length);
        for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
        const Ctor = (globalThis as unknown as Record<string, new (b: ArrayBuffer) => unknown>)[o['__typed']];
        return new Ctor(bytes.buffer);
      }
      if (typeof o['__number'] === 'string') return Number(o['__number']);
      return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, decodeValue(v)]));
    }
    return value;
  };
  const encodeValue = (value: unknown): unknown => {
    if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
      // Typed arrays (e.g. the bytes of a dropped file) travel tagged, as in the other direction.
      const bytes = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
      let bin = '';
      for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return { __typed: value.constructor.name, b64: btoa(bin) };
    }
    if (typeof value === 'number' && !Number.isFinite(value)) return { __number: String(value) };
    if (Array.isArray(value)) return value.map(encodeValue);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encodeValue(v)]));
    return value;
  };
  const invoke = (globalThis as unknown as { __labInvoke: (channel: string, payload: unknown) => Promise<unknown> }).__labInvoke;
  const lab: Record<string, unknown> = {};
  for (const channel of channels) {
    lab[channel] = async (payload?: unknown) => decodeValue(await invoke(channel, encodeValue(payload)));
  }
  lab['onEvent'] = (listener: Listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  };
  Object.defineProperty(window, 'lab', { value: Object.freeze(lab), writable: false });
  Object.defineProperty(window, '__labEmit', {
    value: (event: unknown) => {
      const decoded = decodeValue(event);
      for (const l of listeners) l(decoded);
    },
  });
}
