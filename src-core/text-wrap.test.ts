import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { estimateTextWidth, wrapText } from './text-wrap';

// Word wrap by width: every line fits, no word is lost or reordered, and a
// word wider than a line is cut rather than left to run off the figure.

const mono = (s: string) => s.length * 7;

describe('wrapText', () => {
  it('breaks between words so that every line fits', () => {
    expect(wrapText('aa bb cc dd', 35, mono)).toEqual(['aa bb', 'cc dd']);
    expect(wrapText('', 100, mono)).toEqual([]);
    expect(wrapText('   ', 100, mono)).toEqual([]);
  });

  it('cuts a word wider than the whole line into pieces that fit', () => {
    expect(wrapText('abcdefghij xy', 28, mono)).toEqual(['abcd', 'efgh', 'ij', 'xy']);
  });

  it('for any text and width: lines fit, and their characters are the words in order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[a-zA-Z0-9;:.]{1,30}$/), { maxLength: 40 }),
        fc.integer({ min: 14, max: 400 }),
        (words, width) => {
          const lines = wrapText(words.join(' '), width, mono);
          for (const l of lines) expect(mono(l)).toBeLessThanOrEqual(width);
          expect(lines.join('').replace(/ /g, '')).toBe(words.join(''));
        },
      ),
    );
  });

  it('estimated widths never fall below a plain per-character floor and grow with the text', () => {
    expect(estimateTextWidth('', 12)).toBe(0);
    expect(estimateTextWidth('MMMM', 12)).toBeGreaterThan(estimateTextWidth('iiii', 12));
    for (const s of ['Test accuracy; LR: 0.01 / 0.1; BS:32', 'N 1,000 (100/class)'])
      expect(estimateTextWidth(s, 12)).toBeGreaterThan(s.length * 12 * 0.3);
  });
});
