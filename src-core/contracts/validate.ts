import type { z } from 'zod';
import { LabError } from './lab-error';

/** Parse with a schema; on failure throw one LabError naming the first bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new LabError('invalid-input', `${what}: ${describeIssue(result.error.issues[0])}`);
}

/** One readable sentence for a zod issue, e.g. "lr must be > 0 (got -1)". */
export function describeIssue(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return 'invalid value';
  const path = issue.path.length > 0 ? issue.path.join('.') : 'value';
  return `${path}: ${issue.message}`;
}
