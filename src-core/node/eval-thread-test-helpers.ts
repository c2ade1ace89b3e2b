import { fileURLToPath } from 'node:url';
import type { FastNet } from '../mlp/wasm/fast-net';
import type { EvalRunner, SharpnessSetup } from '../train/eval-runner';
import { entryFile } from './entry-file';
import { startEvalThread } from './eval-thread';

// For tests that run the trainer in their own process: the evaluation thread
// started from its source entry, as the trainer process started through tsx
// starts it (src-main/workers/trainer-entry.ts passes the entry beside itself).

const TRAINER_ENTRY = fileURLToPath(new URL('../../src-main/workers/trainer-entry.ts', import.meta.url));

/** A TrainHooks.evalThread that starts the real thread from the sources. */
export function sourceEvalThread(net: FastNet, sharpness: SharpnessSetup | null): EvalRunner {
  return startEvalThread(net, sharpness, entryFile('eval-thread', TRAINER_ENTRY));
}
