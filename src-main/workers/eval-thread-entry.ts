import { parentPort } from 'node:worker_threads';
import { serveEvalThread } from '../../src-core/node/eval-thread-main';
import { useNativeKernelsIfBuilt } from '../../src-core/node/native-kernels';

// The trainer process's evaluation thread (a worker thread, not a process):
// started by src-core/node/eval-thread.ts beside trainer-entry (bundled as
// eval-thread-worker in out/cli and out/main).

if (!parentPort) throw new Error('eval-thread-entry runs only as a worker thread');
useNativeKernelsIfBuilt(); // the test passes' first layer natively where the addon was built
serveEvalThread(parentPort);
