import { LabError } from '../contracts/lab-error';
import { TrainConfigSchema, type TrainConfig } from '../contracts/train-config';
import { NUM_CLASSES, type EndStatus, type TrainerMessage } from '../contracts/train-protocol';
import { parseOrThrow } from '../contracts/validate';
import { classBalancedSubset } from '../data/subset';
import { encodeSparse, encodeSparseSubset, sparseOf, type SparseImages } from '../data/sparse-images';
import { actCode } from '../mlp/activation';
import { lossCode } from '../mlp/loss';
import { createParams, initPyTorch, paramList, type MlpParams } from '../mlp/params';
import { lossGradSparse } from '../mlp/sparse-backward';
import { createWorkspace } from '../mlp/workspace';
import { FastNet, type EvalJob, type EvalRunner } from '../mlp/wasm/fast-net';
import { rngFor, STREAMS } from '../rng';
import { BatchLog } from './batch-log';
import { lossDivergence } from './divergence';
import { evalChunk, startEvalPass, type EvalPass } from './evaluate';
import { OrderedEmitter } from './ordered-emit';
import { earlyStop } from '../analysis/early-stopping';
import { createOptimizer } from './optim/create';
import { checkTrainData, type TrainData } from './train-data';

export type { TrainData } from './train-data';

export interface TrainHooks {
  emit(msg: TrainerMessage): void;
  /** Polled between mini-batches (and eval chunks); true ends the run as 'cancelled'. */
  shouldStop(): boolean;
  /** Lets pending messages (e.g. a cancel) arrive; awaited at least every YIELD_MS of clock time. */
  yieldNow(): Promise<void>;
  /** Wall clock in milliseconds (default Date.now); inject a fake one for reproducible message batching. */
  now?(): number;
  /**
   * Optional: starts a thread that runs the fast path's test evaluations on a snapshot of the weights while
   * training goes on (src-core/node/eval-thread.ts). Results are emitted in order all the same.
   */
  evalThread?(net: FastNet): EvalRunner | null;
}

export interface TrainOptions {
  /**
   * 'fast' (default): the WebAssembly SIMD kernels (float32 lanes) where the host has them, else the TypeScript kernels;
   * 'reference': the TypeScript sparse kernels (float64 intermediates) the fast ones are tested against.
   */
  kernels?: 'fast' | 'reference';
}

/** 'batch' messages go out at most this often (plus before every eval and at the end). */
export const BATCH_EMIT_MS = 100;
/** The trainer awaits hooks.yieldNow() at least this often. */
export const YIELD_MS = 40;
/** Test images per evaluation chunk (a yield and a stop check between chunks). */
export const EVAL_CHUNK = 256;

/**
 * Trains the MLP config describes on data, reporting through hooks: 'started',
 * then throttled 'batch' messages and an 'eval' every config.evalEvery
 * iterations and after the last, and exactly one 'end'. Never throws: a failure
 * ends the run with status 'failed'. The same seed gives the same messages, bit
 * for bit, apart from elapsedMs (and, with a real clock, where batch messages split).
 */
export async function runTraining(runId: string, config: TrainConfig, data: TrainData, hooks: TrainHooks, options: TrainOptions = {}): Promise<EndStatus> {
  const now = hooks.now ? () => hooks.now!() : () => Date.now();
  const t0 = now();
  let iter = 0;
  let ended = false;
  let runner: EvalRunner | null = null;
  const out = new OrderedEmitter((m) => hooks.emit(m));
  const end = async (status: EndStatus, message: string): Promise<EndStatus> => {
    if (ended) return status;
    try {
      await out.drain();
    } catch (err) {
      if (status === 'finished') {
        status = 'failed';
        message = err instanceof Error ? err.message : String(err);
      }
    }
    runner?.close();
    ended = true;
    hooks.emit({ type: 'end', runId, status, iter, elapsedMs: now() - t0, message });
    return status;
  };
  try {
    const cfg = parseOrThrow(TrainConfigSchema, config, 'config');
    checkTrainData(data);
    const inputs = data.rows * data.cols;
    const act = actCode(cfg.activation);
    const loss = lossCode(cfg.loss);

    // Data: the (sub)set of training indices, and the nonzero-pixel lists (cached per dataset).
    const subset = cfg.perClass === null ? null : classBalancedSubset(data.trainLabels, cfg.perClass, rngFor(cfg.seed, STREAMS.subset));
    const order = subset ? subset.slice() : Int32Array.from({ length: data.trainCount }, (_, i) => i);
    const trainSize = order.length;

    // Model, gradients, optimizer and scratch: allocated once for the whole run.
    const batch = Math.min(cfg.batchSize, trainSize);
    const itersPerEpoch = Math.ceil(trainSize / batch);
    const totalIters = itersPerEpoch * cfg.epochs;
    // The fast path keeps parameters, gradients and the nonzero pixels of the images it uses (a subset run: only
    // its own) in one WebAssembly memory; null: the TypeScript kernels on CSR lists built here.
    const net =
      options.kernels === 'reference'
        ? null
        : FastNet.create({
            inputs,
            hidden: cfg.hidden,
            maxBatch: batch,
            train: { images: data.trainImages, count: data.trainCount, only: subset },
            test: { images: data.testImages, count: data.testCount },
            testLabels: data.testLabels,
            evalSlots: 2,
            evalChunk: EVAL_CHUNK,
          });
    const train: SparseImages | null = net ? null : subset ? encodeSparseSubset(data.trainImages, data.trainCount, inputs, subset) : sparseOf(data.trainImages, data.trainCount, inputs);
    const test: SparseImages | null = net ? null : sparseOf(data.testImages, data.testCount, inputs);
    const testIdx = Int32Array.from({ length: data.testCount }, (_, i) => i);
    // trainLossMode 'full': the training (sub)set as a compact evaluation set (a pass with the weights of the moment).
    const trainEval = cfg.trainLossMode === 'full' ? compactTrainSet(data, subset, inputs) : null;
    const params = net ? net.params : createParams(inputs, cfg.hidden, NUM_CLASSES);
    initPyTorch(params, rngFor(cfg.seed, STREAMS.init));
    const grads = net ? net.grads : createParams(inputs, cfg.hidden, NUM_CLASSES);
    const plist = paramList(params);
    const glist = paramList(grads);
    // Heavy-ball and plain SGD step inside the fast kernels (bit for bit as HeavyBall); other optimizers step in TypeScript.
    const fastStep = net !== null && cfg.optimizer === 'heavy-ball';
    const opt = createOptimizer(cfg, plist);
    const ws = createWorkspace(batch, cfg.hidden, NUM_CLASSES);
    const evalWs = createWorkspace(Math.min(EVAL_CHUNK, data.testCount), cfg.hidden, NUM_CLASSES);
    const orderRng = rngFor(cfg.seed, STREAMS.order);
    // Early stopping needs each evaluation's test loss before training goes on: evaluations stay on this thread.
    const patience = cfg.earlyStop;
    runner = net && hooks.evalThread && patience === null ? hooks.evalThread(net) : null;
    const testLosses: number[] = [];
    let bestIter = 0;
    let bestTrain = { trainLoss: NaN, trainAcc: NaN };
    const bestParams = patience === null ? null : plist.map((p) => new Float32Array(p.length));
    const slotBusy: (Promise<unknown> | null)[] = [null, null];
    let nextSlot = 0;

    out.emit({ type: 'started', runId, trainSize, testSize: data.testCount, itersPerEpoch, totalIters, subsetIndices: subset });

    const log = new BatchLog(runId, (m) => out.emit(m), BATCH_EMIT_MS, t0);
    let examples = 0;
    let sinceLoss = 0;
    let sinceAcc = 0;
    let sinceN = 0;
    let lastYield = t0;
    const epochOf = () => examples / trainSize;
    const flush = () => log.flush(epochOf(), now() - t0, now());
    /** A full test pass on this thread with the current weights; null when a cancel arrived meanwhile. */
    const evalHere = async (): Promise<EvalPass | null> => {
      if (net) {
        net.snapshot(0);
        const job = net.evalJob(0, act, loss);
        for (let from = 0; from < job.count; from += job.chunk) {
          net.evalRows(job, from, Math.min(job.chunk, job.count - from));
          if (now() - lastYield >= YIELD_MS) {
            await hooks.yieldNow();
            lastYield = now();
          }
          if (hooks.shouldStop()) return null;
        }
        return fastPass(net, 0);
      }
      const pass = startEvalPass(data.testCount);
      while (!evalChunk(pass, params, act, loss, test!, data.testLabels, testIdx, evalWs)) {
        if (now() - lastYield >= YIELD_MS) {
          await hooks.yieldNow();
          lastYield = now();
        }
        if (hooks.shouldStop()) return null;
      }
      return pass;
    };
    const cancelled = () => {
      flush();
      return end('cancelled', `cancelled at iteration ${iter}`);
    };
    const diverged = (reason: string) => {
      flush();
      return end('diverged', `diverged at iteration ${iter}: ${reason}`);
    };

    for (let epoch = 0; epoch < cfg.epochs; epoch++) {
      orderRng.shuffle(order);
      for (let from = 0; from < trainSize; from += batch) {
        if (hooks.shouldStop()) return cancelled();
        const count = Math.min(batch, trainSize - from);
        const l = net ? net.lossGrad(act, loss, data.trainLabels, order, from, count) : lossGradSparse(params, act, loss, train!, data.trainLabels, order, from, count, ws, grads);
        const acc = (net ? net.correct : ws.correct) / count;
        iter++;
        examples += count;
        const t = now();
        log.push(l, acc, epochOf(), t - t0, t);
        const why = lossDivergence(l);
        if (why !== null) return diverged(why);
        let finite: boolean;
        if (fastStep) {
          finite = net!.stepHeavyBall(cfg.lr, cfg.momentum);
        } else {
          finite = Number.isFinite(opt.step(plist, glist));
          net?.clearGrads();
        }
        if (!finite) return diverged('parameters became non-finite after the update');
        sinceLoss += l;
        sinceAcc += acc;
        sinceN++;

        if (iter % cfg.evalEvery === 0 || iter === totalIters) {
          flush();
          let trainLoss = sinceLoss / sinceN;
          let trainAcc = sinceAcc / sinceN;
          if (trainEval) {
            const n = trainEval.labels.length;
            const tp = startEvalPass(n);
            while (!evalChunk(tp, params, act, loss, trainEval.images, trainEval.labels, trainEval.idx, evalWs)) {
              if (now() - lastYield >= YIELD_MS) {
                await hooks.yieldNow();
                lastYield = now();
              }
              if (hooks.shouldStop()) return cancelled();
            }
            trainLoss = tp.lossSum / n;
            trainAcc = tp.correct / n;
          }
          const head = { iter, epoch: epochOf(), examples, trainLoss, trainAcc };
          const evalMessage = (pass: EvalPass): TrainerMessage => ({
            type: 'eval',
            runId,
            point: { ...head, testLoss: pass.lossSum / data.testCount, testAcc: pass.correct / data.testCount, elapsedMs: now() - t0 },
            detail: pass.detail,
          });
          if (net && runner) {
            // Overlapped: snapshot the weights into a free slot; the thread evaluates while training goes on.
            const slot = nextSlot;
            nextSlot = (nextSlot + 1) % slotBusy.length;
            if (slotBusy[slot]) await slotBusy[slot];
            net.snapshot(slot);
            const job = net.evalJob(slot, act, loss);
            const done = runner.run(job).then(() => evalMessage(fastPass(net, slot)));
            slotBusy[slot] = done.catch(() => undefined);
            out.later(done);
          } else {
            const pass = await evalHere();
            if (!pass) return cancelled();
            out.emit(evalMessage(pass));
            out.emit(weightsMessage(runId, iter, params));
            if (patience !== null && bestParams) {
              // The analysis panel's rule (src-core/analysis), on the test loss with tolerance 0: improvement = a lower loss.
              testLosses.push(pass.lossSum / data.testCount);
              const rule = earlyStop(testLosses, { patience, tolerance: 0 });
              if (rule.keptIndex === testLosses.length - 1) {
                bestIter = iter;
                bestTrain = { trainLoss: head.trainLoss, trainAcc: head.trainAcc };
                plist.forEach((p, k) => bestParams[k].set(p));
              } else if (rule.stopIndex !== null && rule.keptIndex >= 0) {
                // Restore the best weights and evaluate them once more, so the last point shows the restored model
                // (its train numbers are the best evaluation's running means).
                plist.forEach((p, k) => p.set(bestParams[k]));
                const again = await evalHere();
                if (!again) return cancelled();
                out.emit({
                  type: 'eval',
                  runId,
                  point: { ...head, ...bestTrain, testLoss: again.lossSum / data.testCount, testAcc: again.correct / data.testCount, elapsedMs: now() - t0 },
                  detail: again.detail,
                });
                out.emit(weightsMessage(runId, iter, params));
                flush();
                return end('finished', `stopped early at iteration ${iter} (patience ${patience}); restored the weights of iteration ${bestIter}`);
              }
            }
          }
          if (runner) out.emit(weightsMessage(runId, iter, params));
          sinceLoss = 0;
          sinceAcc = 0;
          sinceN = 0;
        }
        if (now() - lastYield >= YIELD_MS) {
          await hooks.yieldNow();
          lastYield = now();
        }
      }
    }
    flush();
    return end('finished', `finished ${iter} iterations`);
  } catch (err) {
    const message = err instanceof LabError || err instanceof Error ? err.message : String(err);
    return end('failed', message);
  }
}

/** The training (sub)set as an evaluation set: CSR images, labels and the identity index, in subset order. */
function compactTrainSet(data: TrainData, subset: Int32Array | null, inputs: number): { images: SparseImages; labels: Uint8Array; idx: Int32Array } {
  if (subset === null) {
    return { images: sparseOf(data.trainImages, data.trainCount, inputs), labels: data.trainLabels, idx: Int32Array.from({ length: data.trainCount }, (_, i) => i) };
  }
  const images = new Uint8Array(subset.length * inputs);
  const labels = new Uint8Array(subset.length);
  subset.forEach((s, k) => {
    images.set(data.trainImages.subarray(s * inputs, (s + 1) * inputs), k * inputs);
    labels[k] = data.trainLabels[s];
  });
  return { images: encodeSparse(images, subset.length, inputs), labels, idx: Int32Array.from({ length: subset.length }, (_, i) => i) };
}

/** The 'weights' message: params.w1 (inputs x hidden, input-major) copied out and transposed to hidden x inputs, unit-major. */
export function weightsMessage(runId: string, iter: number, params: MlpParams): TrainerMessage {
  const { inputs, hidden } = params;
  const src = params.w1;
  const w1 = new Float32Array(hidden * inputs);
  for (let i = 0; i < inputs; i++) {
    const row = i * hidden;
    for (let j = 0; j < hidden; j++) w1[j * inputs + i] = src[row + j];
  }
  return { type: 'weights', runId, iter, hidden, inputs, w1 };
}

/** A full test pass whose results an evaluation (here or on a thread) wrote into the slot. */
function fastPass(net: FastNet, slot: number): EvalPass {
  const { lossSum, correct, ...detail } = net.evalResult(slot);
  return { detail, lossSum, correct, done: net.testCount };
}
