import type { RunStudyKind } from '../../../src-core/contracts/run-study';
import type { RunSummary } from '../../../src-core/contracts/session-types';

// Studies found in a session: runs that share a study id (the run's study fields, schema v9; never its notes),
// in start order.

export interface StudyGroup {
  /** The study's id (the sweep that ran it). */
  sweepId: string;
  name: string;
  kind: RunStudyKind | null;
  runs: RunSummary[];
}

/** Group a session's runs into studies (newest study first; runs in planned order); `kinds` keeps only those kinds. */
export function studyGroups(runs: readonly RunSummary[], kinds?: readonly RunStudyKind[]): StudyGroup[] {
  const groups = new Map<string, StudyGroup>();
  for (const r of runs) {
    const s = r.study;
    if (!s || (kinds && (s.kind === null || !kinds.includes(s.kind)))) continue;
    const g = groups.get(s.id) ?? { sweepId: s.id, name: s.name, kind: s.kind, runs: [] };
    g.runs.push(r);
    groups.set(s.id, g);
  }
  const out = [...groups.values()];
  for (const g of out) g.runs.sort((a, b) => a.startedAt - b.startedAt);
  return out.sort((a, b) => b.runs[0].startedAt - a.runs[0].startedAt);
}
