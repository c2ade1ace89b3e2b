import { fileURLToPath } from 'node:url';
import { entryFile } from './entry-file';

// For tests that start a step thread in their own process: its entry from the sources, as the trainer process run
// through tsx starts it (src-main/workers/trainer-entry.ts passes the entry beside itself).

const TRAINER_ENTRY = fileURLToPath(new URL('../../src-main/workers/trainer-entry.ts', import.meta.url));

/** The step-thread entry from the sources. */
export const SOURCE_STEP_ENTRY = entryFile('step-thread', TRAINER_ENTRY);

/** Resolves once ready() is true (polled every 10 ms); rejects after timeoutMs. */
export async function waitUntil(ready: () => boolean, timeoutMs: number): Promise<void> {
  const t0 = Date.now();
  while (!ready()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`not ready within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
