import { printable } from '../../src-core/contracts/text-rules';
import { writeFileAtomic } from '../services/shared/atomic-file';
import { LabError } from '../../src-core/contracts/lab-error';
import type { SessionSummary } from '../../src-core/contracts/session-types';
import { weightsNpz } from '../../src-core/node/npz';
import type { SessionStore } from '../../src-core/node/store/session-store';
import type { CliIo } from './cli-io';

// `momentum-lab sessions weights SESSION RUN [--eval K] --out F.npz`: a saved
// evaluation's weights as a NumPy .npz in PyTorch's nn.Linear layout.
// The session store (schema v4, `weights` table) keeps only the FIRST layer's
// weights W1 (hidden x inputs) of an evaluation; b1, W2 and b2 are not stored,
// so the file holds W1 alone and the command says so. A full export needs a
// migration that stores all four parameter arrays per kept evaluation.

export const WEIGHTS_HELP_LINE = `  weights SESSION RUN [--eval K] --out F.npz
                          a saved evaluation's weights as a NumPy .npz in
                          PyTorch's nn.Linear layout (W1 HL x 784, float32;
                          sessions keep only the first layer: b1, W2, b2 are
                          not stored). K: the evaluation's iteration (default:
                          the latest kept)
`;

export function sessionsWeights(store: SessionStore, session: SessionSummary, runKey: string | undefined, evalFlag: string | undefined, out: () => string, asJson: boolean, io: CliIo): number {
  if (!runKey) throw new LabError('invalid-input', 'weights needs the RUN (its name or id) after the session');
  const runs = store.listRuns(session.id);
  const run = runs.find((r) => r.id === runKey) ?? runs.find((r) => r.name === runKey);
  if (!run) throw new LabError('not-found', `session "${session.name}" has no run "${runKey}" (runs: ${runs.map((r) => r.name).join(', ') || 'none'})`);
  let iter: number | undefined;
  if (evalFlag !== undefined) {
    if (!/^\d+$/.test(evalFlag.trim())) throw new LabError('invalid-input', `--eval: "${evalFlag}" is not an iteration number`);
    iter = Number(evalFlag.trim());
  }
  const kept = store.weights(run.id, iter);
  if (!kept) throw new LabError('not-found', `run "${printable(run.name)}" has no saved weights (it was recorded without them)`);
  const path = out();
  const { bytes, arrays, missing } = weightsNpz({ hidden: kept.hidden, inputs: kept.inputs, w1: kept.w1 });
  // The one write path of the CLI's files: out() checked the target (checkWritePath: never the database, a FIFO,
  // a device or a folder; an existing file only with --force), and the rename replaces only a regular file.
  try {
    writeFileAtomic(path, bytes, 0o644);
  } catch (err) {
    if (err instanceof LabError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new LabError(code === 'ENOSPC' ? 'disk-full' : 'invalid-input', `--out: cannot write ${path}: ${(err as Error).message}`);
  }
  const note = missing.length ? `sessions keep only the first layer: ${missing.join(', ')} are not stored, so the file does not hold the whole network` : '';
  if (asJson) {
    io.out(JSON.stringify({ path, run: printable(run.name), runId: printable(run.id), iter: kept.iter, iters: kept.iters, arrays, missing, bytes: bytes.length }, null, 2) + '\n');
  } else {
    io.out(`wrote ${path}: ${arrays.map((a) => `${a.name} (${a.shape.join(' x ')})`).join(', ')} of run "${printable(run.name)}" at iteration ${kept.iter}\n`);
    if (note) io.err(`note: ${note}\n`);
  }
  return 0;
}
