// Formulas in the guide's text, typeset as math in HTML: a paragraph's $…$ parts are formulas, in which a single
// Latin letter is a variable (italic, <var>), x^2 or x^{t+1} a superscript, x_0 or x_{t} a subscript, and
// everything else (digits, operators, Greek letters, √, names like "lr") is written as it stands, upright.
// "ρ = √d" on screen, never "rho = sqrt(d)".

export type MathPart =
  | { kind: 'text'; text: string }
  | { kind: 'var'; text: string }
  | { kind: 'sup'; parts: MathPart[] }
  | { kind: 'sub'; parts: MathPart[] };
export type Segment = { kind: 'text'; text: string } | { kind: 'math'; parts: MathPart[] };

/** The parts of one formula (the text between $ signs). */
export function parseFormula(src: string): MathPart[] {
  const out: MathPart[] = [];
  let i = 0;
  const pushText = (t: string) => {
    const last = out.at(-1);
    if (last?.kind === 'text') last.text += t;
    else out.push({ kind: 'text', text: t });
  };
  while (i < src.length) {
    const ch = src[i];
    if (ch === '^' || ch === '_') {
      const kind = ch === '^' ? 'sup' : 'sub';
      let inner: string;
      if (src[i + 1] === '{') {
        const end = src.indexOf('}', i + 2);
        if (end < 0) throw new RangeError(`parseFormula: "${src}" opens a { it does not close`);
        inner = src.slice(i + 2, end);
        i = end + 1;
      } else {
        inner = src[i + 1] ?? '';
        i += 2;
      }
      if (inner === '') throw new RangeError(`parseFormula: "${src}" has a ${ch} with nothing after it`);
      out.push(
        kind === 'sup' ? { kind: 'sup', parts: parseFormula(inner) } : { kind: 'sub', parts: parseFormula(inner) },
      );
      continue;
    }
    const word = /^[A-Za-z]+/.exec(src.slice(i))?.[0];
    if (word) {
      // One letter: a variable. A longer word ("lr", "det", "max"): a name, upright.
      if (word.length === 1) out.push({ kind: 'var', text: word });
      else pushText(word);
      i += word.length;
      continue;
    }
    pushText(ch);
    i++;
  }
  return out;
}

/** A paragraph as text and formulas ("$…$"); an unpaired $ is an error (a guide string to fix, not to show). */
export function parseMathText(paragraph: string): Segment[] {
  const pieces = paragraph.split('$');
  if (pieces.length % 2 === 0) throw new RangeError(`parseMathText: unpaired $ in "${paragraph}"`);
  return pieces
    .map((p, k) => (k % 2 === 0 ? { kind: 'text', text: p } : { kind: 'math', parts: parseFormula(p) }))
    .filter((s) => s.kind === 'math' || s.text !== '') as Segment[];
}

/** The plain text a formula reads as (for tests and screen readers' fallback). */
export function plainText(parts: MathPart[]): string {
  return parts
    .map((p) => (p.kind === 'sup' ? `^${plainText(p.parts)}` : p.kind === 'sub' ? `_${plainText(p.parts)}` : p.text))
    .join('');
}

/**
 * A formula written for a terminal ("f(x) = lambda*x^2/2", the objectives' `formula`) as a formula to typeset:
 * lambda → λ (lambda1 → λ₁ as a subscript), * → ·, a binary minus → −; then parseFormula.
 */
export function fromPlain(text: string): MathPart[] {
  const math = text
    .replace(/lambda(\d)/g, 'λ_$1')
    .replace(/lambda/g, 'λ')
    .replace(/\*/g, '·')
    .replace(/(^|[\s(])-/g, '$1−')
    .replace(/ - /g, ' − ');
  return parseFormula(math);
}

const SUBSCRIPT: Record<string, string> = { '0': '₀', '1': '₁', '2': '₂', t: 'ₜ' };
const SUPERSCRIPT: Record<string, string> = { '2': '²', t: 'ᵗ', '-': '⁻', '1': '¹' };

/** A superscript written with Unicode's raised characters, or null when one of its characters has none. */
function raised(s: string): string | null {
  let out = '';
  for (const ch of s.replace(/ - /g, '-')) {
    const up = SUPERSCRIPT[ch];
    if (up === undefined) return null;
    out += up;
  }
  return out;
}

/**
 * A sentence written for a terminal (the theory's explanations: "rho = sqrt(d) = 0.95 < 1 … C*rho^t, x_0")
 * as the screen shows formulas: ρ = √d, C·ρᵗ, x₀, lr·λ, ≤, a binary minus as −. Only the notation changes,
 * never a number or a word; what has no Unicode form (a long exponent) stays as written.
 */
export function typesetPlain(text: string): string {
  return text
    .replace(/\bsqrt\(([A-Za-z0-9]+)\)/g, '√$1')
    .replace(/\bsqrt\(/g, '√(')
    .replace(/\blambda\b/g, 'λ')
    .replace(/\brho\b/g, 'ρ')
    .replace(/\bmu([12])\b/g, (_, k: string) => `μ${SUBSCRIPT[k]}`)
    .replace(/\bmu\b/g, 'μ')
    .replace(/\b([A-Za-z])_([0-9t])\b/g, (_, v: string, k: string) => `${v}${SUBSCRIPT[k]}`)
    .replace(/\^\(([^()]*)\)/g, (m, e: string) => raised(e) ?? m)
    .replace(/\^([0-9t])/g, (m, e: string) => raised(e) ?? m)
    .replace(/>=/g, '≥')
    .replace(/<=/g, '≤')
    .replace(/([\p{L}\p{N})|])\*(?=[\p{L}\p{N}(])/gu, '$1·')
    .replace(/ - /g, ' − ')
    .replace(/(^|[\s(=])-(?=[\d(a-zA-Z])/g, '$1−');
}
