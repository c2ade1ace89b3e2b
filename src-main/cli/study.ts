import { resolve } from 'node:path';
import {
  STUDY_KINDS,
  type StartStudyRequest,
  type StudyKind,
  type StudyState,
} from '../../src-core/contracts/api-studies';
import type { SweepItem } from '../../src-core/contracts/api-sweeps';
import { LabError } from '../../src-core/contracts/lab-error';
import { sessionNameFlag } from '../../src-core/contracts/text-rules';
import { formatValues, parseValues, STUDIES, studyDef } from '../../src-core/studies/definitions';
import { NOT_SAVED_EXIT, openCliLab, SAVE_WAIT_MS } from './cli-db';
import type { CliIo } from './cli-io';
import { numberFlag } from './cli-io';
import { parseCommand, SHARED_OPTIONS, type CommandSpec } from './cli-options';
import { datasetFilesIn } from './dataset-dir';

// `momentum-lab study NAME`: the app's studies from the shell. The request
// goes to the same service as the Studies view's button (startStudy): the same
// plan (src-core/studies/plan.ts), the same common random numbers (every run
// of a seed shares it), the same sweep pool of trainer processes, the same
// rows in the session.

/** Study names on the command line: kebab-case of the app's study kinds. */
const NAMES: Record<string, StudyKind> = {
  lr: 'lr',
  'batch-size': 'batchSize',
  hidden: 'hidden',
  'train-size': 'trainSize',
  momentum: 'momentum',
  'edge-of-stability': 'edgeOfStability',
};
const nameOf = (kind: StudyKind) => Object.entries(NAMES).find(([, k]) => k === kind)![0];

const SPEC = {
  usage: [
    'momentum-lab study NAME [--values V,V,...] [--seeds K] [--small] --db PATH [--session S] [--json]',
    'momentum-lab study --list',
  ],
  about: `Runs one of the app's studies, as the Studies view does: the runs are planned
the same way, every run of a seed starts from the same initial weights and
sees the same mini-batches (common random numbers, where the varied setting
allows), they train on the same pool of trainer processes and are recorded
into the session with the study's name. Progress goes to stderr; a table of
the runs (or --json) to stdout at the end.

Studies (NAME: the varied setting, its default values):
${STUDY_KINDS.map((k) => `  ${nameOf(k).padEnd(11)} ${studyDef(k).label} ${formatValues(studyDef(k).defaults)}  (${studyDef(k).title})`).join('\n')}`,
  options: {
    values: {
      type: 'string',
      arg: 'V,V,...',
      help: 'the varied setting\'s values (train-size: images per class, or "all")',
      default: "the study's defaults",
    },
    seeds: { type: 'string', arg: 'K', help: 'repeat every value over K seeds (seed, seed + 1, ...)', default: '1' },
    small: {
      type: 'boolean',
      help: 'quick classroom settings: 100 images per class, 32 hidden units (unless varied), 10 epochs (batch-size: 3)',
    },
    'momentum-lr': {
      type: 'string',
      arg: 'MODE',
      help: 'momentum study: fixed (keep LR) or scaled (LR * |1 - d|)',
      default: 'fixed',
    },
    workers: { type: 'string', arg: 'N', help: 'trainer processes at once', default: 'the number of cores' },
    name: { type: 'string', arg: 'TEXT', help: "the study's name in the session", default: 'as the app names it' },
    data: SHARED_OPTIONS.data,
    db: {
      type: 'string',
      arg: 'PATH',
      help: 'the session database the runs are recorded into (required; created if missing)',
    },
    session: SHARED_OPTIONS.session,
    json: {
      type: 'boolean',
      help: 'print one JSON object at the end: the study and every run with its final and best values',
    },
    quiet: SHARED_OPTIONS.quiet,
    list: { type: 'boolean', help: 'name the studies, their questions and what stays the same between runs' },
  },
  after: `Exit codes: 0 every run ended (finished, diverged or collapsed: a study may
show a run blowing up), 1 a run failed or was interrupted, 2 bad arguments (or
a --db that cannot be used), 3 trained but not (completely) saved, 130
cancelled (Ctrl-C cancels the study's runs).`,
  positionals: 1,
} satisfies CommandSpec<Record<string, import('./cli-options').OptionSpec>>;

/** The command for the dispatcher (main.ts): its runner and its option table, the parser's and the help's. */
export const command = { run: studyCommand, spec: SPEC };

export interface StudyFlags {
  request: StartStudyRequest;
  db: string;
  session?: string;
  data?: string;
  json: boolean;
  quiet: boolean;
}

/** Flags -> the startStudy request (validated again by the service's schema). */
export function studyFromFlags(argv: string[]): StudyFlags | 'list' {
  const { values: v, positionals } = parseCommand(argv, SPEC);
  if (v.list) return 'list';
  const name = positionals[0];
  if (name === undefined) throw new LabError('invalid-input', `name a study (${Object.keys(NAMES).join(', ')})`);
  const kind = NAMES[name];
  if (!kind) throw new LabError('invalid-input', `unknown study "${name}" (known: ${Object.keys(NAMES).join(', ')})`);
  const def = studyDef(kind);
  let values = def.defaults;
  if (v.values !== undefined) {
    try {
      values = parseValues(v.values, kind === 'trainSize');
    } catch (err) {
      throw new LabError('invalid-input', `--values: ${(err as Error).message}`);
    }
  }
  const seeds = numberFlag('seeds', v.seeds) ?? 1;
  const workers = numberFlag('workers', v.workers);
  const mode = v['momentum-lr'];
  if (mode !== undefined && mode !== 'fixed' && mode !== 'scaled')
    throw new LabError('invalid-input', `--momentum-lr: "${mode}" is not fixed or scaled`);
  if (mode !== undefined && kind !== 'momentum')
    throw new LabError('invalid-input', '--momentum-lr applies to the momentum study only');
  if (v.db === undefined)
    throw new LabError('invalid-input', 'study needs --db PATH: its runs are recorded into a session');
  const request = {
    kind,
    values,
    seeds,
    small: v.small === true,
    ...(mode === undefined ? {} : { momentumLr: mode }),
    ...(workers === undefined ? {} : { workers }),
    ...(v.name === undefined ? {} : { name: v.name }),
  } as StartStudyRequest;
  const session = v.session === undefined ? undefined : sessionNameFlag(v.session);
  return { request, db: v.db, session, data: v.data, json: v.json === true, quiet: v.quiet === true };
}

function listText(): string {
  return (
    STUDIES.map(
      (s) => `${nameOf(s.kind)}: ${s.title} (${s.label} ${formatValues(s.defaults)})\n  ${s.question}\n  ${s.crn}`,
    ).join('\n\n') + '\n'
  );
}

const pct = (v: number | null) => (v === null || !Number.isFinite(v) ? '-' : `${(v * 100).toFixed(1)} %`);
const num = (v: number | null) =>
  v === null ? '-' : Number.isFinite(v) ? String(Number(v.toPrecision(4))) : String(v);

export interface StudyRow {
  label: string;
  runId: string | null;
  status: SweepItem['status'];
  iterations: number;
  finalTestAcc: number | null;
  finalTestLoss: number | null;
  bestTestAcc: number | null;
}

/** The end-of-study table: one line per run, columns aligned. */
export function studyTable(rows: readonly StudyRow[]): string {
  const head = ['run', 'status', 'iterations', 'final test acc', 'best test acc', 'final test loss'];
  const body = rows.map((r) => [
    r.label,
    r.status,
    r.iterations.toLocaleString('en-US'),
    pct(r.finalTestAcc),
    pct(r.bestTestAcc),
    num(r.finalTestLoss),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n') + '\n';
}

function progressText(s: StudyState): string {
  const items = s.sweep.items;
  const done = items.filter((i) => i.status !== 'queued' && i.status !== 'running').length;
  const running = items
    .filter((i) => i.status === 'running')
    .map((i) => `${i.label} ${i.totalIters ? Math.round((100 * i.iter) / i.totalIters) : 0} %`);
  return `${done}/${items.length} runs done${running.length ? `; training ${running.join(', ')}` : ''}`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function studyCommand(argv: string[], io: CliIo): Promise<number> {
  const flags = studyFromFlags(argv);
  if (flags === 'list') {
    io.out(listText());
    return 0;
  }
  const dbPath = resolve(flags.db);
  const dataset = flags.data ? datasetFilesIn(flags.data) : undefined;
  const lab = openCliLab(
    { dataset, dbPath, ...(flags.request.workers ? { sweepWorkers: flags.request.workers } : {}) },
    'nothing was trained',
  );
  let cancelled = false;
  try {
    if (flags.session !== undefined) lab.store.openOrCreateSession(flags.session);
    const sessionName = lab.store.session(lab.store.currentSessionId()).name;
    let study = await lab.services.startStudy(flags.request);
    if (!flags.quiet)
      io.err(
        `${study.name}: ${study.sweep.items.length} runs on ${study.sweep.workers} worker${study.sweep.workers === 1 ? '' : 's'}, into session "${sessionName}" of ${dbPath}\n`,
      );
    const onSigint = () => {
      cancelled = true;
      void lab.services.cancelStudy({ studyId: study.id });
    };
    process.once('SIGINT', onSigint);
    let lastLine = '';
    let lastPrint = 0;
    while (!study.sweep.done) {
      await sleep(200);
      study = (await lab.services.listStudies()).find((s) => s.id === study.id)!;
      const line = progressText(study);
      if (!flags.quiet && line !== lastLine && (Date.now() - lastPrint > 1000 || study.sweep.done)) {
        io.err(`${line}\n`);
        lastLine = line;
        lastPrint = Date.now();
      }
    }
    process.off('SIGINT', onSigint);
    // Everything recorded is written before the table is read back from the database.
    const waiting = lab.recorder.pending();
    if (waiting.messages > 0 && !flags.quiet)
      io.err(
        `waiting up to ${Math.round(SAVE_WAIT_MS / 1000)} s for the database to take ${waiting.messages} recorded messages…\n`,
      );
    await lab.recorder.settle(SAVE_WAIT_MS);
    lab.recorder.close();
    const notSaved = study.sweep.items.filter((i) => i.runId !== null && lab.recorder.status(i.runId).saved !== true);
    const rows: StudyRow[] = study.sweep.items.map((item) => {
      const points =
        item.runId && notSaved.every((n) => n.runId !== item.runId) ? lab.store.curves(item.runId).points : [];
      const last = points.at(-1);
      const best = points.reduce<number | null>(
        (b, p) => (Number.isFinite(p.testAcc) && (b === null || p.testAcc > b) ? p.testAcc : b),
        null,
      );
      return {
        label: item.label,
        runId: item.runId,
        status: item.status,
        iterations: item.iter,
        finalTestAcc: last?.testAcc ?? null,
        finalTestLoss: last?.testLoss ?? null,
        bestTestAcc: best,
      };
    });
    if (flags.json) {
      const out = {
        study: { name: study.name, kind: nameOf(study.kind), request: study.request, sweepId: study.sweep.id },
        savedTo: { db: dbPath, session: sessionName },
        saved: notSaved.length === 0,
        runs: rows,
      };
      io.out(
        JSON.stringify(out, (_k, value) =>
          typeof value === 'number' && !Number.isFinite(value) ? String(value) : value,
        ) + '\n',
      );
    } else {
      io.out(`${study.name} (session "${sessionName}" of ${dbPath})\n${studyTable(rows)}`);
    }
    if (notSaved.length > 0) {
      const reasons = [
        ...new Set(notSaved.map((n) => lab.recorder.status(n.runId!).reason ?? 'the database stayed unavailable')),
      ];
      io.err(
        `momentum-lab study: not saved: ${notSaved.length} run${notSaved.length === 1 ? '' : 's'} (${reasons.join('; ')})\n`,
      );
      return NOT_SAVED_EXIT;
    }
    if (cancelled) return 130;
    return rows.some((r) => r.status === 'failed' || r.status === 'interrupted' || r.status === 'cancelled') ? 1 : 0;
  } finally {
    lab.shutdown();
  }
}
