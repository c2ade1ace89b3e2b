import { describe, expect, it } from 'vitest';
import { planDrop } from './drop';

const f = (name: string) => ({ name });

describe('a drop on the window', () => {
  it('opens four files as a dataset', () => {
    const files = ['train-images-idx3', 'train-labels-idx1', 't10k-images-idx3', 't10k-labels-idx1'].map((n) =>
      f(`${n}-ubyte.gz`),
    );
    expect(planDrop(files)).toEqual({ kind: 'dataset', files });
  });
  it('imports one .mlab file as a session', () => {
    expect(planDrop([f('Week 3.MLAB')])).toEqual({ kind: 'session', file: f('Week 3.MLAB') });
  });
  it('asks for all four IDX files when only some are dropped', () => {
    const p = planDrop([f('train-images-idx3-ubyte'), f('train-labels-idx1-ubyte')]);
    expect(p.kind).toBe('refuse');
    expect(p.kind === 'refuse' && p.message).toMatch(/all four IDX files.*got 2/);
  });
  it('says what it accepts when given something else', () => {
    const p = planDrop([f('notes.txt')]);
    expect(p.kind === 'refuse' && p.message).toMatch(/session file \(\.mlab\) or four IDX files.*notes\.txt/);
    expect(planDrop([]).kind).toBe('refuse');
  });
});
