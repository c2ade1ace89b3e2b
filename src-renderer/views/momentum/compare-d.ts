// The d each optimizer of the comparison runs with. Heavy-ball and Nesterov take any d; Adam's β1 (its d) must be
// below 1 (its bias correction divides by 1 − β1ᵗ), so a d of 1 or more runs Adam at ADAM_MAX_D instead, and the view
// says so beside the comparison.

/** The largest β1 Adam runs with when the slider's d is 1 or more. */
export const ADAM_MAX_D = 0.999;

export function compareD(kind: string, d: number): number {
  return kind === 'adam' ? Math.min(d, ADAM_MAX_D) : d;
}

/** The sentence for the screen when the comparison runs an optimizer at another d than the slider's, else null. */
export function substitutionNote(d: number): string | null {
  if (compareD('adam', d) === d) return null;
  return `Adam cannot use d = ${d}: its β₁ must be below 1, so Adam runs here at β₁ = ${ADAM_MAX_D}, not d = ${d}. Gradient descent ignores d; heavy-ball and Nesterov run at d = ${d}.`;
}
