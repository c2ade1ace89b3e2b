// Word wrap by width, shared by the renderer's figures (widths measured on a
// canvas) and the SVG charts the main process writes (widths estimated from
// the export font's character widths): one rule for every figure's caption.

/**
 * Greedy word wrap of `text` into lines no wider than `maxWidth`; a word wider
 * than a whole line is broken between characters. Empty text gives no lines.
 */
export function wrapText(text: string, maxWidth: number, fits: (s: string) => number): string[] {
  const lines: string[] = [];
  let line = '';
  const push = (word: string) => {
    // A word too long for a line on its own is cut into pieces that fit.
    let rest = word;
    while (fits(rest) > maxWidth && rest.length > 1) {
      let n = rest.length - 1;
      while (n > 1 && fits(rest.slice(0, n)) > maxWidth) n--;
      lines.push(rest.slice(0, n));
      rest = rest.slice(n);
    }
    return rest;
  };
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (fits(next) <= maxWidth) line = next;
    else {
      if (line) lines.push(line);
      line = push(word);
    }
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * An over-estimate of a string's width in px in DejaVu Sans (the export font, wider than the usual fallbacks) at
 * `size` px, from per-character advance widths in em, for code that cannot measure (the main process).
 */
export function estimateTextWidth(text: string, size: number): number {
  let em = 0;
  for (const ch of text) {
    if (ch === ' ') em += 0.32;
    else if ("iljtfr.,;:!|'()[]".includes(ch)) em += 0.4;
    else if ('mwMW@%'.includes(ch)) em += 1.0;
    else if (/[A-Z]/.test(ch)) em += 0.75;
    else if (/[0-9a-z]/.test(ch)) em += 0.64;
    else em += 0.85;
  }
  return em * size;
}
