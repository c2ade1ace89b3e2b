import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { LabError } from './lab-error';
import { parseOrThrow } from './validate';

describe('parseOrThrow', () => {
  it('names the field and the rule it breaks', () => {
    const schema = z.strictObject({ lr: z.number().gt(0) });
    expect(() => parseOrThrow(schema, { lr: -1 }, 'training settings')).toThrowError(/^training settings: lr: /);
    try {
      parseOrThrow(schema, { lr: -1 }, 'x');
    } catch (err) {
      expect(err).toBeInstanceOf(LabError);
      expect((err as LabError).code).toBe('invalid-input');
    }
  });

  it('refuses a large typed array where an object is expected without letting zod walk its elements', () => {
    const schema = z.strictObject({ name: z.string() });
    const spy = vi.spyOn(schema, 'safeParse');
    const big = new Uint8Array(5_000_000);
    expect(() => parseOrThrow(schema, { name: 'x', extra: big }, 'createSession')).toThrowError(LabError);
    // zod saw only the stand-in with the typed array emptied, never the 5 MB original.
    for (const [arg] of spy.mock.calls) {
      const extra = (arg as { extra?: Uint8Array }).extra;
      expect(extra?.length).toBe(0);
    }
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('parses typed arrays whole where the schema expects bytes', () => {
    const schema = z.strictObject({ png: z.instanceof(Uint8Array), width: z.number() });
    const out = parseOrThrow(schema, { png: new Uint8Array([1, 2, 3]), width: 3 }, 'exportFigure');
    expect(Array.from(out.png)).toEqual([1, 2, 3]);
    expect(() => parseOrThrow(schema, { png: new Uint8Array(4), width: 'x' }, 'exportFigure')).toThrowError(/width/);
  });
});
