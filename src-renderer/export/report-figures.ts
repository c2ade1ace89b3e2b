// The figures a view shows, for its HTML report: each <svg data-figure> under `root` in page order, serialised
// without its caption (the report prints the caption under each figure itself, from data-caption).

export async function figuresOn(root: ParentNode | null, most = 32): Promise<{ svg: string; caption: string }[]> {
  const { serializeFigure } = await import('./serialize-svg');
  return [...(root?.querySelectorAll<SVGSVGElement>('svg[data-figure]') ?? [])]
    .slice(0, most)
    .map((svg) => ({ svg: serializeFigure(svg, '').svg, caption: svg.getAttribute('data-caption') ?? '' }));
}
