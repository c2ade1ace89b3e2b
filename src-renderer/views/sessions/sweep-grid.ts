import { parseDecimal } from '../../../src-core/contracts/parse-decimal';

// Parses a sweep field: "0.01, 0.1, 1" -> [0.01, 0.1, 1]; for per-class
// sizes "all" means every training image (null). The service validates the
// values against the same schema as a single run.

export function parseList(text: string, allowAll: boolean): { values: (number | null)[] } | { error: string } {
  const parts = text.split(/[,\s]+/).filter(Boolean);
  const values: (number | null)[] = [];
  for (const p of parts) {
    if (allowAll && p.toLowerCase() === 'all') values.push(null);
    else {
      const r = parseDecimal(p);
      if (!r.ok) return { error: r.reason };
      values.push(r.value);
    }
  }
  if (new Set(values).size !== values.length) return { error: 'a value is listed twice' };
  return { values };
}
