import { randomUUID } from 'node:crypto';
import {
  EvalSnapshotSchema,
  StartStudySchema,
  StudyIdSchema,
  type StudiesApi,
  type StudyState,
} from '../../../src-core/contracts/api-studies';
import { LabError } from '../../../src-core/contracts/lab-error';
import { parseOrThrow } from '../../../src-core/contracts/validate';
import type { SessionStore } from '../../../src-core/node/store/session-store';
import { planStudy } from '../../../src-core/studies/plan';
import type { DatasetService } from '../training/datasets';
import type { ServicesOf } from '../service-context';
import type { SweepService } from './sweeps';

// Studies: plan the runs (src-core/studies) and queue them as one sweep on the
// existing pool. The sweep carries the study (id, kind, name) and each run's
// seed group, which the recorder writes into the run's row (runs.study_*,
// seed_group), so the study is still recognisable in the session after a
// restart, whatever the user writes in the notes.

export function createStudiesServices(
  sweeps: SweepService,
  store: SessionStore,
  datasets: DatasetService,
): ServicesOf<StudiesApi> {
  const studies = new Map<string, { state: StudyState }>();
  const refresh = (s: StudyState): StudyState => ({
    ...s,
    sweep: sweeps.list().find((w) => w.id === s.sweep.id) ?? s.sweep,
  });
  return {
    startStudy: async (payload) => {
      const req = parseOrThrow(StartStudySchema, payload, 'startStudy');
      const info = datasets.info();
      const plan = planStudy(req, info.trainCount, Math.min(...info.trainClassCounts));
      const sweep = sweeps.startConfigs(plan.configs, req.workers, plan.labels, {
        name: plan.name,
        kind: req.kind,
        seedGroups: plan.groups,
      });
      const state: StudyState = { id: randomUUID(), name: plan.name, kind: req.kind, request: req, sweep };
      studies.set(state.id, { state });
      return structuredClone(refresh(state));
    },
    cancelStudy: async (payload) => {
      const { studyId } = parseOrThrow(StudyIdSchema, payload, 'cancelStudy');
      const s = studies.get(studyId);
      if (!s) throw new LabError('not-found', `no study with id ${studyId}`);
      sweeps.cancel({ sweepId: s.state.sweep.id });
      return structuredClone(refresh(s.state));
    },
    listStudies: async () => [...studies.values()].map((s) => structuredClone(refresh(s.state))),
    evalSnapshot: async (payload) => {
      const { runId, iter } = parseOrThrow(EvalSnapshotSchema, payload, 'evalSnapshot');
      store.run(runId);
      return store.snapshot(runId, iter);
    },
  };
}
