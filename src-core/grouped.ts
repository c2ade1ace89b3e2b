/**
 * An integer with comma thousands separators ("60,000"), as toLocaleString('en-US') writes it, without its first-use
 * cost (loading the locale data takes about 30 ms of a worker's start-up). Non-integers fall back to toLocaleString.
 */
export function grouped(n: number): string {
  if (!Number.isSafeInteger(n)) return n.toLocaleString('en-US');
  const digits = String(Math.abs(n));
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ',';
    out += digits[i];
  }
  return n < 0 || Object.is(n, -0) ? `-${out}` : out;
}
