import { expect } from 'vitest';
import { LabError } from '../../../src-core/contracts/lab-error';
import { checkSvg } from './export-check';

// Shared by the checkSvg tests (the attack list and the XSS properties).

/** A 10 x 10 SVG document around `inner`, with extra attributes on the root. */
export const svg = (inner: string, rootAttrs = '') =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"${rootAttrs}>${inner}</svg>`;

/** Text as XMLSerializer writes it: &, < and > escaped; quotes left alone. */
export const escapeText = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Why checkSvg refuses `s` (its message; an invalid-input LabError, or the test fails), or null if it passes. */
export function refusalOf(s: string): string | null {
  try {
    checkSvg(s);
    return null;
  } catch (err) {
    expect(err).toBeInstanceOf(LabError);
    expect((err as LabError).code).toBe('invalid-input');
    return (err as LabError).message;
  }
}
