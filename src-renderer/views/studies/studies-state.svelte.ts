import type { StartStudyRequest, StudyKind, StudyState } from '../../../src-core/contracts/api-studies';
import type { SweepState } from '../../../src-core/contracts/api-sweeps';
import { formatValues, STUDIES } from '../../../src-core/studies/definitions';

// What the Studies view shows, kept outside the component so switching views
// keeps the form, the study being run and the one being looked at.

class StudiesState {
  kind = $state<StudyKind>('lr');
  values = $state<Record<StudyKind, string>>(
    Object.fromEntries(STUDIES.map((s) => [s.kind, formatValues(s.defaults)])) as Record<StudyKind, string>,
  );
  seeds = $state(1);
  small = $state(true);
  momentumLr = $state<NonNullable<StartStudyRequest['momentumLr']>>('fixed');
  baseLr = $state(0.1);
  /** The study started last from this view, with its latest sweep progress. */
  current = $state.raw<StudyState | null>(null);
  sweep = $state.raw<SweepState | null>(null);
  /** The sweep id of the study whose comparison is shown. */
  shown = $state<string | null>(null);
}

export const studies = new StudiesState();
