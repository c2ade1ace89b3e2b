// The renderer's number formats are the lab's one convention, src-core/format.ts (shared with the sentences the
// science modules write and the reports): "97.12 %" with a no-break space, "2,000".
export { fmtDuration, fmtInt, fmtNum, fmtPct, fmtPctShort } from '../../src-core/format';
