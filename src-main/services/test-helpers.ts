import type { LabErrorCode } from '../../src-core/contracts/lab-error';

// Shared by the payload fuzz tests (IPC through invokeService, and the browser socket).

/** The codes a refused request may answer with: every code but 'internal', which means an unvalidated payload
 * reached code that did not expect it. Written out here, not read from the code under test. */
export const REFUSAL_CODES: readonly LabErrorCode[] = [
  'invalid-input',
  'bad-dataset',
  'bad-session',
  'not-found',
  'busy',
  'disk-full',
  'worker-failed',
  'forbidden',
];
