// The one error shape that crosses process boundaries: a code a program can
// switch on and a sentence a person can read.

export type LabErrorCode =
  | 'invalid-input' // a payload or argument failed validation
  | 'bad-dataset' // an IDX file is malformed or unreadable
  | 'bad-session' // a session file failed its checks
  | 'not-found' // a run, session or file does not exist
  | 'busy' // the database is locked by another process
  | 'disk-full' // the database or export target has no space left
  | 'worker-failed' // a worker process died or reported a failure
  | 'forbidden' // an IPC sender that is not the app's own frame
  | 'internal'; // anything else; message says what

export class LabError extends Error {
  readonly code: LabErrorCode;
  constructor(code: LabErrorCode, message: string) {
    super(message);
    this.name = 'LabError';
    this.code = code;
  }
}

/** A LabError as plain data, for IPC and JSON. */
export interface LabErrorData {
  code: LabErrorCode;
  message: string;
}

export function toLabErrorData(err: unknown): LabErrorData {
  if (err instanceof LabError) return { code: err.code, message: err.message };
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'internal', message };
}
