import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDecimal } from './parse-decimal';

// The oracle is built from parts, not from the parser's regex: a decimal is
// sign? + integer digits + fraction + exponent, and its value is what the
// same digits mean in base ten (checked through parseFloat, which reads
// decimal only and stops at the first character it does not understand).

const RUNS = Number(process.env.PARSE_DECIMAL_RUNS ?? 2000);
const digits = (min: number, max: number) =>
  fc.array(fc.constantFrom(...'0123456789'), { minLength: min, maxLength: max }).map((a) => a.join(''));
const sign = fc.constantFrom('', '+', '-');
const exponent = fc.option(
  fc.tuple(fc.constantFrom('e', 'E'), sign, digits(1, 3)).map((p) => p.join('')),
  { nil: '' },
);
const mantissa = fc.oneof(
  digits(1, 12), // 12
  fc.tuple(digits(1, 8), digits(0, 8)).map(([a, b]) => `${a}.${b}`), // 1.5, 5.
  digits(1, 8).map((b) => `.${b}`), // .5
);
const decimal = fc.tuple(sign, mantissa, exponent).map((p) => p.join(''));

describe('parseDecimal: decimal notation only', () => {
  it(`accepts every decimal (sign, digits, fraction, exponent) with its base-ten value (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(decimal, fc.constantFrom('', ' ', '\t', '  '), (text, pad) => {
        const r = parseDecimal(pad + text + pad);
        const expected = parseFloat(text); // decimal-only reader; finite for at most 3 exponent digits unless it overflows
        if (!Number.isFinite(expected)) return !r.ok && /too large/.test(r.reason);
        return r.ok && Object.is(r.value, expected);
      }),
      { numRuns: RUNS },
    );
  });

  it(`round-trips every finite double written by String, toExponential and toFixed (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        for (const text of [String(x), x.toExponential(), x.toExponential(3)]) {
          const r = parseDecimal(text);
          if (!Number.isFinite(Number(text))) {
            if (r.ok) return false; // 3 significant digits of a double near 2^1024 round past the largest double
          } else if (!r.ok || r.value !== Number(text)) return false;
        }
        if (Math.abs(x) < 1e21) {
          const r = parseDecimal(x.toFixed(5));
          if (!r.ok || r.value !== Number(x.toFixed(5))) return false;
        }
        return true;
      }),
      { numRuns: RUNS },
    );
  });

  it(`refuses hexadecimal, binary and octal prefixes, with a reason that says so (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(
        sign,
        fc.constantFrom('0x', '0X', '0b', '0B', '0o', '0O'),
        fc.array(fc.constantFrom(...'0123456789abcdefABCDEF'), { minLength: 0, maxLength: 8 }),
        (s, prefix, body) => {
          const r = parseDecimal(`${s}${prefix}${body.join('')}`);
          return !r.ok && /decimal notation/.test(r.reason);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it(`refuses a decimal with anything inserted that is not decimal: separators, inner or exotic whitespace, letters (${RUNS} cases)`, () => {
    const junk = fc.constantFrom(
      '_',
      ',',
      ' ',
      '\t',
      '\n',
      '\r',
      '\u00a0',
      '\u2028',
      '\ufeff',
      'x',
      'n',
      'I',
      '%',
      '$',
      '\u0660',
      '٫',
      '\u0000',
    );
    fc.assert(
      fc.property(decimal, junk, fc.nat(), (text, j, at) => {
        const i = 1 + (at % text.length); // strictly inside or at the end
        const bad = text.slice(0, i) + j + text.slice(i);
        if (i === text.length && (j === ' ' || j === '\t')) return true; // trailing spaces and tabs are trimmed
        return !parseDecimal(bad).ok;
      }),
      { numRuns: RUNS },
    );
  });

  it('named cases: what is accepted and what is refused', () => {
    const accepted: [string, number][] = [
      ['64', 64],
      ['+5', 5],
      ['-1', -1],
      ['.5', 0.5],
      ['5.', 5],
      ['1e3', 1000],
      ['1E-3', 0.001],
      ['2.5e+2', 250],
      ['010', 10],
      ['007', 7],
      ['  32\t', 32],
      ['0', 0],
      ['1e308', 1e308],
      ['4.9e-324', 5e-324],
      ['1e-400', 0],
    ];
    for (const [text, value] of accepted) expect(parseDecimal(text), text).toEqual({ ok: true, value });
    expect(Object.is((parseDecimal('-0') as { value: number }).value, -0)).toBe(true); // the schema refuses -0, naming the rule
    const refused = [
      '0x10',
      '0b101',
      '0o17',
      '0X1F',
      '-0x10',
      '+0b1',
      '',
      ' ',
      '\t',
      '\n5',
      '5\n',
      '\u00a05',
      '1_000',
      '1,5',
      '1 000',
      '1e',
      'e3',
      '.',
      '+',
      '-',
      '+-1',
      '--1',
      '.e1',
      '1e3.5',
      '1.2.3',
      'NaN',
      'nan',
      'Infinity',
      '-Infinity',
      '+Infinity',
      'inf',
      '1e400',
      '-1e400',
      '١٢',
      '５',
      '0x',
      '12px',
      '1/2',
      '1e+',
      'true',
      'null',
    ];
    for (const text of refused) {
      const r = parseDecimal(text);
      expect(r.ok, JSON.stringify(text)).toBe(false);
      if (!r.ok) expect(r.reason).not.toMatch(/[\n\r\u0000]/);
    }
    expect(parseDecimal('0x10')).toEqual({
      ok: false,
      reason: '"0x10" is not a number in decimal notation (hexadecimal, binary and octal are refused)',
    });
    expect(parseDecimal('1e400')).toEqual({ ok: false, reason: '"1e400" is too large to represent' });
  });
});
