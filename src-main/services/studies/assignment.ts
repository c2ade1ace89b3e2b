import {
  AssignmentReportSchema,
  StartAssignmentSchema,
  type AssignmentApi,
} from '../../../src-core/contracts/api-assignment';
import { LabError } from '../../../src-core/contracts/lab-error';
import { parseOrThrow } from '../../../src-core/contracts/validate';
import type { SessionStore } from '../../../src-core/node/store/session-store';
import { planAssignment } from '../../../src-core/studies/assignment';
import { writeFileAtomic } from '../shared/atomic-file';
import { buildAssignmentReport, type AssignmentRun, type TestImages } from '../export/assignment-report';
import type { DatasetService } from '../training/datasets';
import { chooseSavePath } from '../shared/save-path';
import type { ServiceContext, ServicesOf } from '../service-context';
import type { SweepService } from './sweeps';

// The assignment's "Run all" and its report. Run all makes a new session current and queues every simulation on
// the sweep pool as one study of kind 'assignment' (the runs' study fields), named as the assignment names them.

/** Start every simulation into a new session; the runs carry the study (kind 'assignment') and their preset's name. */
export function startAssignment(sweeps: SweepService, store: SessionStore, datasets: DatasetService, payload: unknown) {
  const req = parseOrThrow(StartAssignmentSchema, payload, 'startAssignment');
  const plan = planAssignment(datasets.info().trainCount, req.small);
  const session = store.createSession(plan.name);
  store.selectSession(session.id);
  const study = { name: plan.name, kind: 'assignment' as const, seedGroups: plan.names };
  const sweep = sweeps.startConfigs(plan.configs, req.workers, plan.names, study);
  return { id: sweep.id, name: plan.name, sessionId: sweep.sessionId, sweep };
}

/** The test images of the open dataset, when the runs were trained on it. */
function testImagesFor(datasets: DatasetService, runs: readonly AssignmentRun[]): TestImages {
  const info = datasets.info();
  const other = runs.find((r) => r.run.datasetId !== info.id);
  if (other) {
    const missing = `The galleries need the test images of ${other.run.datasetName}; the lab has ${info.name} open.`;
    return { missing: `${missing} Open that dataset and export again.` };
  }
  const labels = datasets.labels({ split: 'test' });
  const pixels = (index: number) => datasets.digits({ split: 'test', indices: [index] }).pixels;
  return { rows: info.rows, cols: info.cols, labels, pixels };
}

/** The report of one Run all (its study id): HTML, and the name to save it under. */
export function assignmentReport(
  store: SessionStore,
  datasets: DatasetService,
  studyId: string,
): { html: string; name: string; runs: number } {
  const summaries = store.studyRuns(studyId);
  if (summaries.length === 0) throw new LabError('not-found', `no assignment runs with study id ${studyId}`);
  const study = summaries[0].study!;
  if (study.kind !== 'assignment') {
    const what = `a ${study.kind ?? 'study'} study`;
    throw new LabError('invalid-input', `exportAssignmentReport: ${study.name} is not an assignment (${what})`);
  }
  const runs: AssignmentRun[] = summaries.map((r) => ({ ...store.curves(r.id), last: store.snapshot(r.id) }));
  const session = store.session(summaries[0].sessionId);
  const html = buildAssignmentReport(study.name, session.name, runs, testImagesFor(datasets, runs));
  return { html, name: study.name.replace(/[/\\:*?"<>|]+/g, '_'), runs: runs.length };
}

export function createAssignmentServices(
  ctx: ServiceContext,
  sweeps: SweepService,
  store: SessionStore,
  datasets: DatasetService,
): ServicesOf<AssignmentApi> {
  return {
    startAssignment: async (payload) => structuredClone(startAssignment(sweeps, store, datasets, payload)),
    exportAssignmentReport: async (payload) => {
      const { studyId } = parseOrThrow(AssignmentReportSchema, payload, 'exportAssignmentReport');
      const report = assignmentReport(store, datasets, studyId);
      const title = 'Export the assignment report';
      const path = await chooseSavePath(ctx, title, report.name, 'html', 'HTML report', [store.path]);
      if (path === null) return null;
      return { path, bytes: writeFileAtomic(path, report.html, 0o644) };
    },
  };
}
