import { z } from 'zod';
import { LabError } from '../../contracts/lab-error';
import { SimulateRequestSchema } from '../../contracts/sim-config';
import { RUN_STUDY_KINDS } from '../../contracts/run-study';
import { CONTROL_CHARS, nameSchema, notesSchema } from '../../contracts/text-rules';
import { TrainConfigSchema } from '../../contracts/train-config';
import { decodeNumber } from './codec';
import { parseExact } from './sim-json';

// One schema per table of the session database, over the values SQLite hands
// back (numbers, text, blobs, null). The same schemas check every row of a
// session file before it is imported (session-file.ts) and every row the
// store reads from any database (session-store.ts, sims.ts, weights.ts), so
// a forged or damaged row is a clear 'bad-session' error naming the table
// and column, never a crash, a wrong number on screen, or a huge allocation.
//
// What a single row cannot say — that counts agree across tables — is
// checked by checkRunRecords (one run with everything it owns) on import
// and by the read paths that size arrays.

/** The latest date a row may carry: 9999-12-31T23:59:59.999Z (Unix ms). */
export const MAX_DATE_MS = 253_402_300_799_999;
/** Largest training or test set a run may declare (MNIST has 60,000 / 10,000). */
export const MAX_SET_SIZE = 10_000_000;
/** Largest number of iterations a run may declare: 1000 epochs of 10^7 images at batch 1. */
export const MAX_ITERS = 1000 * MAX_SET_SIZE;
/** Classes of the lab's datasets (digits). */
export const CLASSES = 10;

const found = (v: unknown) =>
  v === null
    ? 'NULL'
    : v instanceof Uint8Array
      ? `a blob of ${v.byteLength} bytes`
      : typeof v === 'string'
        ? `text ${JSON.stringify(v.slice(0, 24))}${v.length > 24 ? '…' : ''}`
        : `${typeof v} ${String(v)}`;

/** An INTEGER column: a whole number in [min, max] stored as a number (never text). */
export const sqlInt = (min: number, max: number) =>
  z.custom<number>((v) => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max, {
    error: (iss) => `must be a whole number in [${min}, ${max}] (found ${found(iss.input)})`,
  });

/** A date: Unix milliseconds between 1970 and 9999. */
export const sqlDate = sqlInt(0, MAX_DATE_MS);

/**
 * A metric column (codec.ts): a REAL/INTEGER, or the text 'NaN', 'Infinity',
 * '-Infinity', '-0' — decoded to a number. `ok` says which numbers the column may hold.
 */
export const sqlMetric = (rule: string, ok: (x: number) => boolean) =>
  z
    .custom<number | string>(
      (v) => {
        if (typeof v !== 'number' && typeof v !== 'string') return false;
        try {
          return ok(decodeNumber(v));
        } catch {
          return false;
        }
      },
      { error: (iss) => `must be ${rule} (found ${found(iss.input)})` },
    )
    .transform((v) => decodeNumber(v));

const anyNumber = (_x: number) => true;
/** Accuracies: a fraction in [0, 1], or NaN (a diverged run's). */
const accuracy = sqlMetric('an accuracy in [0, 1] or NaN', (x) => Number.isNaN(x) || (x >= 0 && x <= 1));
const loss = sqlMetric('a number (NaN and ±Infinity allowed)', anyNumber);
const nonNegative = sqlMetric('a finite number >= 0', (x) => Number.isFinite(x) && x >= 0);
/** A share in [0, 1] (no NaN: a flip fraction without pairs is NULL). */
const fraction = sqlMetric('a fraction in [0, 1]', (x) => x >= 0 && x <= 1);
/** A velocity ratio: a number >= 0 (Infinity allowed). */
const ratio = sqlMetric('a number >= 0', (x) => x >= 0);
/** Most Hessian-vector products one sharpness estimate may record (the meter uses at most 20). */
export const MAX_HVPS = 10_000;

/** A TEXT column holding a name: the app's name rules (surrounding spaces, which older CLIs kept, are tolerated). */
const sqlName = z.custom<string>((v) => typeof v === 'string' && nameSchema.safeParse(v).success, {
  error: (iss) =>
    typeof iss.input === 'string'
      ? `must follow the name rules: ${nameSchema.safeParse(iss.input).error?.issues[0]?.message}`
      : `must be text (found ${found(iss.input)})`,
});
/** A TEXT column holding free text (notes, messages). */
const sqlNotes = z.custom<string>((v) => typeof v === 'string' && notesSchema.safeParse(v).success, {
  error: (iss) =>
    typeof iss.input === 'string'
      ? `must be text within the notes rules: ${notesSchema.safeParse(iss.input).error?.issues[0]?.message}`
      : `must be text (found ${found(iss.input)})`,
});
/** A TEXT label the lab wrote (run and sweep ids, dataset ids and names, versions): 1..1000 characters, no control characters. */
const sqlId = z.custom<string>(
  (v) => typeof v === 'string' && v.length >= 1 && v.length <= 1000 && !CONTROL_CHARS.test(v),
  {
    error: (iss) =>
      typeof iss.input === 'string'
        ? 'must be 1..1000 characters without control characters'
        : `must be text (found ${found(iss.input)})`,
  },
);

/** A BLOB column of `elementSize`-byte values; `count` (when given) fixes how many. */
export const sqlBlob = (elementSize: number) =>
  z.custom<Uint8Array>((v) => v instanceof Uint8Array && v.byteLength % elementSize === 0, {
    error: (iss) => `must be a blob of ${elementSize}-byte values (found ${found(iss.input)})`,
  });

const nullable = <T extends z.ZodType>(s: T) => s.nullable();

/** A TEXT column holding JSON that a schema accepts (parsed with non-finite numbers kept, sim-json.ts). */
const sqlJson = <T extends z.ZodType>(schema: T, what: string) =>
  z
    .custom<string>((v) => typeof v === 'string', {
      error: (iss) => `must be ${what} as JSON text (found ${found(iss.input)})`,
    })
    .transform((text, ctx) => {
      let value: unknown;
      try {
        value = parseExact(text);
      } catch {
        ctx.addIssue({ code: 'custom', message: `must be ${what} as JSON text (it is not JSON)` });
        return z.NEVER;
      }
      const r = schema.safeParse(value);
      if (!r.success) {
        const i = r.error.issues[0];
        ctx.addIssue({
          code: 'custom',
          message: `is not ${what}: ${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`,
        });
        return z.NEVER;
      }
      return r.data as z.output<T>;
    });

export const RUN_STATUSES = [
  'running',
  'finished',
  'collapsed',
  'cancelled',
  'diverged',
  'failed',
  'interrupted',
] as const;
const sqlEnum = <T extends readonly string[]>(values: T) =>
  z.custom<T[number]>((v) => typeof v === 'string' && (values as readonly string[]).includes(v), {
    error: (iss) => `must be one of ${values.join(', ')} (found ${found(iss.input)})`,
  });

const finiteNumber = z.number({ error: 'must be a finite number' });
/** A number in simulator JSON: finite, or NaN/±Infinity (tagged, sim-json.ts). */
const jsonNumber = z.custom<number>((v) => typeof v === 'number', { error: 'must be a number' });

/** What one optimizer of a saved simulation reached (SimRunSummary). */
export const SimRunSummarySchema = z.strictObject({
  kind: z.string().max(40),
  lr: finiteNumber,
  d: finiteNumber,
  status: z.enum(['converged', 'diverged', 'running']),
  length: z.number().int().min(0).max(100_001),
  stoppedAt: z.number().int().min(0).max(100_000).nullable(),
  message: notesSchema,
  final: z.array(jsonNumber).min(1).max(2),
  finalF: jsonNumber,
  rate: jsonNumber.nullable(),
});

// ---- the tables -------------------------------------------------------------

export const SessionRowSchema = z.object({
  id: sqlInt(1, Number.MAX_SAFE_INTEGER),
  name: sqlName,
  created_at: sqlDate,
  updated_at: sqlDate,
});

export const RunRowSchema = z.object({
  id: sqlId,
  session_id: sqlInt(1, Number.MAX_SAFE_INTEGER),
  name: sqlName,
  notes: sqlNotes,
  config: sqlJson(TrainConfigSchema, 'a training configuration'),
  dataset_id: sqlId,
  dataset_name: sqlId,
  app_version: sqlId,
  status: sqlEnum(RUN_STATUSES),
  message: sqlNotes,
  started_at: sqlDate,
  ended_at: nullable(sqlDate),
  train_size: sqlInt(0, MAX_SET_SIZE),
  test_size: sqlInt(0, MAX_SET_SIZE),
  iters_per_epoch: sqlInt(0, MAX_SET_SIZE),
  total_iters: sqlInt(0, MAX_ITERS),
  iters_done: sqlInt(0, MAX_ITERS),
  elapsed_ms: nullable(nonNegative),
  sweep_id: nullable(sqlId),
  /** v9 on (issue 16): the run's study as fields; NULL outside a study. */
  study_id: nullable(sqlId).optional(),
  study_kind: nullable(sqlEnum(RUN_STUDY_KINDS)).optional(),
  study_name: nullable(sqlName).optional(),
  seed_group: nullable(sqlName).optional(),
});
/** Columns of a run row only an import reads (the store reads them where it needs them). */
export const RunFileRowSchema = RunRowSchema.extend({
  seed: sqlInt(0, 0xffffffff),
  subset: nullable(sqlBlob(4)),
  owner_pid: nullable(sqlInt(0, 0x7fffffff)),
});

export const EvalPointRowSchema = z.object({
  iter: sqlInt(0, MAX_ITERS),
  epoch: nonNegative,
  examples: nonNegative,
  train_loss: loss,
  train_acc: accuracy,
  test_loss: loss,
  test_acc: accuracy,
  elapsed_ms: nonNegative,
  /** NULL for a run without a validation set (v6 on; absent before). */
  val_loss: nullable(loss).optional(),
  val_acc: nullable(accuracy).optional(),
  /** v8 on (absent before): NULL where sharpness was not measured; NaN when the weights were not finite. */
  sharpness: nullable(loss).optional(),
  /** A negative number (the smallest Ritz value when negative), NULL otherwise; only with sharpness. */
  sharpness_min: nullable(sqlMetric('a negative number', (x) => x < 0)).optional(),
  /** Hessian-vector products of the estimate; only with sharpness. */
  hvps: nullable(sqlInt(0, MAX_HVPS)).optional(),
  /** Per layer: the sign-flip fraction in [0, 1] and the median velocity ratio (>= 0); NULL when not recorded. */
  fc1_flip: nullable(fraction).optional(),
  fc1_velocity: nullable(ratio).optional(),
  fc2_flip: nullable(fraction).optional(),
  fc2_velocity: nullable(ratio).optional(),
});
export const EvalRowSchema = EvalPointRowSchema.extend({
  run_id: sqlId,
  confusion: nullable(sqlBlob(4)),
  predicted: nullable(sqlBlob(1)),
  misclassified: nullable(sqlBlob(4)),
  mis_predicted: nullable(sqlBlob(1)),
  mis_confidence: nullable(sqlBlob(4)),
});

export const BatchRowSchema = z.object({
  run_id: sqlId,
  from_iter: sqlInt(0, MAX_ITERS),
  loss: sqlBlob(4),
  acc: sqlBlob(4),
});

export const WeightsRowSchema = z.object({
  run_id: sqlId,
  iter: sqlInt(0, MAX_ITERS),
  hidden: sqlInt(1, 4096),
  inputs: sqlInt(1, 65_536),
  w1: sqlBlob(4),
  history: sqlInt(0, 1),
  /** v9 on (absent before): the rest of the network, or NULL. */
  b1: sqlBlob(4).nullable().optional(),
  w2: sqlBlob(4).nullable().optional(),
  b2: sqlBlob(4).nullable().optional(),
});

export const SimRowSchema = z.object({
  id: sqlId,
  session_id: sqlInt(1, Number.MAX_SAFE_INTEGER),
  name: sqlName,
  notes: sqlNotes,
  request: sqlJson(SimulateRequestSchema, 'a simulation request (objective, start, steps, optimizers)'),
  runs: sqlJson(z.array(SimRunSummarySchema).min(1).max(16), 'the list of what each optimizer reached'),
  app_version: sqlId,
  created_at: sqlDate,
});

export const MetaRowSchema = z.object({
  key: z.custom<string>((v) => typeof v === 'string' && v.length >= 1 && v.length <= 100, {
    error: 'must be a key of 1..100 characters',
  }),
  value: z.custom<string>((v) => typeof v === 'string' && v.length <= 1000, {
    error: 'must be text of at most 1000 characters',
  }),
});

/** The error for a row that breaks its table's schema: "runs.test_acc of run 7f…: must be …". */
export class BadRowError extends LabError {
  constructor(
    readonly table: string,
    readonly column: string,
    readonly rowName: string,
    readonly rule: string,
  ) {
    super('bad-session', `${table}.${column} of ${rowName}: ${rule}`);
  }
}

/**
 * Parse one row with its table's schema, or throw BadRowError naming the
 * table, the column and the row (`rowName`: "session 3", "run abc at iteration 40").
 */
export function parseRow<S extends z.ZodType>(table: string, schema: S, row: unknown, rowName: string): z.output<S> {
  const r = schema.safeParse(row);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const column = issue.path.length > 0 ? String(issue.path[0]) : '?';
  const rule =
    issue.code === 'invalid_type' && issue.path.length > 0 ? `is missing or of the wrong type` : issue.message;
  throw new BadRowError(table, column, rowName, rule);
}

/** parseRow for a row with an id column, named in errors by a noun and its id: "run 7f…", "simulation 3c…". */
export function parseIdRow<S extends z.ZodType>(table: string, schema: S, row: unknown, noun: string): z.output<S> {
  return parseRow(table, schema, row, `${noun} ${String((row as { id?: unknown }).id)}`);
}

type Camel<S extends string> = S extends `${infer H}_${infer T}` ? `${H}${Capitalize<Camel<T>>}` : S;
/** A row's columns in the contracts' spelling: { session_id, created_at } -> { sessionId, createdAt }. */
type Camelized<T> = { [K in keyof T as K extends string ? Camel<K> : K]: T[K] };

/** A checked row with its column names in the contracts' spelling (session_id -> sessionId), values unchanged. */
export function camelized<T extends object>(row: T): Camelized<T> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = v;
  return out as Camelized<T>;
}

/**
 * How many iterations a run's stored batches span (from 0 to the end of the
 * last), refused when that is out of proportion to the values actually
 * stored: batches cover their span with at most small gaps (a write that
 * failed), so a span more than 8 times the stored values (plus 65,536) is a
 * forged or damaged from_iter, not a recording.
 */
export function iterationSpan(batches: readonly { from: number; loss: { length: number } }[], rowName: string): number {
  let stored = 0;
  let span = 0;
  for (const b of batches) {
    stored += b.loss.length;
    span = Math.max(span, b.from + b.loss.length);
  }
  if (span > MAX_ITERS || span > 8 * stored + MAX_BATCH_GAP) {
    throw new BadRowError(
      'batches',
      'from_iter',
      rowName,
      `the batches span ${span} iterations but hold only ${stored} values (at most 8 x stored + ${MAX_BATCH_GAP})`,
    );
  }
  return span;
}
/** Iterations a run's batches may leave unrecorded beyond 8 x what they hold. */
export const MAX_BATCH_GAP = 65_536;

/** Read a stored Float32/Int32/Uint8 blob as a typed array (a copy: the Buffer may share an unaligned pool). */
export const blobAs = {
  f32: (b: Uint8Array) => new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer),
  i32: (b: Uint8Array) => new Int32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer),
  u8: (b: Uint8Array) => new Uint8Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer),
};
