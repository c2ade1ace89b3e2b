import { printable } from '../../src-core/contracts/text-rules';
import { writeFileAtomic } from '../services/shared/atomic-file';
import { LabError } from '../../src-core/contracts/lab-error';
import type { SessionSummary } from '../../src-core/contracts/session-types';
import type { SessionStore } from '../../src-core/node/store/session-store';
import type { CliIo } from './cli-io';

// `momentum-lab sessions weights SESSION RUN [--eval K] --out F.npz`: a saved
// evaluation's weights as a NumPy .npz in PyTorch's nn.Linear layout.
// The session store (`weights` table) keeps W1 (hidden x inputs) of each kept
// evaluation and, from schema v9 on, b1, W2 (outputs x hidden) and b2 of the
// same evaluation: the file then holds the whole network. Weights recorded
// before v9 have W1 only; the file then holds W1 alone and the command says so.

export const WEIGHTS_HELP_LINE = `  weights SESSION RUN [--eval K] --out F.npz
                          a saved evaluation's weights as a NumPy .npz in
                          PyTorch's nn.Linear layout, float32: W1 (HL x 784),
                          b1 (HL), W2 (10 x HL), b2 (10); runs recorded before
                          the whole network was kept give W1 only (a note says
                          so). K: the evaluation's iteration (default: the
                          latest kept)
`;

export async function sessionsWeights(
  store: SessionStore,
  session: SessionSummary,
  runKey: string | undefined,
  evalFlag: string | undefined,
  out: () => string,
  asJson: boolean,
  io: CliIo,
): Promise<number> {
  if (!runKey) throw new LabError('invalid-input', 'weights needs the RUN (its name or id) after the session');
  const runs = store.listRuns(session.id);
  const run = runs.find((r) => r.id === runKey) ?? runs.find((r) => r.name === runKey);
  if (!run)
    throw new LabError(
      'not-found',
      `session "${session.name}" has no run "${runKey}" (runs: ${runs.map((r) => r.name).join(', ') || 'none'})`,
    );
  let iter: number | undefined;
  if (evalFlag !== undefined) {
    if (!/^\d+$/.test(evalFlag.trim()))
      throw new LabError('invalid-input', `--eval: "${evalFlag}" is not an iteration number`);
    iter = Number(evalFlag.trim());
  }
  const kept = store.weights(run.id, iter);
  if (!kept)
    throw new LabError('not-found', `run "${printable(run.name)}" has no saved weights (it was recorded without them)`);
  const path = out();
  const { weightsNpz } = await import('../../src-core/node/npz'); // fflate: loaded only by this action
  const { bytes, arrays, missing } = weightsNpz({
    hidden: kept.hidden,
    inputs: kept.inputs,
    w1: kept.w1,
    b1: kept.rest?.b1,
    w2: kept.rest?.w2,
    b2: kept.rest?.b2,
  });
  // The one write path of the CLI's files: out() checked the target (checkWritePath: never the database, a FIFO,
  // a device or a folder; an existing file only with --force), and the rename replaces only a regular file.
  try {
    writeFileAtomic(path, bytes, 0o644);
  } catch (err) {
    if (err instanceof LabError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new LabError(
      code === 'ENOSPC' ? 'disk-full' : 'invalid-input',
      `--out: cannot write ${path}: ${(err as Error).message}`,
    );
  }
  const note = missing.length
    ? `this run's weights were recorded with the first layer only: ${missing.join(', ')} are not stored, so the file does not hold the whole network`
    : '';
  if (asJson) {
    io.out(
      JSON.stringify(
        {
          path,
          run: printable(run.name),
          runId: printable(run.id),
          iter: kept.iter,
          iters: kept.iters,
          arrays,
          missing,
          bytes: bytes.length,
        },
        null,
        2,
      ) + '\n',
    );
  } else {
    io.out(
      `wrote ${path}: ${arrays.map((a) => `${a.name} (${a.shape.join(' x ')})`).join(', ')} of run "${printable(run.name)}" at iteration ${kept.iter}\n`,
    );
    if (note) io.err(`note: ${note}\n`);
  }
  return 0;
}
