import { z } from 'zod';

// Shared number schemas. zod 4 already rejects NaN and +-Infinity for
// z.number(); these add the lab's own rules (no negative zero, sane bounds).

const notNegativeZero = (v: number) => !Object.is(v, -0);

/** A finite real in [min, max] that is not -0. */
export const real = (min: number, max: number) =>
  z
    .number({ error: 'must be a finite number' })
    .min(min, { error: `must be >= ${min}` })
    .max(max, { error: `must be <= ${max}` })
    .refine(notNegativeZero, { error: 'must not be -0' });

/** A finite real in (0, max]. */
export const positiveReal = (max: number) =>
  z
    .number({ error: 'must be a finite number' })
    .gt(0, { error: 'must be > 0' })
    .max(max, { error: `must be <= ${max}` });

/** An integer in [min, max] that is not -0. */
export const int = (min: number, max: number) =>
  z
    .number({ error: 'must be a finite number' })
    .int({ error: 'must be a whole number' })
    .min(min, { error: `must be >= ${min}` })
    .max(max, { error: `must be <= ${max}` })
    .refine(notNegativeZero, { error: 'must not be -0' });
