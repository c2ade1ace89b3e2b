import { basename } from 'node:path';
import type { RunStudyPlace } from '../../../src-core/contracts/run-study';
import type { LabEvent } from '../../../src-core/contracts/lab-api';
import { LabError } from '../../../src-core/contracts/lab-error';
import type { DatasetFiles, TrainerMessage } from '../../../src-core/contracts/train-protocol';
import { readIdx } from '../../../src-core/node/idx';
import { builtinMnistId, isBuiltinMnist } from '../../../src-core/node/mnist';
import { keptSentence, thinEvals } from '../../../src-core/node/store/eval-budget';
import { sqliteError } from '../../../src-core/node/store/open-db';
import { appendBatch, appendEval, endRun, insertRun } from '../../../src-core/node/store/record';
import { appendWeights } from '../../../src-core/node/store/weights';
import type { SessionStore } from '../../../src-core/node/store/session-store';
import type { ActiveRun } from './run-manager';

// Records every message of every run into the session store as it arrives:
// one transaction per message, so whatever was committed survives a worker
// or the app dying.
//
// A write that fails because the database is busy (another process holds its
// lock) or the disk is full does not end the recording: the message waits in
// memory, in order, behind any already waiting, and a timer retries with
// backoff (50 ms doubling to 2 s) until the database takes them. Only when
// the waiting messages reach the memory bound (later messages of that run are
// then dropped) or a run ends with messages never written is the run "not
// saved" — said on stderr, in a 'recording' event for the app, appended to
// the run's message when its end can be written, and in the CLI's exit code.

export interface RecorderOptions {
  appVersion: string;
  /** Identity of the dataset a run trains on. */
  datasetOf(files: DatasetFiles): { id: string; name: string };
  /** Where a run goes: its sweep's session, or the current one. */
  placeOf(
    runId: string,
  ): { sessionId: number; sweepId: string | null; name?: string; study?: RunStudyPlace | null } | null;
  emit(event: LabEvent): void;
  /** Bytes of unwritten messages kept in memory at most; default 256 MiB. */
  maxPendingBytes?: number;
}

export const DEFAULT_MAX_PENDING_BYTES = 256 * 1024 * 1024;
const RETRY_FIRST_MS = 50;
const RETRY_MAX_MS = 2000;
/** While retrying, SQLite waits this long for a lock (not the 5 s a user's call waits), so the main process keeps answering. */
const RETRY_BUSY_TIMEOUT_MS = 100;
const NORMAL_BUSY_TIMEOUT_MS = 5000;

type Kind = 'started' | 'batches' | 'evals' | 'weights' | 'end';
export type KindCounts = Record<Kind, number>;
const zero = (): KindCounts => ({ started: 0, batches: 0, evals: 0, weights: 0, end: 0 });
const kindOf = (m: TrainerMessage): Kind | null =>
  m.type === 'started'
    ? 'started'
    : m.type === 'batch'
      ? 'batches'
      : m.type === 'eval'
        ? 'evals'
        : m.type === 'weights'
          ? 'weights'
          : m.type === 'end'
            ? 'end'
            : null;

/** What became of one run's recording. */
export interface RunRecording {
  runId: string;
  /** true: every message written; false: some never will be (see reason); null: some still wait. */
  saved: boolean | null;
  written: KindCounts;
  notWritten: KindCounts;
  /** Messages still waiting in memory. */
  pending: number;
  reason: string | null;
  /** Evaluations the run made, and how many its row keeps (see eval-budget.ts). */
  evalsSeen: number;
  evalsKept: number;
  kept: string | null;
}

interface Pending {
  runId: string;
  kind: Kind;
  bytes: number;
  write: () => void;
}

/** Test labels by file, read once (10 KB for MNIST), to list misclassified digits. */
function labelCache() {
  const cache = new Map<string, Uint8Array | null>();
  return (path: string): Uint8Array | null => {
    if (!cache.has(path)) {
      try {
        cache.set(path, readIdx(path, 1).data);
      } catch {
        cache.set(path, null);
      }
    }
    return cache.get(path) ?? null;
  };
}

/** Fallback identity when the dataset is not the one the lab has loaded. */
export function datasetIdentity(files: DatasetFiles): { id: string; name: string } {
  if (isBuiltinMnist(files)) return { id: builtinMnistId(), name: 'MNIST' };
  return { id: `files:${files.trainImages}`, name: basename(files.trainImages) };
}

/** Approximate bytes a message holds in memory while it waits. */
function sizeOf(m: TrainerMessage): number {
  let n = 256;
  for (const v of Object.values(m)) if (ArrayBuffer.isView(v)) n += v.byteLength;
  if (m.type === 'eval' && m.detail)
    for (const v of Object.values(m.detail)) if (ArrayBuffer.isView(v)) n += v.byteLength;
  return n;
}

/** Errors that pass: another process's lock, a full disk, an I/O hiccup. Anything else will fail again. */
function transient(err: unknown): boolean {
  const code = (err as { code?: string }).code ?? '';
  if (err instanceof LabError) return err.code === 'busy' || err.code === 'disk-full';
  return (
    code.startsWith('SQLITE_BUSY') ||
    code.startsWith('SQLITE_LOCKED') ||
    code.startsWith('SQLITE_FULL') ||
    code.startsWith('SQLITE_IOERR')
  );
}

export function createRecorder(store: SessionStore, options: RecorderOptions) {
  const labels = labelCache();
  const maxBytes = options.maxPendingBytes ?? DEFAULT_MAX_PENDING_BYTES;
  const recording = new Map<string, { sessionId: number; testLabels: string; evalEvery: number; stride: number }>();
  const runs = new Map<string, RunRecording>();
  const ended = new Set<string>();
  const weightsWarned = new Set<string>();
  const queue: Pending[] = [];
  let queuedBytes = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let delay = RETRY_FIRST_MS;
  let lastError: string | null = null;
  const waiters = new Set<() => void>();

  const tally = (runId: string): RunRecording => {
    let t = runs.get(runId);
    if (!t) {
      t = {
        runId,
        saved: null,
        written: zero(),
        notWritten: zero(),
        pending: 0,
        reason: null,
        evalsSeen: 0,
        evalsKept: 0,
        kept: null,
      };
      runs.set(runId, t);
    }
    return t;
  };

  const announce = (t: RunRecording) => {
    if (t.reason !== null) t.saved = false;
    else if (t.pending === 0 && ended.has(t.runId)) t.saved = true;
    else t.saved = null;
    const state = t.saved === false ? 'not-saved' : t.pending > 0 ? 'waiting' : 'saved';
    const message =
      state === 'not-saved'
        ? `not saved: ${t.reason}`
        : state === 'waiting'
          ? `waiting to save ${t.pending} message${t.pending === 1 ? '' : 's'}: ${lastError ?? 'the database is unavailable'}`
          : t.kept
            ? `saved; ${t.kept}`
            : 'saved';
    options.emit({ channel: 'recording', recording: { runId: t.runId, state, message } });
  };

  /** Mark a run not saved (once), with the reason. */
  const lose = (runId: string, kind: Kind, reason: string) => {
    const t = tally(runId);
    t.notWritten[kind]++;
    if (t.reason === null) {
      t.reason = reason;
      console.error(`momentum-lab: run ${runId}: not saved: ${reason}`);
      announce(t);
    }
  };

  const notifyWaiters = () => {
    if (queue.length > 0) return;
    for (const w of [...waiters]) w();
  };

  /** Try the waiting writes in order; stop at the first that fails again. */
  const drain = (busyTimeoutMs: number): void => {
    if (!store.db.open) return;
    const touched = new Set<string>();
    if (busyTimeoutMs !== NORMAL_BUSY_TIMEOUT_MS) store.db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    try {
      while (queue.length > 0) {
        const p = queue[0];
        try {
          p.write();
        } catch (err) {
          if (transient(err)) {
            lastError = sqliteError(err, 'recording').message;
            break;
          }
          lose(p.runId, p.kind, sqliteError(err, `recording a ${p.kind} message`).message);
        }
        queue.shift();
        queuedBytes -= p.bytes;
        const t = tally(p.runId);
        t.pending--;
        touched.add(p.runId);
      }
    } finally {
      if (busyTimeoutMs !== NORMAL_BUSY_TIMEOUT_MS && store.db.open)
        store.db.pragma(`busy_timeout = ${NORMAL_BUSY_TIMEOUT_MS}`);
    }
    for (const id of touched) {
      const t = tally(id);
      if (t.pending === 0) announce(t);
    }
    if (queue.length === 0) {
      delay = RETRY_FIRST_MS;
      lastError = null;
      notifyWaiters();
    }
  };

  const schedule = () => {
    if (timer || queue.length === 0) return;
    timer = setTimeout(() => {
      timer = null;
      drain(RETRY_BUSY_TIMEOUT_MS);
      if (queue.length > 0) {
        delay = Math.min(RETRY_MAX_MS, delay * 2);
        schedule();
      }
    }, delay);
  };

  /** Write now if nothing waits, else queue behind what waits (bounded). */
  const submit = (p: Pending) => {
    const t = tally(p.runId);
    if (queue.length === 0) {
      try {
        p.write();
        return;
      } catch (err) {
        if (!transient(err)) {
          lose(p.runId, p.kind, sqliteError(err, `recording a ${p.kind} message`).message);
          return;
        }
        lastError = sqliteError(err, 'recording').message;
        console.error(
          `momentum-lab: run ${p.runId}: ${lastError}; keeping what cannot be written in memory and retrying`,
        );
      }
    }
    // The end message is always kept (it is small and says how the run ended); others within the bound.
    if (p.kind !== 'end' && queuedBytes + p.bytes > maxBytes) {
      lose(
        p.runId,
        p.kind,
        `the database stayed unavailable (${lastError ?? 'busy'}) while ${maxBytes >= 1048576 ? `${(maxBytes / 1048576).toFixed(0)} MB` : `${Math.round(maxBytes / 1024)} KB`} of recorded points waited in memory; later points of this run were dropped`,
      );
      return;
    }
    queue.push(p);
    queuedBytes += p.bytes;
    t.pending++;
    if (t.pending === 1) announce(t);
    schedule();
  };

  /** The write of one message (run when the database takes it). */
  const writerOf = (message: TrainerMessage, run: ActiveRun): (() => void) | null => {
    const id = message.runId;
    const t = tally(id);
    if (message.type === 'started') {
      const placeNow = () => options.placeOf(id) ?? { sessionId: store.currentSessionId(), sweepId: null };
      // Where the run goes is decided now; if the database cannot even say which session is current, when it is written.
      let decided: ReturnType<typeof placeNow> | null = null;
      try {
        decided = placeNow();
      } catch (err) {
        if (!transient(err)) throw err;
      }
      // The trainer names the dataset it read (its id fingerprints the pixels); older trainers leave it to us.
      const dataset = message.dataset
        ? { id: message.dataset.id, name: message.dataset.name }
        : options.datasetOf(run.dataset);
      const rec = {
        sessionId: decided?.sessionId ?? -1,
        testLabels: run.dataset.testLabels,
        evalEvery: run.config.evalEvery,
        stride: 1,
      };
      recording.set(id, rec);
      return () => {
        const place = decided ?? placeNow();
        rec.sessionId = place.sessionId;
        insertRun(store.db, {
          id,
          sessionId: place.sessionId,
          name: 'name' in place && place.name ? place.name : store.nextRunName(place.sessionId, run.config),
          config: run.config,
          datasetId: dataset.id,
          datasetName: dataset.name,
          appVersion: options.appVersion,
          startedAt: run.startedAt,
          trainSize: message.trainSize,
          testSize: message.testSize,
          itersPerEpoch: message.itersPerEpoch,
          totalIters: message.totalIters,
          subset: message.subsetIndices,
          sweepId: place.sweepId,
          study: 'study' in place ? place.study : null,
          ownerPid: process.pid,
        });
        t.written.started++;
        options.emit({ channel: 'sessions', change: { sessionId: place.sessionId, runId: id, reason: 'run-started' } });
      };
    }
    const rec = recording.get(id);
    if (!rec) return null; // a run that started before the store
    if (message.type === 'batch') {
      return () => {
        appendBatch(store.db, id, message.fromIter, message.loss, message.acc, message.iter, message.elapsedMs);
        t.written.batches++;
      };
    }
    if (message.type === 'eval') {
      t.evalsSeen++;
      return () => {
        store.db.transaction(() => {
          appendEval(store.db, id, message.point, message.detail, labels(rec.testLabels));
          rec.stride = thinEvals(store.db, id, rec.evalEvery, rec.stride);
        })();
        t.written.evals++;
      };
    }
    if (message.type === 'weights') {
      return () => {
        // Optional extra: a matrix that cannot be kept (wrong size) is skipped, the run goes on being recorded.
        try {
          const rest =
            message.b1 && message.w2 && message.b2 ? { b1: message.b1, w2: message.w2, b2: message.b2 } : null;
          appendWeights(store.db, id, message.iter, message.hidden, message.inputs, message.w1, rest);
          t.written.weights++;
        } catch (err) {
          if (!(err instanceof RangeError)) throw err;
          if (!weightsWarned.has(id))
            console.error(`momentum-lab: run ${id}: hidden-unit weights not kept: ${err.message}`);
          weightsWarned.add(id);
        }
      };
    }
    if (message.type === 'end') {
      return () => {
        const kept = store.db.prepare('SELECT COUNT(*) FROM evals WHERE run_id = ?').pluck().get(id) as number;
        t.evalsKept = kept;
        const notes: string[] = [];
        if (rec.stride > 1) {
          t.kept = keptSentence(kept, t.evalsSeen, rec.stride);
          notes.push(t.kept);
        }
        if (t.reason !== null) notes.push(`not saved: ${t.reason}`);
        const text = notes.length > 0 ? `${message.message} · ${notes.join(' · ')}` : message.message;
        endRun(store.db, id, message.status, text, message.iter, message.elapsedMs, Date.now());
        t.written.end++;
        recording.delete(id);
        options.emit({ channel: 'sessions', change: { sessionId: rec.sessionId, runId: id, reason: 'run-ended' } });
      };
    }
    return null;
  };

  /** Runs whose 'started' this recorder saw. */
  const opened = new Set<string>();

  const record = (message: TrainerMessage, run: ActiveRun): void => {
    const kind = kindOf(message);
    if (kind === null) return;
    const id = message.runId;
    if (message.type === 'started') opened.add(id);
    else if (message.type === 'end' && !opened.has(id)) {
      // A run that ended before its trainer said 'started' (cancelled while the worker was starting, a dataset the
      // trainer could not read, a worker that died): it still gets its row, with no sizes known, then its end.
      record(
        { type: 'started', runId: id, trainSize: 0, testSize: 0, itersPerEpoch: 0, totalIters: 0, subsetIndices: null },
        run,
      );
    }
    let write: (() => void) | null;
    try {
      write = writerOf(message, run);
    } catch (err) {
      lose(id, kind, sqliteError(err, `recording a ${kind} message`).message);
      return;
    }
    if (message.type === 'end') ended.add(id);
    if (write) submit({ runId: id, kind, bytes: sizeOf(message), write });
    if (message.type === 'end') {
      const t = tally(id);
      if (t.pending === 0) announce(t);
    }
  };

  return Object.assign(record, {
    /** How one run's recording stands. */
    status(runId: string): RunRecording {
      const t = tally(runId);
      t.saved = t.reason !== null ? false : t.pending === 0 && ended.has(runId) ? true : null;
      return { ...t, written: { ...t.written }, notWritten: { ...t.notWritten } };
    },
    /** Resolves once nothing waits (true) or after `timeoutMs` with messages still waiting (false). */
    settle(timeoutMs: number): Promise<boolean> {
      if (queue.length === 0) return Promise.resolve(true);
      return new Promise((resolve) => {
        const done = (ok: boolean) => {
          clearTimeout(t);
          waiters.delete(onEmpty);
          resolve(ok);
        };
        const onEmpty = () => done(true);
        const t = setTimeout(() => done(queue.length === 0), timeoutMs);
        waiters.add(onEmpty);
      });
    },
    /**
     * Give up on what still waits (the lab is closing): one last try with the
     * normal busy timeout, then every message left is counted as not saved.
     */
    close(): void {
      if (timer) clearTimeout(timer);
      timer = null;
      drain(NORMAL_BUSY_TIMEOUT_MS);
      for (const p of queue.splice(0)) {
        const t = tally(p.runId);
        t.pending--;
        lose(p.runId, p.kind, `the lab closed while the database was still unavailable (${lastError ?? 'busy'})`);
      }
      queuedBytes = 0;
    },
    /** Messages waiting in memory now, and their bytes. */
    pending(): { messages: number; bytes: number } {
      return { messages: queue.length, bytes: queuedBytes };
    },
  });
}

export type Recorder = ReturnType<typeof createRecorder>;
