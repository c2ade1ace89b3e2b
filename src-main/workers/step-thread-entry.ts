import { parentPort } from 'node:worker_threads';
import { serveStepThread } from '../../src-core/node/step-thread-main';

// The trainer process's step thread (a worker thread): the second half of each training step of a run that steps
// on two threads. Started by src-core/node/step-thread.ts beside trainer-entry (bundled as step-thread-worker in
// out/cli and out/main).

if (!parentPort) throw new Error('step-thread-entry runs only as a worker thread');
serveStepThread(parentPort);
