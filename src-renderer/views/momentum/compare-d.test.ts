import { describe, expect, it } from 'vitest';
import { ADAM_MAX_D, compareD, substitutionNote } from './compare-d';

describe("the comparison's d per optimizer", () => {
  it('runs Adam below 1 and says so; the others keep d', () => {
    expect(compareD('adam', 1.05)).toBe(ADAM_MAX_D);
    expect(compareD('adam', 1)).toBe(ADAM_MAX_D);
    expect(compareD('adam', 0.9)).toBe(0.9);
    expect(compareD('heavy-ball', 1.05)).toBe(1.05);
    expect(compareD('nesterov', 1.05)).toBe(1.05);
    expect(substitutionNote(0.9)).toBeNull();
    expect(substitutionNote(1.05)).toBe(
      'Adam cannot use d = 1.05: its β₁ must be below 1, so Adam runs here at β₁ = 0.999, not d = 1.05. Gradient descent ignores d; heavy-ball and Nesterov run at d = 1.05.',
    );
  });
});
