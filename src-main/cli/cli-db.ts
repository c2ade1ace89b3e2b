import { LabError } from '../../src-core/contracts/lab-error';
import type { RunRecording } from '../services/training/session-recorder';
import { createLab, type Lab, type LabOptions } from '../services/services';
import { nodeLauncher } from '../workers/node-launcher';
import type { CliIo } from './cli-io';

// --db for the commands that record (train, simulate): the database must
// open and take a write before any work starts, and at the end the command
// says whether everything was saved.

/** Exit code of a command whose work was done but not (completely) saved. */
export const NOT_SAVED_EXIT = 3;

/** How long a finished run waits for a busy or full database to take what is left, before saying "not saved". */
export const SAVE_WAIT_MS =
  Number(process.env.MOMENTUM_LAB_SAVE_WAIT_MS) > 0 ? Number(process.env.MOMENTUM_LAB_SAVE_WAIT_MS) : 60_000;

/** createLab for the CLI: a --db that cannot be used is refused (exit 2) with the reason, before anything runs. */
export function openCliLab(options: LabOptions, nothingDone: string): Lab {
  try {
    return createLab(
      { launcher: nodeLauncher, emit: () => {}, pickDatasetFiles: async () => null },
      { ...options, dbRequired: options.dbPath !== undefined },
    );
  } catch (err) {
    if (!(err instanceof LabError)) throw err;
    throw new LabError('invalid-input', `--db: ${err.message}; ${nothingDone}`);
  }
}

/** Wait (bounded) until the run's recording is written, then say how it stands. */
export async function settleRecording(lab: Lab, runId: string, io: CliIo, quiet: boolean): Promise<RunRecording> {
  const waiting = lab.recorder.pending();
  if (waiting.messages > 0 && !quiet) {
    io.err(
      `waiting up to ${Math.round(SAVE_WAIT_MS / 1000)} s for the database to take ${waiting.messages} recorded message${waiting.messages === 1 ? '' : 's'} (${(waiting.bytes / 1048576).toFixed(1)} MB) kept in memory…\n`,
    );
  }
  await lab.recorder.settle(SAVE_WAIT_MS);
  lab.recorder.close(); // anything still waiting now counts as not saved
  return lab.recorder.status(runId);
}

const KINDS = ['started', 'batches', 'evals', 'weights', 'end'] as const;

/** "saved 1 run row, 120 batches, 12 evaluations…; not saved …" */
export function savedCounts(r: RunRecording): string {
  const list = (c: RunRecording['written']) =>
    KINDS.filter((k) => c[k] > 0)
      .map((k) => `${c[k]} ${k}`)
      .join(', ') || 'nothing';
  return `saved ${list(r.written)}; not saved ${list(r.notWritten)}`;
}

export function recordJson(r: RunRecording) {
  return {
    written: r.written,
    notWritten: r.notWritten,
    reason: r.reason,
    evalsSeen: r.evalsSeen,
    evalsKept: r.evalsKept,
    kept: r.kept,
  };
}
