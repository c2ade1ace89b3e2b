// JSON that keeps NaN and +-Infinity: they are written as {"$num": "NaN"}
// (plain JSON would turn them into null) and read back as numbers.

export function stringifyExact(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0))
      ? { $num: Object.is(v, -0) ? '-0' : String(v) }
      : v,
  );
}

export function parseExact<T>(text: string): T {
  return JSON.parse(text, (_k, v) => {
    if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1 && typeof v.$num === 'string') {
      if (['NaN', 'Infinity', '-Infinity', '-0'].includes(v.$num)) return Number(v.$num);
    }
    return v;
  }) as T;
}
