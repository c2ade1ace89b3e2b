import {
  DEFAULT_TRAIN_CONFIG,
  earlyStopProblem,
  OPTIMIZERS,
  TrainConfigSchema,
  type TrainConfig,
} from '../../src-core/contracts/train-config';
import type { EvalPoint, TrainerMessage } from '../../src-core/contracts/train-protocol';
import { parseOrThrow } from '../../src-core/contracts/validate';
import { sessionNameFlag } from '../../src-core/contracts/text-rules';
import { openCliLab, NOT_SAVED_EXIT, recordJson, savedCounts, settleRecording } from './cli-db';
import { numberFlag, type CliIo } from './cli-io';
import { optimizerOption, parseCommand, SHARED_OPTIONS, type CommandSpec, type OptionSpec } from './cli-options';
import { datasetFilesIn } from './dataset-dir';
import { resolve } from 'node:path';
import { LabError } from '../../src-core/contracts/lab-error';
import { autoEvalEveryFor } from '../../src-core/contracts/eval-interval';
import { EtaEstimator, progressLine, resultLine } from './train-progress';
import { fmt, sharpnessSentence, stabilityThreshold } from '../../src-core/train/sharpness/sentences';
import { flipSeriesSentence } from '../../src-core/train/sharpness/flip-series';

const SPEC = {
  usage: ['momentum-lab train [options]'],
  about: `Trains a one-hidden-layer MLP (784 -> HL -> 10) in a worker process and
prints progress to stderr.`,
  options: {
    hidden: { type: 'string', arg: 'N', help: 'hidden units HL', default: '64' },
    batch: { type: 'string', arg: 'N', help: 'batch size BS', default: '32' },
    lr: { type: 'string', arg: 'X', help: 'learning rate LR', default: '0.1' },
    epochs: { type: 'string', arg: 'N', help: 'passes over the training set', default: '4' },
    momentum: {
      type: 'string',
      arg: 'D',
      help: 'momentum factor d, v <- d*v - lr*grad, w <- w + v',
      default: '0 = plain SGD',
    },
    optimizer: optimizerOption(OPTIMIZERS),
    activation: { type: 'string', arg: 'NAME', help: 'relu | sigmoid | tanh', default: 'relu' },
    loss: { type: 'string', arg: 'NAME', help: 'ce (softmax cross-entropy) | mse', default: 'ce' },
    seed: { type: 'string', arg: 'S', help: 'seed of init, shuffling and subset sampling', default: '1' },
    'per-class': {
      type: 'string',
      arg: 'N',
      help: 'train on N images per class, class-balanced',
      default: 'all images',
    },
    'eval-every': {
      type: 'string',
      arg: 'K',
      help: "evaluate on the full test set every K iterations, or auto: about 40 evaluations a run, at least one an epoch, rounded to 1-2-5 (200 for MNIST's defaults)",
      default: 'auto',
    },
    'train-loss': {
      type: 'string',
      arg: 'MODE',
      help: 'train loss at each evaluation: running (mean of the mini-batches since the last one) | full (a pass over the training set)',
      default: 'running',
    },
    val: {
      type: 'string',
      arg: 'N',
      help: 'validation images carved from the training set, N/10 per class, never trained on; early stopping and the best point are chosen on them, the test set is only reported (a multiple of 10; 0 = none)',
      default: '5000',
    },
    'early-stop': {
      type: 'string',
      arg: 'P',
      help: 'stop when the validation loss has not improved for P evaluations, restoring the best weights (needs --val > 0)',
      default: 'off',
    },
    'sharpness-every': {
      type: 'string',
      arg: 'K',
      help: 'measure sharpness (the top eigenvalue of the training-loss Hessian) at every K-th evaluation and at the final one',
      default: 'off',
    },
    'sharpness-batch': {
      type: 'string',
      arg: 'N',
      help: "the sharpness set: the first N training images in file order (with --per-class: the subset's first N)",
      default: '1000',
    },
    data: SHARED_OPTIONS.data,
    db: {
      type: 'string',
      arg: 'PATH',
      help: 'record the run into this session database (created if missing; see "momentum-lab sessions")',
    },
    session: SHARED_OPTIONS.session,
    json: { type: 'boolean', help: 'print one JSON object on stdout at the end' },
    quiet: SHARED_OPTIONS.quiet,
  },
  after: `Status: finished, or collapsed when the accuracy ended at chance (the last 3
evaluations within 2 pp of chance; see docs/STUDIES.md), diverged, failed,
cancelled. --json adds per curve point valLoss/valAcc (null without a
validation set) and at the top level stoppedAt (early stopping's iteration or
null), bestIter (the lowest validation loss, or the restored weights'),
collapsedAt and validationSize. Every curve point has layers (per layer fc1, fc2:
flipFraction, the share of sampled gradients that changed sign from one step
to the next, and velocityRatio, the median step over a plain gradient step,
since the previous evaluation) and sharpness, sharpnessMin (the smallest
eigenvalue estimate when negative) and hvps (Hessian-vector products used):
null where sharpness was not measured. sharpnessSet says which images it used.

Exit codes: 0 finished, 1 the run failed, diverged or collapsed, 2 bad arguments (or a
--db that cannot be used: refused before training), 3 trained but not
(completely) saved into --db (the reason is printed; --json has "saved": false
and the counts), 130 cancelled (Ctrl-C).`,
} satisfies CommandSpec<Record<string, OptionSpec>>;

/** The command for the dispatcher (main.ts): its runner and its option table, the parser's and the help's. */
export const command = { run: trainCommand, spec: SPEC };

/** CLI flags -> a validated TrainConfig (the same schema as the form and the IPC layer). */
export function configFromFlags(argv: string[]): {
  config: TrainConfig;
  evalAuto: boolean;
  data?: string;
  db?: string;
  session?: string;
  json: boolean;
  quiet: boolean;
} {
  const { values: v } = parseCommand(argv, SPEC);
  const pick = <T>(value: T | undefined, fallback: T) => (value === undefined ? fallback : value);
  // --eval-every auto (the default) is resolved once the dataset's size is known (trainCommand).
  const evalAuto = v['eval-every'] === undefined || v['eval-every'].trim().toLowerCase() === 'auto';
  const raw = {
    hidden: pick(numberFlag('hidden', v.hidden), DEFAULT_TRAIN_CONFIG.hidden),
    batchSize: pick(numberFlag('batch', v.batch), DEFAULT_TRAIN_CONFIG.batchSize),
    lr: pick(numberFlag('lr', v.lr), DEFAULT_TRAIN_CONFIG.lr),
    epochs: pick(numberFlag('epochs', v.epochs), DEFAULT_TRAIN_CONFIG.epochs),
    momentum: pick(numberFlag('momentum', v.momentum), DEFAULT_TRAIN_CONFIG.momentum),
    optimizer: pick(v.optimizer, DEFAULT_TRAIN_CONFIG.optimizer),
    activation: pick(v.activation, DEFAULT_TRAIN_CONFIG.activation),
    loss: pick(v.loss, DEFAULT_TRAIN_CONFIG.loss),
    seed: pick(numberFlag('seed', v.seed), DEFAULT_TRAIN_CONFIG.seed),
    evalEvery: evalAuto
      ? DEFAULT_TRAIN_CONFIG.evalEvery
      : pick(numberFlag('eval-every', v['eval-every']), DEFAULT_TRAIN_CONFIG.evalEvery),
    trainLossMode: pick<string>(v['train-loss'], DEFAULT_TRAIN_CONFIG.trainLossMode),
    earlyStop: pick<number | null>(numberFlag('early-stop', v['early-stop']), DEFAULT_TRAIN_CONFIG.earlyStop),
    perClass: pick(numberFlag('per-class', v['per-class']), DEFAULT_TRAIN_CONFIG.perClass),
    validation: pick(numberFlag('val', v.val), DEFAULT_TRAIN_CONFIG.validation),
    sharpnessEvery: pick<number | null>(
      numberFlag('sharpness-every', v['sharpness-every']),
      DEFAULT_TRAIN_CONFIG.sharpnessEvery,
    ),
    sharpnessBatch: pick(numberFlag('sharpness-batch', v['sharpness-batch']), DEFAULT_TRAIN_CONFIG.sharpnessBatch),
  };
  const config = parseOrThrow(TrainConfigSchema, raw, 'train');
  const esProblem = earlyStopProblem(config);
  if (esProblem)
    throw new LabError(
      'invalid-input',
      `train: --early-stop needs --val > 0: early stopping must not choose its stopping point on the test set it reports`,
    );
  if (v['sharpness-batch'] !== undefined && v['sharpness-every'] === undefined)
    throw new LabError('invalid-input', 'train: --sharpness-batch needs --sharpness-every K');
  if (v.session !== undefined && v.db === undefined) throw new LabError('invalid-input', '--session needs --db PATH');
  const session = v.session === undefined ? undefined : sessionNameFlag(v.session); // the app's name rules
  return { config, evalAuto, data: v.data, db: v.db, session, json: v.json ?? false, quiet: v.quiet ?? false };
}

/** The human-readable sharpness lines: the last measurement, the threshold (or why there is none) and the run's sentence. */
export function sharpnessLines(
  curve: readonly EvalPoint[],
  config: TrainConfig,
  set: { description: string } | null,
): string {
  const measured = curve
    .filter((p) => p.sharpness !== undefined)
    .map((p) => ({ iter: p.iter, sharpness: p.sharpness! }));
  const setting = { optimizer: config.optimizer, lr: config.lr, momentum: config.momentum };
  const last = measured.at(-1);
  if (!last) return 'sharpness: not measured (the run ended before its first measurement)\n';
  const t = stabilityThreshold(setting);
  const threshold = t.value === null ? t.reason : `threshold ${t.label} = ${fmt(t.value)}`;
  const on = set ? ` on ${set.description}` : '';
  return `sharpness ${fmt(last.sharpness)} at iteration ${last.iter.toLocaleString('en-US')}${on}; ${threshold}\n${sharpnessSentence(measured, setting)}\n`;
}

/** The human-readable flip line: per layer, the run's sign flips and median step against heavy-ball's quadratic limits. */
export function flipLines(curve: readonly EvalPoint[], config: TrainConfig): string {
  return `flips: ${flipSeriesSentence(curve, { optimizer: config.optimizer, lr: config.lr, momentum: config.momentum })}\n`;
}

/** The dataset in --json: its identity and sizes. */
function datasetJson(d: NonNullable<Extract<TrainerMessage, { type: 'started' }>['dataset']>) {
  return { id: d.id, name: d.name, trainCount: d.trainCount, testCount: d.testCount };
}

async function trainCommand(argv: string[], io: CliIo): Promise<number> {
  const flags = configFromFlags(argv);
  const { data, db, session, json, quiet } = flags;
  const dataset = data ? datasetFilesIn(data) : undefined;
  const t0 = performance.now();
  const lab = openCliLab({ dataset, dbPath: db ? resolve(db) : undefined }, 'nothing was trained');
  if (session !== undefined) lab.store.openOrCreateSession(session);
  const sessionName = lab.store.session(lab.store.currentSessionId()).name;
  // Only the trainer worker reads the dataset (a .gz quadruple is decompressed once, there): the size the automatic
  // evaluation interval needs comes from the labels alone, and the dataset's identity from the worker's 'started'.
  const config: TrainConfig = flags.evalAuto
    ? { ...flags.config, evalEvery: autoEvalEveryFor(flags.config, lab.datasets.trainCount()) }
    : flags.config;

  const curve: EvalPoint[] = [];
  let totalIters = 0;
  let lastPrint = -Infinity; // the first batch message prints at once, then one line a second
  let lastTest: EvalPoint | null = null;
  const eta = new EtaEstimator();
  type Started = Extract<TrainerMessage, { type: 'started' }>;
  let sharpnessSet: Started['sharpnessSet'] = null;
  let info: Started['dataset'] | null = null; // set by 'started': a run that ends without it never began
  const ended = new Promise<Extract<TrainerMessage, { type: 'end' }>>((resolve) => {
    lab.runs.observe((m) => {
      if (m.type === 'started') {
        totalIters = m.totalIters;
        sharpnessSet = m.sharpnessSet ?? null;
        info = m.dataset ?? lab.datasets.info();
      }
      if (m.type === 'eval') {
        curve.push(m.point);
        lastTest = m.point;
      }
      if (m.type === 'batch' && !quiet) {
        const now = performance.now();
        const etaSeconds = eta.update(m.iter, m.elapsedMs, totalIters);
        if (now - lastPrint > 1000) {
          lastPrint = now;
          const loss = m.loss.length > 0 ? m.loss[m.loss.length - 1] : NaN;
          io.err(
            progressLine({
              epoch: m.epoch,
              epochs: config.epochs,
              iter: m.iter,
              totalIters,
              loss,
              last: lastTest,
              etaSeconds,
            }) + '\n',
          );
        }
      }
      if (m.type === 'end') resolve(m);
    });
  });
  const { runId } = await lab.services.startTraining(config);
  const onSigint = () => void lab.services.cancelTraining(runId);
  process.once('SIGINT', onSigint);
  const end = await ended;
  process.off('SIGINT', onSigint);
  // What the database could not take yet waits in memory: give it time to be written before closing.
  const recording = db ? await settleRecording(lab, runId, io, quiet) : null;
  lab.shutdown();
  // A run that failed before it started was refused (a dataset the worker could not read, say): one line, exit 1.
  if (info === null && end.status === 'failed') throw new LabError('bad-dataset', end.message);

  const last = curve.at(-1);
  if (!quiet && curve.length > 0) io.err(flipLines(curve, config));
  if (!quiet && config.sharpnessEvery !== null) io.err(sharpnessLines(curve, config, sharpnessSet));
  // The last line on stderr says how the run ended and its result (after the recording's notes).
  const result = resultLine({
    status: end.status,
    iter: end.iter,
    totalIters,
    elapsedMs: end.elapsedMs,
    last: last ?? null,
    message: end.message,
  });
  if (json) {
    const result = {
      config,
      dataset: datasetJson(info ?? lab.datasets.info()), // a run cancelled before it began: read it here
      status: end.status,
      message: end.message,
      saved: recording ? recording.saved === true : null,
      savedTo: db ? { db: resolve(db), session: sessionName, runId } : null,
      record: recording ? recordJson(recording) : null,
      iterations: end.iter,
      validationSize: config.validation,
      stoppedAt: end.stoppedAt ?? null,
      bestIter: end.bestIter ?? null,
      collapsedAt: end.collapsedAt ?? null,
      finalTestAcc: last?.testAcc ?? null,
      finalTestLoss: last?.testLoss ?? null,
      wallSeconds: (performance.now() - t0) / 1000,
      trainSeconds: end.elapsedMs / 1000,
      sharpnessSet,
      curve: curve.map((p) => ({
        iter: p.iter,
        epoch: p.epoch,
        trainLoss: p.trainLoss,
        valLoss: p.valLoss ?? null,
        testLoss: p.testLoss,
        trainAcc: p.trainAcc,
        valAcc: p.valAcc ?? null,
        testAcc: p.testAcc,
        sharpness: p.sharpness ?? null,
        sharpnessMin: p.sharpnessMin ?? null,
        hvps: p.hvps ?? null,
        layers: p.layers ?? null,
      })),
    };
    // JSON has no NaN/Infinity: write them as strings so nothing turns into null silently.
    io.out(
      JSON.stringify(result, (_k, value) =>
        typeof value === 'number' && !Number.isFinite(value) ? String(value) : value,
      ) + '\n',
    );
  }
  if (recording && recording.saved !== true) {
    io.err(
      `momentum-lab train: not saved: ${recording.reason ?? 'the database stayed unavailable'} (${savedCounts(recording)})\n`,
    );
    if (!quiet) io.err(`${result}\n`);
    return NOT_SAVED_EXIT;
  }
  if (recording?.kept && !quiet) io.err(`${recording.kept}\n`);
  if (!quiet) io.err(`${result}\n`);
  if (end.status === 'finished') return 0;
  if (end.status === 'cancelled') return 130;
  return 1;
}
