// Number and time formatting for every number the lab shows in words: the renderer (src-renderer/lib/format.ts
// re-exports this), the sentences of src-core and the reports. Pure: no DOM, no Node.
// Every number goes through here, so one convention holds.
//
// The convention (issue 14, item 7):
// - Percentages: the number, a no-break space (U+00A0, so a label never
//   breaks before its "%"), then "%": "97.12 %", "97.1 %", "90 %" (ISO 80000 style). Values: fmtPct (2 decimals by default); axis ticks and
//   compact labels: fmtPctShort (whole percent, or one decimal where needed).
// - Integers (iterations, images, counts): comma thousands separators,
//   "2,000", "60,000" (fmtInt). Real values of 1,000 or more are grouped the
//   same way by fmtNum ("12,350"); below 1e-4 or from 1e6 on, e notation ("1e-5").
// - Non-finite values are spelled out ("NaN", "+∞", "−∞") rather than drawn as garbage.
// Text the user may type back into a form (input values) is never grouped: use String(v) there.

/** Comma-group the integer part of a plain decimal string ("12345.6" -> "12,345.6"). */
function groupDigits(s: string): string {
  const m = /^(-?)(\d+)(\.\d+)?$/.exec(s);
  if (!m || m[2].length <= 3) return s;
  return `${m[1]}${m[2].replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${m[3] ?? ''}`;
}

/** A value with `digits` significant digits; non-finite values by name. */
export function fmtNum(v: number, digits = 4): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+∞';
  if (v === -Infinity) return '−∞';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e6 || a < 1e-4) {
    const [mant, exp] = v.toExponential(Math.max(0, digits - 1)).split('e');
    return `${String(Number(mant))}e${exp.replace('+', '')}`;
  }
  return groupDigits(String(Number(v.toPrecision(digits))));
}

/** The unit of a percentage: a no-break space and "%". */
const PCT = '\u00a0%';

/** A fraction in [0, 1] as a percentage, e.g. 0.9712 -> "97.12 %". */
export function fmtPct(v: number, decimals = 2): string {
  if (!Number.isFinite(v)) return fmtNum(v);
  return `${(v * 100).toFixed(decimals)}${PCT}`;
}

/**
 * A fraction as a short percentage for axis ticks and compact labels: whole percent when that is exact to 0.05,
 * else one decimal: 0.9 -> "90 %", 0.925 -> "92.5 %", 0 -> "0 %".
 */
export function fmtPctShort(v: number): string {
  if (!Number.isFinite(v)) return fmtNum(v);
  const p = v * 100;
  const whole = Math.round(p);
  return Math.abs(p - whole) < 0.05 ? `${whole === 0 ? 0 : whole}${PCT}` : `${p.toFixed(1)}${PCT}`;
}

/** An integer with thousands separators, e.g. 60000 -> "60,000". */
export function fmtInt(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : fmtNum(n);
}

/** Milliseconds as "42 s", "3:07" or "1:02:03". */
export function fmtDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}
