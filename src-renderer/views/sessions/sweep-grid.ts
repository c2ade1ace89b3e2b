// Parses a sweep field: "0.01, 0.1, 1" -> [0.01, 0.1, 1]; for per-class
// sizes "all" means every training image (null). The service validates the
// values against the same schema as a single run.

export function parseList(text: string, allowAll: boolean): { values: (number | null)[] } | { error: string } {
  const parts = text.split(/[,\s]+/).filter(Boolean);
  const values: (number | null)[] = [];
  for (const p of parts) {
    if (allowAll && p.toLowerCase() === 'all') values.push(null);
    else {
      const v = Number(p);
      if (!Number.isFinite(v)) return { error: `"${p}" is not a number` };
      values.push(v);
    }
  }
  if (new Set(values).size !== values.length) return { error: 'a value is listed twice' };
  return { values };
}
