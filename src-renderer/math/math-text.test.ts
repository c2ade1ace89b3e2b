import { describe, expect, it } from 'vitest';
import { GUIDE_STEPS } from '../guide/guide-steps';
import { fromPlain, parseFormula, parseMathText, plainText } from './math-text';

describe('formulas written for a terminal, on screen', () => {
  it('spell lambda as λ, * as ·, a minus as −', () => {
    expect(plainText(fromPlain('f(x) = lambda*x^2/2'))).toBe('f(x) = λ·x^2/2');
    expect(
      fromPlain('f(x) = lambda*x^2/2')
        .filter((p) => p.kind === 'var')
        .map((p) => (p as { text: string }).text),
    ).toEqual(['f', 'x', 'x']);
    expect(plainText(fromPlain('f = (lambda1*u^2 + lambda2*w^2)/2, (u, w) = (x, y) rotated by -angle'))).toBe(
      'f = (λ_1·u^2 + λ_2·w^2)/2, (u, w) = (x, y) rotated by −angle',
    );
    expect(plainText(fromPlain('f(x) = 1 - exp(-x^2/(2w^2))'))).toBe('f(x) = 1 − exp(−x^2/(2w^2))');
  });
});

describe('formulas in the guide', () => {
  it('typesets single letters as variables, ^ and _ as super- and subscripts, names and symbols upright', () => {
    expect(parseFormula('ρ = √d')).toEqual([
      { kind: 'text', text: 'ρ = √' },
      { kind: 'var', text: 'd' },
    ]);
    expect(parseFormula('f = x^2/2')).toEqual([
      { kind: 'var', text: 'f' },
      { kind: 'text', text: ' = ' },
      { kind: 'var', text: 'x' },
      { kind: 'sup', parts: [{ kind: 'text', text: '2' }] },
      { kind: 'text', text: '/2' },
    ]);
    expect(parseFormula('x_{t+1}')).toEqual([
      { kind: 'var', text: 'x' },
      {
        kind: 'sub',
        parts: [
          { kind: 'var', text: 't' },
          { kind: 'text', text: '+1' },
        ],
      },
    ]);
    expect(parseFormula('lr·∇f')).toEqual([
      { kind: 'text', text: 'lr·∇' },
      { kind: 'var', text: 'f' },
    ]);
    expect(() => parseFormula('x^{2')).toThrow(/does not close/);
    expect(() => parseMathText('a $x')).toThrow(/unpaired/);
  });

  it('every guide paragraph parses, and none spells a formula in code words', () => {
    for (const step of GUIDE_STEPS) {
      for (const p of step.body) {
        expect(() => parseMathText(p)).not.toThrow();
        expect(p).not.toMatch(/sqrt|\brho\b|\*\*|\^2(?![^$]*\$)/);
      }
    }
    const momentum = GUIDE_STEPS.find((s) => s.id === 'momentum')!;
    expect(momentum.body.join(' ')).toContain('$ρ ≥ √d > 1$');
  });

  it('step 1 points at the assignment presets, not at values that are already the defaults', () => {
    const first = GUIDE_STEPS[0].body.join(' ');
    expect(first).toContain('Assignment');
    expect(first).toContain('Run all simulations');
    expect(first).not.toMatch(/then try batch size 32, learning rate 0\.1/);
  });
});
