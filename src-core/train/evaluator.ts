import type { EvalPoint, LayerPoint, TrainerMessage } from '../contracts/train-protocol';
import type { MlpParams } from '../mlp/params';
import type { FastNet } from '../mlp/wasm/fast-net';
import type { EvalPass } from './evaluate';
import type { OrderedEmitter } from './ordered-emit';
import type { RunSetup } from './run-setup';
import type { SharpnessEstimate } from './sharpness/meter';
import type { Yielder } from './yielder';

// The evaluator: what the trainer does at each evaluation point. Three
// strategies share this contract:
//   - evaluator-thread.ts: a snapshot of the weights evaluated (and its
//     sharpness measured) on the evaluation thread while training goes on;
//   - evaluator-inline.ts: on the training thread, chunk by chunk, with yields
//     and stop checks (the reference kernels, or no thread);
//   - early-stopping.ts: inline, then the lab's stopping rule on the
//     validation loss, restoring the best weights when it says stop.
// Every strategy emits the point's 'eval' and then 'weights' message, in order.

/** What the trainer knows of an evaluation point before the evaluation. */
export interface EvalRequest {
  head: Pick<EvalPoint, 'iter' | 'epoch' | 'examples' | 'trainLoss' | 'trainAcc'>;
  /** Flip and velocity statistics of the steps since the previous point. */
  layers: LayerPoint[];
  /** Measure sharpness at this point. */
  sharpness: boolean;
}

export type EvalOutcome =
  | { kind: 'go-on' }
  | { kind: 'cancelled' }
  /** Early stopping: the best weights are restored and their point emitted; the run ends 'finished' with message. */
  | { kind: 'stopped'; stoppedAt: number; bestIter: number; message: string };

export const GO_ON: EvalOutcome = { kind: 'go-on' };
export const CANCELLED: EvalOutcome = { kind: 'cancelled' };

export interface Evaluator {
  evaluate(request: EvalRequest): Promise<EvalOutcome>;
  close(): void;
}

/** What an evaluator works with. */
export interface EvalContext {
  runId: string;
  run: RunSetup;
  testLabels: Uint8Array;
  testCount: number;
  out: OrderedEmitter;
  yielder: Yielder;
  shouldStop(): boolean;
  /** Milliseconds since the run started. */
  elapsed(): number;
}

/** A validation pass's sums (fast path: read out of its slot). */
export type ValPass = { lossSum: number; correct: number };

/** The sharpness fields of an evaluation point (none when it did not measure). */
export function sharpnessFields(e: SharpnessEstimate | null): Pick<EvalPoint, 'sharpness' | 'sharpnessMin' | 'hvps'> {
  return e ? { sharpness: e.sharpness, sharpnessMin: e.sharpnessMin, hvps: e.hvps } : {};
}

/** The point's validation fields (none without a validation set). */
export function valFields(ctx: EvalContext, val: ValPass | null): Pick<EvalPoint, 'valLoss' | 'valAcc'> {
  const V = ctx.run.valIdx.length;
  return val ? { valLoss: val.lossSum / V, valAcc: val.correct / V } : {};
}

/** The 'eval' message of a point: the request's head and layers, the passes' results, the sharpness if measured. */
export function evalMessage(
  ctx: EvalContext,
  request: EvalRequest,
  pass: EvalPass,
  val: ValPass | null,
  sharp: SharpnessEstimate | null,
): TrainerMessage {
  const point: EvalPoint = {
    ...request.head,
    testLoss: pass.lossSum / ctx.testCount,
    testAcc: pass.correct / ctx.testCount,
    ...valFields(ctx, val),
    elapsedMs: ctx.elapsed(),
    ...sharpnessFields(sharp),
    layers: request.layers,
  };
  return { type: 'eval', runId: ctx.runId, point, detail: pass.detail };
}

/** A full test pass whose results an evaluation (here or on a thread) wrote into the slot. */
export function fastPass(net: FastNet, slot: number): EvalPass {
  const { lossSum, correct, ...detail } = net.evalResult(slot);
  return { detail, lossSum, correct, done: net.testCount };
}

/** The 'weights' message: params.w1 (inputs x hidden, input-major) copied out, transposed to hidden x inputs. */
export function weightsMessage(runId: string, iter: number, params: MlpParams): TrainerMessage {
  const { inputs, hidden } = params;
  const src = params.w1;
  const w1 = new Float32Array(hidden * inputs);
  for (let i = 0; i < inputs; i++) {
    const row = i * hidden;
    for (let j = 0; j < hidden; j++) w1[j * inputs + i] = src[row + j];
  }
  return {
    type: 'weights',
    runId,
    iter,
    hidden,
    inputs,
    w1,
    b1: Float32Array.from(params.b1),
    w2: Float32Array.from(params.w2),
    b2: Float32Array.from(params.b2),
  };
}
