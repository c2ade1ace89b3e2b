// The one parser for every number a person types into the lab: CLI flags, the
// renderer's form fields, lists of values, and numbers stored as text. It
// accepts decimal notation only, so what the lab trains with is what the text
// says in base ten. (JavaScript's Number() also reads "0x10" as 16, "0b101"
// as 5, "0o7" as 7, "" and "  " as 0, and "Infinity"; none of those is what a
// student typing into "Hidden units" means.)
//
// Accepted (after trimming spaces and tabs at either end):
//   [+|-] digits [. digits]  or  [+|-] . digits  or  [+|-] digits .
//   optionally followed by an exponent  e|E [+|-] digits     ("1e-3", "2.5E4")
// Leading zeros are decimal ("010" is ten). Scientific notation is decimal
// notation (a learning rate of 1e-3 is common), so it is accepted.
// Refused, with a reason: empty text, hex/binary/octal prefixes, digit
// separators ("1_000", "1,5"), inner whitespace, other whitespace (newlines,
// non-breaking spaces), "NaN", "Infinity", and decimals too large for a
// double ("1e400"). Range rules (integers, bounds, -0) belong to the zod
// schemas in numbers.ts, which get the parsed value.

export type DecimalParse = { ok: true; value: number } | { ok: false; reason: string };

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Text the lab quotes in a reason: at most 40 characters, control characters shown as \uXXXX. */
function quote(text: string): string {
  const short = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return `"${short.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
}

/** Parses decimal notation (see above); never throws. */
export function parseDecimal(text: string): DecimalParse {
  if (typeof text !== 'string') return { ok: false, reason: `${typeof text} is not text` };
  const t = text.replace(/^[ \t]+|[ \t]+$/g, '');
  if (t === '') return { ok: false, reason: `${quote(text)} is not a number (the text is empty)` };
  if (!DECIMAL.test(t)) {
    if (/^[+-]?0[xXbBoO]/.test(t))
      return {
        ok: false,
        reason: `${quote(text)} is not a number in decimal notation (hexadecimal, binary and octal are refused)`,
      };
    return { ok: false, reason: `${quote(text)} is not a number in decimal notation` };
  }
  const value = Number(t);
  if (!Number.isFinite(value)) return { ok: false, reason: `${quote(text)} is too large to represent` };
  return { ok: true, value };
}

/** parseDecimal's value, or null when the text is refused. */
export function decimalOrNull(text: string): number | null {
  const r = parseDecimal(text);
  return r.ok ? r.value : null;
}
