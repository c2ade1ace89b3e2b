import type { ScaleLinear, ScaleLogarithmic } from 'd3';

export interface Tick {
  value: number;
  pos: number;
  /** Empty for a minor tick that gets no label. */
  label: string;
}

type Scale = ScaleLinear<number, number> | ScaleLogarithmic<number, number>;

/** Tick marks of a linear or log scale with labels; on a log scale only a readable subset is labelled (d3 blanks the rest). */
export function ticksOf(scale: Scale, count: number, format?: (v: number) => string): Tick[] {
  const d3fmt = scale.tickFormat(count);
  return scale.ticks(count).map((v) => {
    const plain = d3fmt(v);
    const label = plain === '' ? '' : format ? format(v) : plain;
    return { value: v, pos: scale(v), label };
  });
}
