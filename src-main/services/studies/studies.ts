import { randomUUID } from 'node:crypto';
import { EvalSnapshotSchema, StartStudySchema, StudyIdSchema, type StudiesApi, type StudyState } from '../../../src-core/contracts/api-studies';
import { LabError } from '../../../src-core/contracts/lab-error';
import { parseOrThrow } from '../../../src-core/contracts/validate';
import type { SessionStore } from '../../../src-core/node/store/session-store';
import { planStudy } from '../../../src-core/studies/plan';
import type { DatasetService } from '../training/datasets';
import type { RunManager } from '../training/run-manager';
import type { ServicesOf } from '../service-context';
import type { SweepService } from './sweeps';

// Studies: plan the runs (src-core/studies), queue them as one sweep on the
// existing pool, and mark each recorded run with the study's name in its
// notes, so the study is still recognisable in the session after a restart.

export function createStudiesServices(sweeps: SweepService, store: SessionStore, runs: RunManager, datasets: DatasetService): ServicesOf<StudiesApi> {
  const studies = new Map<string, { state: StudyState }>();
  // Registered after the session recorder, so a run's row exists when its 'started' arrives here.
  runs.observe((m) => {
    if (m.type !== 'started') return;
    const place = sweeps.placeOf(m.runId);
    if (!place) return;
    for (const s of studies.values()) {
      if (s.state.sweep.id !== place.sweepId) continue;
      try {
        if (store.db.open) store.updateRun(m.runId, { notes: `Study: ${s.state.name}` });
      } catch (err) {
        console.error('momentum-lab: could not note the study on a run:', err);
      }
    }
  });
  const refresh = (s: StudyState): StudyState => ({ ...s, sweep: sweeps.list().find((w) => w.id === s.sweep.id) ?? s.sweep });
  return {
    startStudy: async (payload) => {
      const req = parseOrThrow(StartStudySchema, payload, 'startStudy');
      const info = datasets.info();
      const plan = planStudy(req, info.trainCount, Math.min(...info.trainClassCounts));
      const sweep = sweeps.startConfigs(plan.configs, req.workers, plan.labels);
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
