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

/** Makes the error for one column of the row at hand: fail('seed', 'is 3 but …'). */
type Fail = (column: string, rule: string) => BadRowError;

/**
 * Each row of `table` that `sql` selects, read one at a time (iterate), so checking a 2 GB file holds one row in
 * memory; `fn` gets the row, its name in errors (`name(row)`: "run 7f…") and `fail` for that table and row.
 */
function eachRow(
  db: Database.Database,
  table: string,
  sql: string,
  name: (row: Record<string, unknown>) => string,
  fn: (row: Record<string, unknown>, what: string, fail: Fail) => void,
): void {
  for (const row of db.prepare(sql).iterate() as Iterable<Record<string, unknown>>) {
    const what = name(row);
    fn(row, what, (column, rule) => new BadRowError(table, column, what, rule));
  }
}

/** "run 7f…": a row named by a noun and its id. */
const named = (noun: string) => (raw: Record<string, unknown>) => `${noun} ${String(raw['id'])}`;

/** "run 7f… at iteration 200": a row of a run's table keyed by iteration. */
const atIteration = (raw: Record<string, unknown>) =>
  `run ${String(raw['run_id'])} at iteration ${String(raw['iter'])}`;

export function checkEveryRow(db: Database.Database): void {
  const sessions = new Set<number>();
  eachRow(db, 'sessions', 'SELECT * FROM sessions', named('session'), (raw, what) =>
    sessions.add(parseRow('sessions', SessionRowSchema, raw, what).id),
  );

  const runs = new Map<string, RunFacts>();
  eachRow(db, 'runs', 'SELECT * FROM runs', named('run'), (raw, what, fail) => {
    const r = parseRow('runs', RunFileRowSchema, raw, what);
    const c = r.config;
    if (r.seed !== c.seed) throw fail('seed', `is ${r.seed} but its configuration says ${c.seed}`);
    if (r.subset !== null) {
      const n = r.subset.byteLength / 4;
      if (n !== r.train_size) throw fail('subset', `holds ${n} indices but train_size is ${r.train_size}`);
      const idx = blobAs.i32(r.subset);
      if (idx.some((i) => i < 0)) throw fail('subset', 'holds a negative index');
    }
    if (r.train_size > 0 && r.iters_per_epoch > r.train_size)
      throw fail('iters_per_epoch', `is ${r.iters_per_epoch}, more than its ${r.train_size} training images`);
    if (r.total_iters > c.epochs * Math.max(1, r.iters_per_epoch)) {
      throw fail('total_iters', `is ${r.total_iters}, more than ${c.epochs} epochs x ${r.iters_per_epoch} iterations`);
    }
    if (r.iters_done > r.total_iters)
      throw fail('iters_done', `is ${r.iters_done}, more than total_iters (${r.total_iters})`);
    if (r.ended_at !== null && r.status === 'running') throw fail('ended_at', 'is set on a run still marked running');
    runs.set(r.id, { testSize: r.test_size, itersDone: r.iters_done, hidden: c.hidden, weights: 0, batches: [] });
  });

  const runOf = (raw: Record<string, unknown>, fail: Fail): RunFacts => {
    const run = runs.get(raw['run_id'] as string);
    if (!run) throw fail('run_id', 'names no run of the file');
    return run;
  };

  eachRow(db, 'evals', 'SELECT * FROM evals', atIteration, (raw, what, fail) => {
    const e = parseRow('evals', EvalRowSchema, raw, what);
    const run = runOf(raw, fail);
    if (e.iter > run.itersDone) throw fail('iter', `is past the run's iters_done (${run.itersDone})`);
    const sharp = sharpnessColumnsProblem(e);
    if (sharp) throw fail(sharp.column, sharp.problem);
    if (e.confusion !== null) {
      if (e.confusion.byteLength !== CLASSES * CLASSES * 4)
        throw fail('confusion', `is ${e.confusion.byteLength} bytes, not ${CLASSES} x ${CLASSES} counts`);
      const counts = blobAs.i32(e.confusion);
      if (counts.some((k) => k < 0)) throw fail('confusion', 'holds a negative count');
      const total = counts.reduce((a, b) => a + b, 0);
      if (total !== run.testSize)
        throw fail('confusion', `counts ${total} test images but the run has ${run.testSize}`);
    }
    if (e.predicted !== null) {
      if (e.predicted.byteLength !== run.testSize)
        throw fail('predicted', `holds ${e.predicted.byteLength} predictions for ${run.testSize} test images`);
      if (e.predicted.some((k) => k >= CLASSES)) throw fail('predicted', `holds a class outside 0..${CLASSES - 1}`);
    }
    const mis = [e.misclassified, e.mis_predicted, e.mis_confidence];
    if (mis.some((m) => m === null) && mis.some((m) => m !== null))
      throw fail('misclassified', 'misclassified, mis_predicted and mis_confidence must be all present or all absent');
    if (e.misclassified !== null && e.mis_predicted !== null && e.mis_confidence !== null) {
      const idx = blobAs.i32(e.misclassified);
      if (e.mis_predicted.byteLength !== idx.length)
        throw fail(
          'mis_predicted',
          `holds ${e.mis_predicted.byteLength} classes for ${idx.length} misclassified images`,
        );
      if (e.mis_confidence.byteLength !== 4 * idx.length)
        throw fail(
          'mis_confidence',
          `holds ${e.mis_confidence.byteLength / 4} values for ${idx.length} misclassified images`,
        );
      for (let k = 0; k < idx.length; k++) {
        if (idx[k] < 0 || idx[k] >= run.testSize || (k > 0 && idx[k] <= idx[k - 1])) {
          throw fail('misclassified', `must hold increasing test indices in [0, ${run.testSize})`);
        }
      }
      if (e.mis_predicted.some((k) => k >= CLASSES))
        throw fail('mis_predicted', `holds a class outside 0..${CLASSES - 1}`);
      const conf = blobAs.f32(e.mis_confidence);
      if (conf.some((x) => !(Number.isNaN(x) || (x >= 0 && x <= 1))))
        throw fail('mis_confidence', 'holds a confidence outside [0, 1]');
    }
  });

  const batchSql = 'SELECT run_id, from_iter, loss, acc FROM batches ORDER BY run_id, from_iter';
  const fromIteration = (raw: Record<string, unknown>) =>
    `run ${String(raw['run_id'])} from iteration ${String(raw['from_iter'])}`;
  eachRow(db, 'batches', batchSql, fromIteration, (raw, what, fail) => {
    const b = parseRow('batches', BatchRowSchema, raw, what);
    const run = runOf(raw, fail);
    const n = b.loss.byteLength / 4;
    if (n === 0) throw fail('loss', 'is empty');
    if (b.acc.byteLength !== b.loss.byteLength)
      throw fail('acc', `holds ${b.acc.byteLength / 4} values where loss holds ${n}`);
    const prev = run.batches[run.batches.length - 1];
    if (prev && b.from_iter < prev.from + prev.loss.length) throw fail('from_iter', 'overlaps the batch before it');
    if (b.from_iter + n > run.itersDone)
      throw fail('from_iter', `ends at iteration ${b.from_iter + n}, past the run's iters_done (${run.itersDone})`);
    run.batches.push({ from: b.from_iter, loss: { length: n } });
  });
  for (const [id, run] of runs) iterationSpan(run.batches, `run ${id}`);

  eachRow(db, 'weights', 'SELECT * FROM weights', atIteration, (raw, what, fail) => {
    const w = parseRow('weights', WeightsRowSchema, raw, what);
    const run = runOf(raw, fail);
    if (w.hidden !== run.hidden) throw fail('hidden', `is ${w.hidden} but the run has ${run.hidden} hidden units`);
    if (!weightsShapeOk(w.hidden, w.inputs, w.w1.byteLength / 4))
      throw fail('w1', `is ${w.w1.byteLength} bytes, not ${w.hidden} x ${w.inputs} Float32 values within the bounds`);
    if (w.iter > run.itersDone) throw fail('iter', `is past the run's iters_done (${run.itersDone})`);
    const rest = [w.b1, w.w2, w.b2];
    if (rest.some((b) => b != null)) {
      if (rest.some((b) => b == null)) throw fail('b1', 'b1, w2 and b2 must be all present or all NULL');
      const restBad = restShapeError(w.hidden, w.b1!.byteLength / 4, w.w2!.byteLength / 4, w.b2!.byteLength / 4);
      if (restBad) throw fail('w2', restBad);
    }
    if (++run.weights > MAX_WEIGHT_SNAPSHOTS)
      throw fail('run_id', `the run carries more than ${MAX_WEIGHT_SNAPSHOTS} weight matrices`);
  });

  eachRow(db, 'sims', 'SELECT * FROM sims', named('simulation'), (raw, what, fail) => {
    const s = parseRow('sims', SimRowSchema, raw, what);
    if (s.runs.length !== s.request.runs.length)
      throw fail('runs', `holds ${s.runs.length} results for ${s.request.runs.length} optimizers`);
    s.runs.forEach((r, i) => {
      const o = s.request.runs[i];
      if (r.kind !== o.kind || r.lr !== o.lr || r.d !== o.d)
        throw fail('runs', `result ${i + 1} is not for optimizer ${i + 1} of the request`);
      if (r.length > s.request.steps + 1)
        throw fail('runs', `result ${i + 1} has ${r.length} points for ${s.request.steps} steps`);
      if (r.final.length !== s.request.start.length)
        throw fail(
          'runs',
          `result ${i + 1} ends at a ${r.final.length}-D point on a ${s.request.start.length}-D objective`,
        );
    });
  });

  eachRow(
    db,
    'meta',
    'SELECT * FROM meta',
    (raw) => `key ${JSON.stringify(String(raw['key']).slice(0, 40))}`,
    (raw, what) => void parseRow('meta', MetaRowSchema, raw, what),
  );
}
