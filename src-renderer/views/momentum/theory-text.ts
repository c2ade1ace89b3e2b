import type { ConditionedTheory } from '../../../src-core/momentum/theory/conditioned';
import type { EnvelopeForm } from '../../../src-core/momentum/theory/envelope';
import { fmtNum } from '../../lib/format';

// Sentences and actions of the theory panel, kept out of the component so
// they can be tested against closed forms.

function formText(f: EnvelopeForm): string {
  switch (f.kind) {
    case 'complex':
      return `C·ρᵗ with C = ${fmtNum(f.C)} and ρ = √d = ${fmtNum(f.rho)} (complex roots: the peaks touch it)`;
    case 'double':
      return `(|a| + |b|·t)·ρᵗ with a = ${fmtNum(f.a)}, b = ${fmtNum(f.b)}, ρ = ${fmtNum(f.rho)} (a double root: the transient grows linearly before it decays)`;
    case 'real':
      return `|a|·|μ₁|ᵗ + |b|·|μ₂|ᵗ with a = ${fmtNum(f.a)}, |μ₁| = ${fmtNum(f.r1)}, b = ${fmtNum(f.b)}, |μ₂| = ${fmtNum(f.r2)} (real roots)`;
  }
}

/** What the dashed envelope is, for the run shown: the exact form from its start (x0, v0 = 0). */
export function envelopeSentence(th: ConditionedTheory): string {
  if (!th.envelope || th.envelopeForms.length === 0) return '';
  const early = th.envelopeForms.every((f) => f.kind === 'double')
    ? ''
    : 'In the first steps the smaller bound |e₀|·ρᵗ + |e₁ − m·e₀|·t·ρᵗ⁻¹ (m = (1+d−h)/2) is drawn where it is lower.';
  if (th.envelopeForms.length === 1)
    return `Dashed: the exact envelope from the start, |xₜ − x*| ≤ ${formText(th.envelopeForms[0])}. ${early}`.trim();
  const parts = th.envelopeForms.map((f, k) => `along λ = ${fmtNum(th.directions[k].lambda)}: ${formText(f)}`);
  return `Dashed: ‖xₜ − x*‖ ≤ √(E₁² + E₂²), the two eigen-directions' exact envelopes summed in quadrature; ${parts.join('; ')}. ${early}`.trim();
}

/** How the 2-D table's highlighted direction is named (never "slowest" for a diverging or tied one). */
export function dominantName(th: ConditionedTheory): string {
  const q = th.directions[th.dominant];
  switch (th.dominantRole) {
    case 'diverging':
      return `the diverging direction (λ = ${fmtNum(q.lambda)})`;
    case 'tie':
      return `both directions share ρ = ${fmtNum(th.rho)}`;
    case 'limits':
      return `the direction that limits the rate (λ = ${fmtNum(q.lambda)})`;
  }
}

/** "use these": the exact Polyak optimum to load, and its rounded label. */
export function optimalSetting(th: ConditionedTheory): { lr: number; d: number; label: string } {
  const { lr, d } = th.optimal;
  return { lr, d, label: `lr = ${fmtNum(lr)}, d = ${fmtNum(d)}` };
}
