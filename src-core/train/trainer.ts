import { LabError } from '../contracts/lab-error';
import { earlyStopProblem, TrainConfigSchema, type TrainConfig } from '../contracts/train-config';
import { NUM_CLASSES, type EndStatus, type EvalPoint, type LayerPoint, type TrainerMessage } from '../contracts/train-protocol';
import { parseOrThrow } from '../contracts/validate';
import { classBalancedSubset } from '../data/subset';
import { encodeSparse, encodeSparseSubset, sparseOf, type SparseImages } from '../data/sparse-images';
import { actCode } from '../mlp/activation';
import { lossCode } from '../mlp/loss';
import { createParams, initPyTorch, paramList, type MlpParams } from '../mlp/params';
import { lossGradSparse } from '../mlp/sparse-backward';
import { createWorkspace } from '../mlp/workspace';
import { FastNet, type EvalRunner } from '../mlp/wasm/fast-net';
import { rngFor, STREAMS } from '../rng';
import { BatchLog } from './batch-log';
import { lossDivergence } from './divergence';
import { evalChunk, startEvalPass, type EvalPass } from './evaluate';
import { OrderedEmitter } from './ordered-emit';
import { stopRule } from '../analysis/stopping-rule';
import { chanceLevel, collapseIndex, collapseMessage } from '../analysis/collapse';
import { validationSplit } from './validation-split';
import { createOptimizer } from './optim/create';
import { checkTrainData, type TrainData } from './train-data';
import { FlipStats } from './sharpness/flip-stats';
import { SharpnessMeter } from './sharpness/meter';
import { describeSharpnessSet, sharpnessData, sharpnessSet } from './sharpness/sharpness-set';

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
  // Every evaluation point as it goes out (in order), for the best point and the collapse check at the end.
  const points: EvalPoint[] = [];
  const out = new OrderedEmitter((m) => {
    if (m.type === 'eval') points.push(m.point);
    hooks.emit(m);
  });
  /** Set once the data is known: which accuracy the collapse check reads, and its chance level. */
  let chanceOf: { acc: (p: EvalPoint) => number; chance: number; what: string } | null = null;
  const end = async (status: EndStatus, message: string, early: { stoppedAt: number; bestIter: number } | null = null): Promise<EndStatus> => {
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
    // The best point by the lab's one rule on the validation loss (src-core/analysis/stopping-rule.ts).
    const withVal = points.length > 0 && points.every((p) => p.valLoss !== undefined);
    const bestIter = early ? early.bestIter : withVal ? (points[stopRule(points.map((p) => p.valLoss!), null).bestIndex]?.iter ?? null) : null;
    let collapsedAt: number | null = null;
    if (status === 'finished' && chanceOf) {
      const c = chanceOf;
      const at = collapseIndex(points.map(c.acc), c.chance);
      if (at !== null) {
        collapsedAt = points[at].iter;
        status = 'collapsed';
        let peak: { acc: number; iter: number } | null = null;
        for (const p of points.slice(0, at)) if (Number.isFinite(c.acc(p)) && (!peak || c.acc(p) > peak.acc)) peak = { acc: c.acc(p), iter: p.iter };
        message = `${collapseMessage(collapsedAt, c.acc(points[points.length - 1]), c.chance, c.what, peak)}; ${message}`;
      }
    }
    hooks.emit({ type: 'end', runId, status, iter, elapsedMs: now() - t0, message, stoppedAt: early ? early.stoppedAt : null, bestIter, collapsedAt });
    return status;
  };
  try {
    const cfg = parseOrThrow(TrainConfigSchema, config, 'config');
    const esProblem = earlyStopProblem(cfg);
    if (esProblem) throw new LabError('invalid-input', esProblem);
    checkTrainData(data);
    const inputs = data.rows * data.cols;
    const act = actCode(cfg.activation);
    const loss = lossCode(cfg.loss);

    // Data: the (sub)set of training indices, and the nonzero-pixel lists (cached per dataset).
    const subset = cfg.perClass === null ? null : classBalancedSubset(data.trainLabels, cfg.perClass, rngFor(cfg.seed, STREAMS.subset));
    // The validation set: training images the run does not train on, from the seed's own stream (validation-split.ts).
    const split = validationSplit(data.trainLabels, cfg.validation, subset, rngFor(cfg.seed, STREAMS.validation));
    const valIdx = split.validation;
    const V = valIdx.length;
    const valLabels = Uint8Array.from(valIdx, (i) => data.trainLabels[i]);
    const order = split.train.slice();
    const trainSize = order.length;
    chanceOf = V > 0 ? { acc: (p) => p.valAcc ?? NaN, chance: chanceLevel(valLabels), what: 'validation' } : { acc: (p) => p.testAcc, chance: chanceLevel(data.testLabels), what: 'test' };

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
            validation: V > 0 ? { images: valIdx, labels: valLabels } : null,
            test: { images: data.testImages, count: data.testCount },
            testLabels: data.testLabels,
            evalSlots: 2,
            evalChunk: EVAL_CHUNK,
          });
    const train: SparseImages | null = net ? null : subset ? encodeSparseSubset(data.trainImages, data.trainCount, inputs, subset) : sparseOf(data.trainImages, data.trainCount, inputs);
    const test: SparseImages | null = net ? null : sparseOf(data.testImages, data.testCount, inputs);
    const testIdx = Int32Array.from({ length: data.testCount }, (_, i) => i);
    // trainLossMode 'full': the training (sub)set as a compact evaluation set (a pass with the weights of the moment).
    const trainEval = cfg.trainLossMode === 'full' ? compactSet(data, subset === null && V === 0 ? null : split.train, inputs) : null;
    // The reference path's validation set (the fast path keeps it in its memory).
    const valEval = !net && V > 0 ? compactSet(data, valIdx, inputs) : null;
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
    // Early stopping needs each evaluation's validation loss before training goes on: evaluations stay on this thread.
    const patience = cfg.earlyStop;
    runner = net && hooks.evalThread && patience === null ? hooks.evalThread(net) : null;
    const valLosses: number[] = [];
    let bestIter = 0;
    let bestTrain = { trainLoss: NaN, trainAcc: NaN };
    const bestParams = patience === null ? null : plist.map((p) => new Float32Array(p.length));
    const slotBusy: (Promise<unknown> | null)[] = [null, null];
    let nextSlot = 0;

    // Sign flips and velocity ratios per layer (always on: a fixed sample of 64 parameters per layer, read each step).
    const flips = new FlipStats({ inputs, hidden: cfg.hidden, outputs: NUM_CLASSES }, cfg.lr, { seed: cfg.seed });
    // Sharpness (opt-in): on the sharpness set, warm-started from the previous estimate's eigenvector.
    const sharpSet = cfg.sharpnessEvery === null ? null : sharpnessSet(data.trainCount, cfg.sharpnessBatch, subset);
    const meter = sharpSet ? new SharpnessMeter(sharpnessData(data.trainImages, data.trainLabels, inputs, sharpSet), act, loss, { seed: cfg.seed }) : null;
    let evalCount = 0;
    /** λ_max (and λ_min when negative) at the weights of this moment: read synchronously, so they are the weights the evaluation snapshots. */
    const sharpnessNow = (): Pick<EvalPoint, 'sharpness' | 'sharpnessMin' | 'hvps'> => {
      const e = meter!.measure(params);
      return { sharpness: e.sharpness, sharpnessMin: e.sharpnessMin, hvps: e.hvps };
    };

    out.emit({
      type: 'started', runId, trainSize, testSize: data.testCount, itersPerEpoch, totalIters, subsetIndices: subset, validationSize: V,
      sharpnessSet: sharpSet ? { source: sharpSet.source, count: sharpSet.indices.length, description: describeSharpnessSet(sharpSet) } : null,
    });

    const log = new BatchLog(runId, (m) => out.emit(m), BATCH_EMIT_MS, t0);
    let examples = 0;
    let sinceLoss = 0;
    let sinceAcc = 0;
    let sinceN = 0;
    let lastYield = t0;
    const epochOf = () => examples / trainSize;
    const flush = () => log.flush(epochOf(), now() - t0, now());
    /** Full test and validation passes on this thread with the current weights; null when a cancel arrived meanwhile. */
    const evalHere = async (): Promise<{ test: EvalPass; val: ValPass | null } | null> => {
      if (net) {
        net.snapshot(0);
        for (const job of [net.evalJob(0, act, loss), net.valJob(0, act, loss)]) {
          if (!job) continue;
          for (let from = 0; from < job.count; from += job.chunk) {
            net.evalRows(job, from, Math.min(job.chunk, job.count - from));
            if (now() - lastYield >= YIELD_MS) {
              await hooks.yieldNow();
              lastYield = now();
            }
            if (hooks.shouldStop()) return null;
          }
        }
        return { test: fastPass(net, 0), val: net.valResult(0) };
      }
      const passes: EvalPass[] = [];
      for (const [images, labels, idx] of [[test!, data.testLabels, testIdx], ...(valEval ? [[valEval.images, valEval.labels, valEval.idx] as const] : [])] as const) {
        const pass = startEvalPass(labels.length);
        while (!evalChunk(pass, params, act, loss, images, labels, idx, evalWs)) {
          if (now() - lastYield >= YIELD_MS) {
            await hooks.yieldNow();
            lastYield = now();
          }
          if (hooks.shouldStop()) return null;
        }
        passes.push(pass);
      }
      return { test: passes[0], val: passes[1] ?? null };
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
        // Before the step (the fast path's step clears the gradients); moved() after it reads the step taken.
        flips.gradients(glist, plist);
        let finite: boolean;
        if (fastStep) {
          finite = net!.stepHeavyBall(cfg.lr, cfg.momentum);
        } else {
          finite = Number.isFinite(opt.step(plist, glist));
          net?.clearGrads();
        }
        if (!finite) return diverged('parameters became non-finite after the update');
        flips.moved(plist);
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
          evalCount++;
          const layers: LayerPoint[] = flips.take().map((f) => ({ layer: f.layer, flipFraction: f.flipFraction, velocityRatio: f.velocityRatio }));
          const sharp = meter && (evalCount % cfg.sharpnessEvery! === 0 || iter === totalIters) ? sharpnessNow() : {};
          const valFields = (val: ValPass | null) => (val ? { valLoss: val.lossSum / V, valAcc: val.correct / V } : {});
          const evalMessage = (pass: EvalPass, val: ValPass | null): TrainerMessage => ({
            type: 'eval',
            runId,
            point: { ...head, testLoss: pass.lossSum / data.testCount, testAcc: pass.correct / data.testCount, ...valFields(val), elapsedMs: now() - t0, ...sharp, layers },
            detail: pass.detail,
          });
          if (net && runner) {
            // Overlapped: snapshot the weights into a free slot; the thread evaluates the test set, then the
            // validation set, while training goes on.
            const slot = nextSlot;
            nextSlot = (nextSlot + 1) % slotBusy.length;
            if (slotBusy[slot]) await slotBusy[slot];
            net.snapshot(slot);
            const job = net.evalJob(slot, act, loss);
            const vjob = net.valJob(slot, act, loss);
            const done = runner.run(vjob ? [job, vjob] : job).then(() => evalMessage(fastPass(net, slot), net.valResult(slot)));
            slotBusy[slot] = done.catch(() => undefined);
            out.later(done);
          } else {
            const passes = await evalHere();
            if (!passes) return cancelled();
            out.emit(evalMessage(passes.test, passes.val));
            out.emit(weightsMessage(runId, iter, params));
            if (patience !== null && bestParams && passes.val) {
              // The lab's one rule (src-core/analysis/stopping-rule.ts), as the analysis panel applies it: on the
              // validation loss, improvement = a lower one. The test set is only reported.
              valLosses.push(passes.val.lossSum / V);
              const rule = stopRule(valLosses, patience);
              if (rule.keptIndex === valLosses.length - 1) {
                bestIter = iter;
                bestTrain = { trainLoss: head.trainLoss, trainAcc: head.trainAcc };
                plist.forEach((p, k) => bestParams[k].set(p));
              } else if (rule.stopIndex !== null && rule.keptIndex >= 0) {
                // Restore the best weights and evaluate them once more, so the last point shows the restored model
                // (its train numbers are the best evaluation's running means).
                plist.forEach((p, k) => p.set(bestParams[k]));
                const again = await evalHere();
                if (!again) return cancelled();
                // The final point: sharpness of the restored weights whenever sharpness is on.
                const sharpAgain = meter ? sharpnessNow() : {};
                out.emit({
                  type: 'eval',
                  runId,
                  point: { ...head, ...bestTrain, testLoss: again.test.lossSum / data.testCount, testAcc: again.test.correct / data.testCount, ...valFields(again.val), elapsedMs: now() - t0, ...sharpAgain },
                  detail: again.test.detail,
                });
                out.emit(weightsMessage(runId, iter, params));
                flush();
                return end('finished', `stopped early at iteration ${iter} (patience ${patience}, on the validation loss); restored the weights of iteration ${bestIter}`, { stoppedAt: iter, bestIter });
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

/** A validation pass's sums (fast path: read out of its slot). */
type ValPass = { lossSum: number; correct: number };

/** Training-file images (all, or the given ones) as an evaluation set: CSR images, labels and the identity index, in the given order. */
function compactSet(data: TrainData, subset: Int32Array | null, inputs: number): { images: SparseImages; labels: Uint8Array; idx: Int32Array } {
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
  return { type: 'weights', runId, iter, hidden, inputs, w1, b1: Float32Array.from(params.b1), w2: Float32Array.from(params.w2), b2: Float32Array.from(params.b2) };
}

/** A full test pass whose results an evaluation (here or on a thread) wrote into the slot. */
function fastPass(net: FastNet, slot: number): EvalPass {
  const { lossSum, correct, ...detail } = net.evalResult(slot);
  return { detail, lossSum, correct, done: net.testCount };
}
