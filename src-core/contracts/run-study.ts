import { STUDY_KINDS } from './api-studies';

// Which study a recorded run belongs to: fields of the run (runs.study_id, study_kind, study_name, seed_group;
// schema v10), never text parsed out of its notes or its name. A study is a group of runs started together (the
// Studies view's studies, and the assignment's "Run all"); its id is the sweep that ran it.

/** The study kinds a run can belong to: the Studies view's, and the assignment's simulations. */
export const RUN_STUDY_KINDS = [...STUDY_KINDS, 'assignment'] as const;
export type RunStudyKind = (typeof RUN_STUDY_KINDS)[number];

export interface RunStudy {
  id: string;
  /** null for a study recorded before kinds were stored whose name did not say its kind. */
  kind: RunStudyKind | null;
  name: string;
}

/** What a sweep's run carries into its row: its study, and the seed group (runs of one value over seeds share it). */
export interface RunStudyPlace {
  study: RunStudy;
  seedGroup: string;
}
