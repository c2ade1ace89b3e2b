import { LabError } from '../contracts/lab-error';
import { earlyStopProblem, TrainConfigSchema, type TrainConfig } from '../contracts/train-config';
import { NUM_CLASSES, type EvalPoint } from '../contracts/train-protocol';
import { parseOrThrow } from '../contracts/validate';
import { chanceLevel } from '../analysis/collapse';
import { classBalancedSubset } from '../data/subset';
import { encodeSparse, encodeSparseSubset, sparseOf, type SparseImages } from '../data/sparse-images';
import { actCode, type ActCode } from '../mlp/activation';
import { lossCode, type LossCode } from '../mlp/loss';
import { createParams, initPyTorch, paramList, type MlpParams } from '../mlp/params';
import { createWorkspace, type Workspace } from '../mlp/workspace';
import { FastNet } from '../mlp/wasm/fast-net';
import type { NetSource } from '../mlp/wasm/net-keeper';
import { rngFor, STREAMS, type Rng } from '../rng';
import type { SharpnessSetup } from './eval-runner';
import { createOptimizer } from './optim/create';
import type { Optimizer } from './optim/optimizer';
import { FlipStats } from './sharpness/flip-stats';
import { sharpnessData, sharpnessSet, type SharpnessSet } from './sharpness/sharpness-set';
import { checkTrainData, type TrainData } from './train-data';
import { validationSplit } from './validation-split';

// Step one of a run: the config checked, the data split, and everything the
// run allocates once (model, gradients, optimizer, kernels and their memory,
// scratch, statistics), from the seed's own random streams.

/** Test images per evaluation chunk (a yield and a stop check between chunks). */
export const EVAL_CHUNK = 256;

/** A training-file image set as an evaluation set: CSR images, labels, and the identity index. */
export interface CompactSet {
  images: SparseImages;
  labels: Uint8Array;
  idx: Int32Array;
}

export interface RunSetup {
  cfg: TrainConfig;
  act: ActCode;
  loss: LossCode;
  inputs: number;
  /** The training subset (null: the whole training file). */
  subset: Int32Array | null;
  /** Training image numbers, shuffled in place each epoch. */
  order: Int32Array;
  trainSize: number;
  batch: number;
  itersPerEpoch: number;
  totalIters: number;
  /** Validation images (held out of training) and their labels. */
  valIdx: Int32Array;
  valLabels: Uint8Array;
  /** The fast path's network and memory; null: the TypeScript kernels on the CSR sets below. */
  net: FastNet | null;
  train: SparseImages | null;
  test: SparseImages | null;
  testIdx: Int32Array;
  /** trainLossMode 'full': the training (sub)set as an evaluation set. */
  trainEval: CompactSet | null;
  /** The reference path's validation set (the fast path keeps it in its memory). */
  valEval: CompactSet | null;
  params: MlpParams;
  grads: MlpParams;
  plist: Float32Array[];
  glist: Float32Array[];
  /** Heavy-ball and plain SGD step inside the fast kernels (bit for bit as HeavyBall); others step in TypeScript. */
  fastStep: boolean;
  opt: Optimizer;
  ws: Workspace;
  evalWs: Workspace;
  orderRng: Rng;
  flips: FlipStats;
  /** Sharpness (opt-in): its set and what a meter needs; null when off. */
  sharpSet: SharpnessSet | null;
  sharpness: SharpnessSetup | null;
  /** Which accuracy the collapse check reads, and its chance level. */
  chance: { acc: (p: EvalPoint) => number; chance: number; what: string };
}

/**
 * Checks config and data and sets the run up; throws LabError('invalid-input') or RangeError on bad input. `nets`
 * builds the fast path's net (default: a new one; a trainer process serving several runs passes a NetKeeper's).
 */
export function setUpRun(
  config: TrainConfig,
  data: TrainData,
  kernels: 'fast' | 'reference',
  nets: NetSource = (o) => FastNet.create(o),
): RunSetup {
  const cfg = parseOrThrow(TrainConfigSchema, config, 'config');
  const esProblem = earlyStopProblem(cfg);
  if (esProblem) throw new LabError('invalid-input', esProblem);
  checkTrainData(data);
  const inputs = data.rows * data.cols;
  const act = actCode(cfg.activation);
  const loss = lossCode(cfg.loss);

  // Data: the (sub)set of training indices, and the nonzero-pixel lists (cached per dataset).
  const subset =
    cfg.perClass === null
      ? null
      : classBalancedSubset(data.trainLabels, cfg.perClass, rngFor(cfg.seed, STREAMS.subset));
  // The validation set: training images the run does not train on, from the seed's own stream (validation-split.ts).
  const split = validationSplit(data.trainLabels, cfg.validation, subset, rngFor(cfg.seed, STREAMS.validation));
  const valIdx = split.validation;
  const V = valIdx.length;
  const valLabels = Uint8Array.from(valIdx, (i) => data.trainLabels[i]);
  const order = split.train.slice();
  const trainSize = order.length;
  const chance =
    V > 0
      ? { acc: (p: EvalPoint) => p.valAcc ?? NaN, chance: chanceLevel(valLabels), what: 'validation' }
      : { acc: (p: EvalPoint) => p.testAcc, chance: chanceLevel(data.testLabels), what: 'test' };

  // Model, gradients, optimizer and scratch: allocated once for the whole run.
  const batch = Math.min(cfg.batchSize, trainSize);
  const itersPerEpoch = Math.ceil(trainSize / batch);
  const totalIters = itersPerEpoch * cfg.epochs;
  // The fast path keeps parameters, gradients and the nonzero pixels of the images it uses (a subset run: only
  // its own) in one WebAssembly memory; null: the TypeScript kernels on CSR lists built here.
  const net =
    kernels === 'reference'
      ? null
      : nets({
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
  const train = net
    ? null
    : subset
      ? encodeSparseSubset(data.trainImages, data.trainCount, inputs, subset)
      : sparseOf(data.trainImages, data.trainCount, inputs);
  const test = net ? null : sparseOf(data.testImages, data.testCount, inputs);
  const testIdx = Int32Array.from({ length: data.testCount }, (_, i) => i);
  const trainEval =
    cfg.trainLossMode === 'full' ? compactSet(data, subset === null && V === 0 ? null : split.train, inputs) : null;
  const valEval = !net && V > 0 ? compactSet(data, valIdx, inputs) : null;
  const params = net ? net.params : createParams(inputs, cfg.hidden, NUM_CLASSES);
  initPyTorch(params, rngFor(cfg.seed, STREAMS.init));
  const grads = net ? net.grads : createParams(inputs, cfg.hidden, NUM_CLASSES);
  const plist = paramList(params);
  const glist = paramList(grads);
  const fastStep = net !== null && cfg.optimizer === 'heavy-ball';
  const opt = createOptimizer(cfg, plist);
  const ws = createWorkspace(batch, cfg.hidden, NUM_CLASSES);
  const evalWs = createWorkspace(Math.min(EVAL_CHUNK, data.testCount), cfg.hidden, NUM_CLASSES);
  const orderRng = rngFor(cfg.seed, STREAMS.order);

  // Sign flips and velocity ratios per layer (always on: a fixed sample of 64 parameters per layer, read each step).
  const flips = new FlipStats({ inputs, hidden: cfg.hidden, outputs: NUM_CLASSES }, cfg.lr, { seed: cfg.seed });
  // Sharpness (opt-in): on the sharpness set, each estimate warm-started from the previous one's eigenvector.
  const sharpSet = cfg.sharpnessEvery === null ? null : sharpnessSet(data.trainCount, cfg.sharpnessBatch, subset);
  const sharpness: SharpnessSetup | null = sharpSet
    ? {
        data: sharpnessData(data.trainImages, data.trainLabels, inputs, sharpSet),
        act,
        loss,
        seed: cfg.seed,
        inputs,
        hidden: cfg.hidden,
      }
    : null;

  return {
    cfg,
    act,
    loss,
    inputs,
    subset,
    order,
    trainSize,
    batch,
    itersPerEpoch,
    totalIters,
    valIdx,
    valLabels,
    net,
    train,
    test,
    testIdx,
    trainEval,
    valEval,
    params,
    grads,
    plist,
    glist,
    fastStep,
    opt,
    ws,
    evalWs,
    orderRng,
    flips,
    sharpSet,
    sharpness,
    chance,
  };
}

/** Training-file images (all, or the given ones, in that order) as an evaluation set: CSR, labels, identity index. */
function compactSet(data: TrainData, subset: Int32Array | null, inputs: number): CompactSet {
  if (subset === null) {
    return {
      images: sparseOf(data.trainImages, data.trainCount, inputs),
      labels: data.trainLabels,
      idx: Int32Array.from({ length: data.trainCount }, (_, i) => i),
    };
  }
  const images = new Uint8Array(subset.length * inputs);
  const labels = new Uint8Array(subset.length);
  subset.forEach((s, k) => {
    images.set(data.trainImages.subarray(s * inputs, (s + 1) * inputs), k * inputs);
    labels[k] = data.trainLabels[s];
  });
  return {
    images: encodeSparse(images, subset.length, inputs),
    labels,
    idx: Int32Array.from({ length: subset.length }, (_, i) => i),
  };
}
