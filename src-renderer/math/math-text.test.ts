import { describe, expect, it } from 'vitest';
import { GUIDE_STEPS } from '../guide/guide-steps';
import { quadraticTheory } from '../../src-core/momentum/theory/quadratic';
import { fromPlain, parseFormula, parseMathText, plainText, typesetPlain } from './math-text';

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

describe('terminal sentences typeset for the screen', () => {
  it.each([
    [
      'rho = sqrt(d) = 0.9487 < 1 with complex roots: x_t oscillates inside the envelope C*rho^t, C set by the start (x_0, v_0)',
      'ρ = √d = 0.9487 < 1 with complex roots: xₜ oscillates inside the envelope C·ρᵗ, C set by the start (x₀, v₀)',
    ],
    [
      'd = 1.1 > 1: det M = d = mu1*mu2, so rho = max|mu| >= sqrt(det M) = sqrt(d) = 1.049 > 1.',
      'd = 1.1 > 1: det M = d = μ₁·μ₂, so ρ = max|μ| ≥ √(det M) = √d = 1.049 > 1.',
    ],
    [
      'd = d* = (1 - sqrt(lr*lambda))^2 = 0.1: |x_t - x*| <= (|a| + |b|*t)*rho^t.',
      'd = d* = (1 − √(lr·λ))² = 0.1: |xₜ − x*| ≤ (|a| + |b|·t)·ρᵗ.',
    ],
    [
      'a repeated root at -0.9 on the unit circle, so x_t - x* = (a + b*t)*(-1)^t grows',
      'a repeated root at −0.9 on the unit circle, so xₜ − x* = (a + b·t)·(−1)ᵗ grows',
    ],
    [
      'the velocity sums -lr*g*(1 + d + d^2 + ... + d^(t-1)) = -lr*g*(1 - d^t)/(1 - d)',
      'the velocity sums −lr·g·(1 + d + d² + ... + dᵗ⁻¹) = −lr·g·(1 − dᵗ)/(1 − d)',
    ],
  ])('%s', (plain, screen) => {
    expect(typesetPlain(plain)).toBe(screen);
  });

  it('leaves words, hyphenated words and numbers in e-notation alone', () => {
    const s = 'the eigen-directions of Jacobian 1e-6 (lambdas muon rhodium)';
    expect(typesetPlain(s)).toBe(s);
  });

  it('typesets every sentence the quadratic theory writes: no ASCII notation is left', () => {
    for (const [h, d] of [
      [0.1, 0.9],
      [0.1, 0.05],
      [3.9, 0.9],
      [3.8, 0.9],
      [1, 1],
      [0.5, 1.2],
      [0.3, (1 - Math.sqrt(0.3)) ** 2],
      [1.9, 0.05],
    ]) {
      const screen = typesetPlain(quadraticTheory(h, d, 1).explanation);
      expect(screen).not.toMatch(/\b(rho|sqrt|lambda|mu)\b|\w_\w|\^|>=|<=|\*[\w(]/);
    }
  });
});
