import { LabError } from '../contracts/lab-error';
import { TrainConfigSchema, type TrainConfig } from '../contracts/train-config';
import { NUM_CLASSES, type EndStatus, type TrainerMessage } from '../contracts/train-protocol';
import { parseOrThrow } from '../contracts/validate';
import { classBalancedSubset } from '../data/subset';
import { sparseOf } from '../data/sparse-images';
import { actCode } from '../mlp/activation';
import { lossCode } from '../mlp/loss';
import { createParams, initPyTorch, paramList } from '../mlp/params';
import { lossGradSparse } from '../mlp/sparse-backward';
import { createWorkspace } from '../mlp/workspace';
import { rngFor, STREAMS } from '../rng';
import { BatchLog } from './batch-log';
import { lossDivergence } from './divergence';
import { evalChunk, startEvalPass } from './evaluate';
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
export async function runTraining(runId: string, config: TrainConfig, data: TrainData, hooks: TrainHooks): Promise<EndStatus> {
  const now = hooks.now ? () => hooks.now!() : () => Date.now();
  const t0 = now();
  let iter = 0;
  let ended = false;
  const end = (status: EndStatus, message: string): EndStatus => {
    if (!ended) {
      ended = true;
      hooks.emit({ type: 'end', runId, status, iter, elapsedMs: now() - t0, message });
    }
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
    const train = sparseOf(data.trainImages, data.trainCount, inputs);
    const test = sparseOf(data.testImages, data.testCount, inputs);
    const testIdx = Int32Array.from({ length: data.testCount }, (_, i) => i);

    // Model, gradients, optimizer and scratch: allocated once for the whole run.
    const batch = Math.min(cfg.batchSize, trainSize);
    const itersPerEpoch = Math.ceil(trainSize / batch);
    const totalIters = itersPerEpoch * cfg.epochs;
    const params = createParams(inputs, cfg.hidden, NUM_CLASSES);
    initPyTorch(params, rngFor(cfg.seed, STREAMS.init));
    const grads = createParams(inputs, cfg.hidden, NUM_CLASSES);
    const plist = paramList(params);
    const glist = paramList(grads);
    const opt = createOptimizer(cfg, plist);
    const ws = createWorkspace(batch, cfg.hidden, NUM_CLASSES);
    const evalWs = createWorkspace(Math.min(EVAL_CHUNK, data.testCount), cfg.hidden, NUM_CLASSES);
    const orderRng = rngFor(cfg.seed, STREAMS.order);

    hooks.emit({ type: 'started', runId, trainSize, testSize: data.testCount, itersPerEpoch, totalIters, subsetIndices: subset });

    const log = new BatchLog(runId, hooks.emit.bind(hooks), BATCH_EMIT_MS, t0);
    let examples = 0;
    let sinceLoss = 0;
    let sinceAcc = 0;
    let sinceN = 0;
    let lastYield = t0;
    const epochOf = () => examples / trainSize;
    const flush = () => log.flush(epochOf(), now() - t0, now());
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
        const l = lossGradSparse(params, act, loss, train, data.trainLabels, order, from, count, ws, grads);
        const acc = ws.correct / count;
        iter++;
        examples += count;
        const t = now();
        log.push(l, acc, epochOf(), t - t0, t);
        const why = lossDivergence(l);
        if (why !== null) return diverged(why);
        const probe = opt.step(plist, glist);
        if (!Number.isFinite(probe)) return diverged('parameters became non-finite after the update');
        sinceLoss += l;
        sinceAcc += acc;
        sinceN++;

        if (iter % cfg.evalEvery === 0 || iter === totalIters) {
          flush();
          const pass = startEvalPass(data.testCount);
          while (!evalChunk(pass, params, act, loss, test, data.testLabels, testIdx, evalWs)) {
            if (now() - lastYield >= YIELD_MS) {
              await hooks.yieldNow();
              lastYield = now();
            }
            if (hooks.shouldStop()) return cancelled();
          }
          hooks.emit({
            type: 'eval',
            runId,
            point: {
              iter,
              epoch: epochOf(),
              examples,
              trainLoss: sinceLoss / sinceN,
              trainAcc: sinceAcc / sinceN,
              testLoss: pass.lossSum / data.testCount,
              testAcc: pass.correct / data.testCount,
              elapsedMs: now() - t0,
            },
            detail: pass.detail,
          });
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
