import { describe, expect, it } from 'vitest';
import { parseList } from './sweep-grid';

describe('sweep fields', () => {
  it('reads comma- or space-separated numbers, and "all" for per-class sizes', () => {
    expect(parseList('0.01, 0.1 1', false)).toEqual({ values: [0.01, 0.1, 1] });
    expect(parseList('10, all', true)).toEqual({ values: [10, null] });
    expect(parseList('', false)).toEqual({ values: [] });
  });
  it('refuses words, non-finite numbers and repeats', () => {
    expect(parseList('0.1, x', false)).toEqual({ error: '"x" is not a number in decimal notation' });
    expect(parseList('Infinity', false)).toHaveProperty('error');
    expect(parseList('1, 1', false)).toEqual({ error: 'a value is listed twice' });
    expect(parseList('all', false)).toHaveProperty('error');
  });
});
