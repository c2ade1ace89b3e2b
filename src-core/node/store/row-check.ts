import type Database from 'better-sqlite3';
import {
  BadRowError,
  BatchRowSchema,
  blobAs,
  CLASSES,
  EvalRowSchema,
  iterationSpan,
  MetaRowSchema,
  parseRow,
  RunFileRowSchema,
  SessionRowSchema,
  SimRowSchema,
  WeightsRowSchema,
} from './row-schema';
import { MAX_WEIGHT_SNAPSHOTS, restShapeError, weightsShapeOk } from './weights';
import { sharpnessColumnsProblem } from './rows';

// Every row of a session file, checked before anything is imported: each
// through its table's schema (row-schema.ts), then the counts that tie rows
// together — a run's evaluations, batches and weights against the run's own
// sizes, a simulation's results against its request. A forger can recompute
// the file's checksum, so these are the checks that keep a forged file out.
// Throws BadRowError naming the table, the column and the row.

interface RunFacts {
  testSize: number;
  itersDone: number;
  hidden: number;
  weights: number;
  batches: { from: number; loss: { length: number } }[];
}

/** Rows are read one at a time (iterate), so checking a 2 GB file holds one row in memory. */
function each(db: Database.Database, sql: string, fn: (row: Record<string, unknown>) => void): void {
  for (const row of db.prepare(sql).iterate() as Iterable<Record<string, unknown>>) fn(row);
}

const bad = (table: string, column: string, row: string, rule: string) => new BadRowError(table, column, row, rule);

export function checkEveryRow(db: Database.Database): void {
  const sessions = new Set<number>();
  each(db, 'SELECT * FROM sessions', (raw) => {
    const s = parseRow('sessions', SessionRowSchema, raw, `session ${String(raw['id'])}`);
    sessions.add(s.id);
  });

  const runs = new Map<string, RunFacts>();
  each(db, 'SELECT * FROM runs', (raw) => {
    const what = `run ${String(raw['id'])}`;
    const r = parseRow('runs', RunFileRowSchema, raw, what);
    const c = r.config;
    if (r.seed !== c.seed) throw bad('runs', 'seed', what, `is ${r.seed} but its configuration says ${c.seed}`);
    if (r.subset !== null) {
      const n = r.subset.byteLength / 4;
      if (n !== r.train_size) throw bad('runs', 'subset', what, `holds ${n} indices but train_size is ${r.train_size}`);
      const idx = blobAs.i32(r.subset);
      if (idx.some((i) => i < 0)) throw bad('runs', 'subset', what, 'holds a negative index');
    }
    if (r.train_size > 0 && r.iters_per_epoch > r.train_size)
      throw bad(
        'runs',
        'iters_per_epoch',
        what,
        `is ${r.iters_per_epoch}, more than its ${r.train_size} training images`,
      );
    if (r.total_iters > c.epochs * Math.max(1, r.iters_per_epoch)) {
      throw bad(
        'runs',
        'total_iters',
        what,
        `is ${r.total_iters}, more than ${c.epochs} epochs x ${r.iters_per_epoch} iterations`,
      );
    }
    if (r.iters_done > r.total_iters)
      throw bad('runs', 'iters_done', what, `is ${r.iters_done}, more than total_iters (${r.total_iters})`);
    if (r.ended_at !== null && r.status === 'running')
      throw bad('runs', 'ended_at', what, 'is set on a run still marked running');
    runs.set(r.id, { testSize: r.test_size, itersDone: r.iters_done, hidden: c.hidden, weights: 0, batches: [] });
  });

  const runOf = (table: string, raw: Record<string, unknown>, what: string): RunFacts => {
    const run = runs.get(raw['run_id'] as string);
    if (!run) throw bad(table, 'run_id', what, 'names no run of the file');
    return run;
  };

  each(db, 'SELECT * FROM evals', (raw) => {
    const what = `run ${String(raw['run_id'])} at iteration ${String(raw['iter'])}`;
    const e = parseRow('evals', EvalRowSchema, raw, what);
    const run = runOf('evals', raw, what);
    if (e.iter > run.itersDone) throw bad('evals', 'iter', what, `is past the run's iters_done (${run.itersDone})`);
    const sharp = sharpnessColumnsProblem(e);
    if (sharp) throw bad('evals', sharp.column, what, sharp.problem);
    if (e.confusion !== null) {
      if (e.confusion.byteLength !== CLASSES * CLASSES * 4)
        throw bad('evals', 'confusion', what, `is ${e.confusion.byteLength} bytes, not ${CLASSES} x ${CLASSES} counts`);
      const counts = blobAs.i32(e.confusion);
      if (counts.some((k) => k < 0)) throw bad('evals', 'confusion', what, 'holds a negative count');
      const total = counts.reduce((a, b) => a + b, 0);
      if (total !== run.testSize)
        throw bad('evals', 'confusion', what, `counts ${total} test images but the run has ${run.testSize}`);
    }
    if (e.predicted !== null) {
      if (e.predicted.byteLength !== run.testSize)
        throw bad(
          'evals',
          'predicted',
          what,
          `holds ${e.predicted.byteLength} predictions for ${run.testSize} test images`,
        );
      if (e.predicted.some((k) => k >= CLASSES))
        throw bad('evals', 'predicted', what, `holds a class outside 0..${CLASSES - 1}`);
    }
    const mis = [e.misclassified, e.mis_predicted, e.mis_confidence];
    if (mis.some((m) => m === null) && mis.some((m) => m !== null))
      throw bad(
        'evals',
        'misclassified',
        what,
        'misclassified, mis_predicted and mis_confidence must be all present or all absent',
      );
    if (e.misclassified !== null && e.mis_predicted !== null && e.mis_confidence !== null) {
      const idx = blobAs.i32(e.misclassified);
      if (e.mis_predicted.byteLength !== idx.length)
        throw bad(
          'evals',
          'mis_predicted',
          what,
          `holds ${e.mis_predicted.byteLength} classes for ${idx.length} misclassified images`,
        );
      if (e.mis_confidence.byteLength !== 4 * idx.length)
        throw bad(
          'evals',
          'mis_confidence',
          what,
          `holds ${e.mis_confidence.byteLength / 4} values for ${idx.length} misclassified images`,
        );
      for (let k = 0; k < idx.length; k++) {
        if (idx[k] < 0 || idx[k] >= run.testSize || (k > 0 && idx[k] <= idx[k - 1])) {
          throw bad('evals', 'misclassified', what, `must hold increasing test indices in [0, ${run.testSize})`);
        }
      }
      if (e.mis_predicted.some((k) => k >= CLASSES))
        throw bad('evals', 'mis_predicted', what, `holds a class outside 0..${CLASSES - 1}`);
      const conf = blobAs.f32(e.mis_confidence);
      if (conf.some((x) => !(Number.isNaN(x) || (x >= 0 && x <= 1))))
        throw bad('evals', 'mis_confidence', what, 'holds a confidence outside [0, 1]');
    }
  });

  each(db, 'SELECT run_id, from_iter, loss, acc FROM batches ORDER BY run_id, from_iter', (raw) => {
    const what = `run ${String(raw['run_id'])} from iteration ${String(raw['from_iter'])}`;
    const b = parseRow('batches', BatchRowSchema, raw, what);
    const run = runOf('batches', raw, what);
    const n = b.loss.byteLength / 4;
    if (n === 0) throw bad('batches', 'loss', what, 'is empty');
    if (b.acc.byteLength !== b.loss.byteLength)
      throw bad('batches', 'acc', what, `holds ${b.acc.byteLength / 4} values where loss holds ${n}`);
    const prev = run.batches[run.batches.length - 1];
    if (prev && b.from_iter < prev.from + prev.loss.length)
      throw bad('batches', 'from_iter', what, 'overlaps the batch before it');
    if (b.from_iter + n > run.itersDone)
      throw bad(
        'batches',
        'from_iter',
        what,
        `ends at iteration ${b.from_iter + n}, past the run's iters_done (${run.itersDone})`,
      );
    run.batches.push({ from: b.from_iter, loss: { length: n } });
  });
  for (const [id, run] of runs) iterationSpan(run.batches, `run ${id}`);

  each(db, 'SELECT * FROM weights', (raw) => {
    const what = `run ${String(raw['run_id'])} at iteration ${String(raw['iter'])}`;
    const w = parseRow('weights', WeightsRowSchema, raw, what);
    const run = runOf('weights', raw, what);
    if (w.hidden !== run.hidden)
      throw bad('weights', 'hidden', what, `is ${w.hidden} but the run has ${run.hidden} hidden units`);
    if (!weightsShapeOk(w.hidden, w.inputs, w.w1.byteLength / 4))
      throw bad(
        'weights',
        'w1',
        what,
        `is ${w.w1.byteLength} bytes, not ${w.hidden} x ${w.inputs} Float32 values within the bounds`,
      );
    if (w.iter > run.itersDone) throw bad('weights', 'iter', what, `is past the run's iters_done (${run.itersDone})`);
    const rest = [w.b1, w.w2, w.b2];
    if (rest.some((b) => b != null)) {
      if (rest.some((b) => b == null))
        throw bad('weights', 'b1', what, 'b1, w2 and b2 must be all present or all NULL');
      const restBad = restShapeError(w.hidden, w.b1!.byteLength / 4, w.w2!.byteLength / 4, w.b2!.byteLength / 4);
      if (restBad) throw bad('weights', 'w2', what, restBad);
    }
    if (++run.weights > MAX_WEIGHT_SNAPSHOTS)
      throw bad('weights', 'run_id', what, `the run carries more than ${MAX_WEIGHT_SNAPSHOTS} weight matrices`);
  });

  each(db, 'SELECT * FROM sims', (raw) => {
    const what = `simulation ${String(raw['id'])}`;
    const s = parseRow('sims', SimRowSchema, raw, what);
    if (s.runs.length !== s.request.runs.length)
      throw bad('sims', 'runs', what, `holds ${s.runs.length} results for ${s.request.runs.length} optimizers`);
    s.runs.forEach((r, i) => {
      const o = s.request.runs[i];
      if (r.kind !== o.kind || r.lr !== o.lr || r.d !== o.d)
        throw bad('sims', 'runs', what, `result ${i + 1} is not for optimizer ${i + 1} of the request`);
      if (r.length > s.request.steps + 1)
        throw bad('sims', 'runs', what, `result ${i + 1} has ${r.length} points for ${s.request.steps} steps`);
      if (r.final.length !== s.request.start.length)
        throw bad(
          'sims',
          'runs',
          what,
          `result ${i + 1} ends at a ${r.final.length}-D point on a ${s.request.start.length}-D objective`,
        );
    });
  });

  each(
    db,
    'SELECT * FROM meta',
    (raw) => void parseRow('meta', MetaRowSchema, raw, `key ${JSON.stringify(String(raw['key']).slice(0, 40))}`),
  );
}
