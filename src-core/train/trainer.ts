import { LabError } from '../contracts/lab-error';
import type { TrainConfig } from '../contracts/train-config';
import type { EndStatus, EvalPoint, LayerPoint, TrainerMessage } from '../contracts/train-protocol';
import { stopRule } from '../analysis/stopping-rule';
import { collapseIndex, collapseMessage } from '../analysis/collapse';
import { lossGradSparse } from '../mlp/sparse-backward';
import type { FastNet } from '../mlp/wasm/fast-net';
import { BatchLog } from './batch-log';
import { lossDivergence } from './divergence';
import { EarlyStoppingEvaluator } from './early-stopping';
import { evalChunk, startEvalPass } from './evaluate';
import type { EvalRunner, SharpnessSetup } from './eval-runner';
import type { EvalContext, Evaluator } from './evaluator';
import { InlineEvaluator } from './evaluator-inline';
import { threadEvaluator } from './evaluator-thread';
import { OrderedEmitter } from './ordered-emit';
import { setUpRun, type RunSetup } from './run-setup';
import { describeSharpnessSet } from './sharpness/sharpness-set';
import type { TrainData } from './train-data';
import { Yielder } from './yielder';

export type { TrainData } from './train-data';

// A training run in named steps: set-up (run-setup.ts), the training loop
// below, an evaluator at each evaluation point (evaluator.ts: on the
// evaluation thread, inline, or inline with early stopping), one yield helper
// (yielder.ts), and the end (the best point, the collapse check, 'end').

export interface TrainHooks {
  emit(msg: TrainerMessage): void;
  /** Polled between mini-batches (and eval chunks); true ends the run as 'cancelled'. */
  shouldStop(): boolean;
  /** Lets pending messages (e.g. a cancel) arrive; awaited at least every YIELD_MS of clock time. */
  yieldNow(): Promise<void>;
  /** Wall clock in milliseconds (default Date.now); inject a fake one for reproducible message batching. */
  now?(): number;
  /**
   * Optional: starts a thread that runs the fast path's evaluations, and their sharpness when the run measures it, on
   * a snapshot of the weights while training goes on (src-core/node/eval-thread.ts). Results are emitted in order all
   * the same.
   */
  evalThread?(net: FastNet, sharpness: SharpnessSetup | null): EvalRunner | null;
  /**
   * Optional: gives the fast path's network a step thread that takes half of every training step
   * (src-core/node/step-thread.ts; the same numbers bit for bit). The host ends the thread after the run.
   */
  stepThread?(net: FastNet): void;
}

export interface TrainOptions {
  /**
   * 'fast' (default): the WebAssembly SIMD kernels (float32 lanes) where the host has them, else the TypeScript
   * kernels;
   * 'reference': the TypeScript sparse kernels (float64 intermediates) the fast ones are tested against.
   */
  kernels?: 'fast' | 'reference';
}

/** 'batch' messages go out at most this often (plus before every eval and at the end). */
export const BATCH_EMIT_MS = 100;

type Early = { stoppedAt: number; bestIter: number } | null;

/** What the end of a run needs to know, whenever it comes (before or after the set-up). */
interface RunState {
  iter: number;
  run: RunSetup | null;
  evaluator: Evaluator | null;
  ended: boolean;
}

/**
 * Trains the MLP config describes on data, reporting through hooks: 'started',
 * then throttled 'batch' messages and an 'eval' every config.evalEvery
 * iterations and after the last, and exactly one 'end'. Never throws: a failure
 * ends the run with status 'failed'. The same seed gives the same messages, bit
 * for bit, apart from elapsedMs (and, with a real clock, where batch messages split).
 */
export async function runTraining(
  runId: string,
  config: TrainConfig,
  data: TrainData,
  hooks: TrainHooks,
  options: TrainOptions = {},
): Promise<EndStatus> {
  const now = hooks.now ? () => hooks.now!() : () => Date.now();
  const t0 = now();
  // Every evaluation point as it goes out (in order), for the best point and the collapse check at the end.
  const points: EvalPoint[] = [];
  const out = new OrderedEmitter((m) => {
    if (m.type === 'eval') points.push(m.point);
    hooks.emit(m);
  });
  const state: RunState = { iter: 0, run: null, evaluator: null, ended: false };
  const end = (status: EndStatus, message: string, early: Early = null) =>
    finish({ runId, hooks, out, points, state, elapsed: () => now() - t0 }, status, message, early);
  try {
    const run = setUpRun(config, data, options.kernels ?? 'fast');
    state.run = run;
    if (run.net && hooks.stepThread) hooks.stepThread(run.net);
    const yielder = new Yielder(() => hooks.yieldNow(), now, t0);
    const ctx: EvalContext = {
      runId,
      run,
      testLabels: data.testLabels,
      testCount: data.testCount,
      out,
      yielder,
      shouldStop: () => hooks.shouldStop(),
      elapsed: () => now() - t0,
    };
    state.evaluator = chooseEvaluator(ctx, hooks);
    return await trainLoop(ctx, state, data.trainLabels, t0, now, end);
  } catch (err) {
    const message = err instanceof LabError || err instanceof Error ? err.message : String(err);
    return end('failed', message);
  }
}

/**
 * The evaluator of a run: early stopping needs each evaluation's validation loss before training goes on, so it stays
 * on this thread; otherwise the fast path hands evaluations to the host's evaluation thread if it has one.
 */
function chooseEvaluator(ctx: EvalContext, hooks: TrainHooks): Evaluator {
  const { net, cfg, sharpness } = ctx.run;
  if (cfg.earlyStop !== null) return new EarlyStoppingEvaluator(ctx, cfg.earlyStop);
  const runner = net && hooks.evalThread ? hooks.evalThread(net, sharpness) : null;
  return net && runner ? threadEvaluator(ctx, net, runner) : new InlineEvaluator(ctx);
}

/** The mini-batch loop: steps, batch log, flip statistics, and the evaluator at every evaluation point. */
async function trainLoop(
  ctx: EvalContext,
  state: RunState,
  trainLabels: Uint8Array,
  t0: number,
  now: () => number,
  end: (status: EndStatus, message: string, early?: Early) => Promise<EndStatus>,
): Promise<EndStatus> {
  const { run, runId, out, yielder } = ctx;
  const evaluator = state.evaluator!;
  const { cfg, net, params, grads, plist, glist, opt, flips, order, trainSize, batch, totalIters, act, loss } = run;
  const log = new BatchLog(runId, (m) => out.emit(m), BATCH_EMIT_MS, t0);
  out.emit({
    type: 'started',
    runId,
    trainSize,
    testSize: ctx.testCount,
    itersPerEpoch: run.itersPerEpoch,
    totalIters,
    subsetIndices: run.subset,
    validationSize: run.valIdx.length,
    sharpnessSet: run.sharpSet
      ? {
          source: run.sharpSet.source,
          count: run.sharpSet.indices.length,
          description: describeSharpnessSet(run.sharpSet),
        }
      : null,
  });
  let iter = 0;
  let examples = 0;
  let evalCount = 0;
  let since = { loss: 0, acc: 0, n: 0 };
  const epochOf = () => examples / trainSize;
  const flush = () => log.flush(epochOf(), now() - t0, now());
  const stop = (status: 'cancelled' | 'diverged', why: string) => {
    flush();
    return end(
      status,
      status === 'cancelled' ? `cancelled at iteration ${iter}` : `diverged at iteration ${iter}: ${why}`,
    );
  };

  for (let epoch = 0; epoch < cfg.epochs; epoch++) {
    run.orderRng.shuffle(order);
    for (let from = 0; from < trainSize; from += batch) {
      if (ctx.shouldStop()) return stop('cancelled', '');
      const count = Math.min(batch, trainSize - from);
      const l = net
        ? net.lossGrad(act, loss, trainLabels, order, from, count)
        : lossGradSparse(params, act, loss, run.train!, trainLabels, order, from, count, run.ws, grads);
      const acc = (net ? net.correct : run.ws.correct) / count;
      state.iter = ++iter;
      examples += count;
      const t = now();
      log.push(l, acc, epochOf(), t - t0, t);
      const why = lossDivergence(l);
      if (why !== null) return stop('diverged', why);
      // Before the step (the fast path's step clears the gradients); moved() after it reads the step taken.
      flips.gradients(glist, plist);
      let finite: boolean;
      if (run.fastStep) {
        finite = net!.stepHeavyBall(cfg.lr, cfg.momentum);
      } else {
        finite = Number.isFinite(opt.step(plist, glist));
        net?.clearGrads();
      }
      if (!finite) return stop('diverged', 'parameters became non-finite after the update');
      flips.moved(plist);
      since = { loss: since.loss + l, acc: since.acc + acc, n: since.n + 1 };

      if (iter % cfg.evalEvery === 0 || iter === totalIters) {
        flush();
        const train = run.trainEval
          ? await fullTrainPass(ctx)
          : { trainLoss: since.loss / since.n, trainAcc: since.acc / since.n };
        if (!train) return stop('cancelled', '');
        evalCount++;
        const layers: LayerPoint[] = flips
          .take()
          .map((f) => ({ layer: f.layer, flipFraction: f.flipFraction, velocityRatio: f.velocityRatio }));
        const sharpness = cfg.sharpnessEvery !== null && (evalCount % cfg.sharpnessEvery === 0 || iter === totalIters);
        const outcome = await evaluator.evaluate({
          head: { iter, epoch: epochOf(), examples, ...train },
          layers,
          sharpness,
        });
        if (outcome.kind === 'cancelled') return stop('cancelled', '');
        if (outcome.kind === 'stopped') {
          flush();
          return end('finished', outcome.message, { stoppedAt: outcome.stoppedAt, bestIter: outcome.bestIter });
        }
        since = { loss: 0, acc: 0, n: 0 };
      }
      await yielder.ifDue();
    }
  }
  flush();
  return end('finished', `finished ${iter} iterations`);
}

/** trainLossMode 'full': loss and accuracy of the whole training (sub)set at the current weights; null: stopped. */
async function fullTrainPass(ctx: EvalContext): Promise<{ trainLoss: number; trainAcc: number } | null> {
  const { run, yielder } = ctx;
  const set = run.trainEval!;
  const n = set.labels.length;
  const pass = startEvalPass(n);
  while (!evalChunk(pass, run.params, run.act, run.loss, set.images, set.labels, set.idx, run.evalWs)) {
    await yielder.ifDue();
    if (ctx.shouldStop()) return null;
  }
  return { trainLoss: pass.lossSum / n, trainAcc: pass.correct / n };
}

interface Ending {
  runId: string;
  hooks: TrainHooks;
  out: OrderedEmitter;
  points: EvalPoint[];
  state: RunState;
  elapsed(): number;
}

/**
 * The end of a run, once: waits for queued evaluations (a failed one fails a finished run), closes the evaluator,
 * picks the best point by the lab's one rule on the validation loss (src-core/analysis/stopping-rule.ts), checks a
 * finished run for a collapse, and emits 'end'.
 */
async function finish(e: Ending, status: EndStatus, message: string, early: Early): Promise<EndStatus> {
  const { state } = e;
  if (state.ended) return status;
  try {
    await e.out.drain();
  } catch (err) {
    if (status === 'finished') {
      status = 'failed';
      message = err instanceof Error ? err.message : String(err);
    }
  }
  state.evaluator?.close();
  state.ended = true;
  const { points } = e;
  const withVal = points.length > 0 && points.every((p) => p.valLoss !== undefined);
  const bestIter = early
    ? early.bestIter
    : withVal
      ? (points[
          stopRule(
            points.map((p) => p.valLoss!),
            null,
          ).bestIndex
        ]?.iter ?? null)
      : null;
  let collapsedAt: number | null = null;
  const chance = state.run?.chance;
  if (status === 'finished' && chance) {
    const at = collapseIndex(points.map(chance.acc), chance.chance);
    if (at !== null) {
      collapsedAt = points[at].iter;
      status = 'collapsed';
      let peak: { acc: number; iter: number } | null = null;
      for (const p of points.slice(0, at))
        if (Number.isFinite(chance.acc(p)) && (!peak || chance.acc(p) > peak.acc))
          peak = { acc: chance.acc(p), iter: p.iter };
      const last = chance.acc(points[points.length - 1]);
      message = `${collapseMessage(collapsedAt, last, chance.chance, chance.what, peak)}; ${message}`;
    }
  }
  e.hooks.emit({
    type: 'end',
    runId: e.runId,
    status,
    iter: state.iter,
    elapsedMs: e.elapsed(),
    message,
    stoppedAt: early ? early.stoppedAt : null,
    bestIter,
    collapsedAt,
  });
  return status;
}
