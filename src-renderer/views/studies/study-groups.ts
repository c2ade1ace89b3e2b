import type { RunSummary } from '../../../src-core/contracts/session-types';

// Studies found in a session: runs that share a sweep id and carry the
// study's name in their notes ("Study: Learning rate study"), in start order.

export const STUDY_NOTE = 'Study: ';

export interface StudyGroup {
  sweepId: string;
  name: string;
  runs: RunSummary[];
}

/** Group a session's runs into studies (newest study first; runs in planned order). */
export function studyGroups(runs: readonly RunSummary[]): StudyGroup[] {
  const groups = new Map<string, StudyGroup>();
  for (const r of runs) {
    if (!r.sweepId || !r.notes.startsWith(STUDY_NOTE)) continue;
    const name = r.notes.slice(STUDY_NOTE.length).split('\n')[0];
    const g = groups.get(r.sweepId) ?? { sweepId: r.sweepId, name, runs: [] };
    g.runs.push(r);
    groups.set(r.sweepId, g);
  }
  const out = [...groups.values()];
  for (const g of out) g.runs.sort((a, b) => a.startedAt - b.startedAt);
  return out.sort((a, b) => b.runs[0].startedAt - a.runs[0].startedAt);
}
