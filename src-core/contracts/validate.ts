import type { z } from 'zod';
import { LabError } from './lab-error';

/** Parse with a schema; on failure throw one LabError naming the first bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  // A large typed array where the schema wants an object makes zod list every
  // index as an unknown key (seconds of CPU and gigabytes for a few MB). So
  // check the shape first with each typed array replaced by an empty one; only
  // a payload whose typed arrays sit where bytes are expected is parsed whole.
  // (So a refinement on a typed array's contents must accept an empty one.)
  const stubbed = withEmptyTypedArrays(value, 0);
  if (stubbed !== value) {
    const shape = schema.safeParse(stubbed);
    if (!shape.success) throw new LabError('invalid-input', `${what}: ${describeIssue(shape.error.issues[0])}`);
  }
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

/** A copy of value with every typed array emptied (value itself when it holds none, or nests deeper than 64). */
function withEmptyTypedArrays(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== 'object' || depth > 64) return value;
  if (ArrayBuffer.isView(value)) {
    const Ctor = (value as unknown as { constructor: new (n: number) => unknown }).constructor;
    return value instanceof DataView ? new DataView(new ArrayBuffer(0)) : new Ctor(0);
  }
  const proto = Object.getPrototypeOf(value);
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((v) => {
      const w = withEmptyTypedArrays(v, depth + 1);
      if (w !== v) changed = true;
      return w;
    });
    return changed ? out : value;
  }
  if (proto !== Object.prototype && proto !== null) return value;
  let changed = false;
  const out: Record<string, unknown> = proto === null ? Object.create(null) : {};
  for (const key of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[key];
    const w = withEmptyTypedArrays(v, depth + 1);
    if (w !== v) changed = true;
    Object.defineProperty(out, key, { value: w, enumerable: true, writable: true, configurable: true });
  }
  return changed ? out : value;
}
