// Number and time formatting for the lab's labels, tooltips and status lines.
// Non-finite values are spelled out ("NaN", "+∞") rather than drawn as garbage.

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
  return String(Number(v.toPrecision(digits)));
}

/** A fraction in [0, 1] as a percentage, e.g. 0.9712 -> "97.12 %". */
export function fmtPct(v: number, decimals = 2): string {
  if (!Number.isFinite(v)) return fmtNum(v);
  return `${(v * 100).toFixed(decimals)} %`;
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
