import { resolve } from 'node:path';
import { LabError } from '../../src-core/contracts/lab-error';
import type { RunSummary, SessionSummary } from '../../src-core/contracts/session-types';
import { SessionStore } from '../../src-core/node/store/session-store';
import { listSims } from '../../src-core/node/store/sims';
import { printable, printableJson, printed } from '../../src-core/contracts/text-rules';
import { writeFileAtomic, writeVia } from '../services/shared/atomic-file';
import { checkWritePath } from '../services/shared/save-path';
import type { CliIo } from './cli-io';
import { parseCommand, type CommandSpec, type OptionSpec } from './cli-options';
import { sessionsWeights, WEIGHTS_HELP_LINE } from './sessions-weights';

const SPEC = {
  usage: ['momentum-lab sessions <action> [args] --db PATH [--json]'],
  about: `Manages the experiment sessions in a session database (the app keeps its own
in its user-data folder as momentum-lab.db; "train --db PATH --session NAME"
records into one).

Actions:
  list                    every session with its number of runs
  show SESSION            the runs of a session (SESSION: name or id) with
                          status, final/best test accuracy, iterations, time
                          (the latest 200; --limit N --offset K for a page,
                          --all for every run)
  export SESSION --out F  write the session as one SQLite file (.mlab)
  import FILE             check FILE (integrity, schema version, sizes) in a
                          temporary copy, then add its sessions
  csv SESSION --out F     metrics of every run: one row per evaluation
  report SESSION --out F  a self-contained HTML report (prints to PDF)
${WEIGHTS_HELP_LINE}`,
  options: {
    db: { type: 'string', arg: 'PATH', help: 'the session database (required; created if missing)' },
    out: {
      type: 'string',
      arg: 'FILE',
      help: 'where export/csv/report/weights write: a new file, or with --force an existing regular file (never the database itself, its -wal or -shm, a folder, a FIFO or a device)',
    },
    force: { type: 'boolean', help: 'overwrite an existing --out file' },
    eval: { type: 'string', arg: 'K', help: 'weights: the evaluation at iteration K' },
    json: { type: 'boolean', help: 'print JSON on stdout (non-finite numbers as "NaN"/"Infinity")' },
    limit: { type: 'string', arg: 'N', help: 'show: at most N runs', default: '200' },
    offset: { type: 'string', arg: 'K', help: 'show: skip the first K runs', default: 'the latest 200 are shown' },
    all: { type: 'boolean', help: 'show: every run, however many' },
  },
  after: `Names are printed with control characters escaped (\\n, \\x1b, \\u202e), so
a name from an imported file can neither fake lines nor drive the terminal.`,
  positionals: 3,
} satisfies CommandSpec<Record<string, OptionSpec>>;

/** The command for the dispatcher (main.ts): its runner and its option table, the parser's and the help's. */
export const command = { run: sessionsCommand, spec: SPEC };

const json = (value: unknown) =>
  printableJson(
    JSON.stringify(
      value,
      (_k, v) =>
        typeof v === 'number' && !Number.isFinite(v)
          ? String(v)
          : ArrayBuffer.isView(v)
            ? Array.from(v as Uint8Array)
            : v,
      2,
    ),
  ) + '\n';

/** A session by name, or by id when no session has that name. */
export function findSession(store: SessionStore, key: string | undefined): SessionSummary {
  if (!key) throw new LabError('invalid-input', 'name the session (its name or id)');
  const all = store.listSessions();
  const hit =
    all.find((s) => s.name === key) ?? (/^\d+$/.test(key) ? all.find((s) => s.id === Number(key)) : undefined);
  if (!hit)
    throw new LabError(
      'not-found',
      `no session "${key}" (sessions: ${
        all
          .slice(0, 20)
          .map((s) => s.name)
          .join(', ') || 'none'
      }${all.length > 20 ? `, and ${all.length - 20} more` : ''})`,
    );
  return hit;
}

const pct = (v: number | null) => (v === null ? '—' : Number.isFinite(v) ? `${(v * 100).toFixed(2)}%` : String(v));

function runLine(r: RunSummary): string {
  const c = r.config;
  return `  ${printable(r.name).padEnd(12)} ${r.status.padEnd(11)} final ${pct(r.finalTestAcc).padStart(7)}  best ${pct(r.bestTestAcc).padStart(7)}  iter ${`${r.itersDone}/${r.totalIters}`.padStart(11)}  ${(r.elapsedMs / 1000).toFixed(1).padStart(6)}s  LR ${c.lr} BS ${c.batchSize} HL ${c.hidden} d ${c.momentum}${c.perClass === null ? '' : ` N ${c.perClass * 10}`}  ${printable(r.id)}`;
}

/** Runs \`sessions show\` prints unless told otherwise. */
const SHOW_PAGE = 200;

/** A whole number flag (decimal digits only). */
function countFlag(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,9}$/.test(value)) throw new LabError('invalid-input', `${flag} must be a whole number (got "${value}")`);
  return Number(value);
}

// The actions' heavier modules (the session file's checks, the report's charts with d3, the CSV, the .npz writer
// with fflate) are imported by the action that needs them, so `sessions list` and `show` load none of them.
export async function sessionsCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand(argv, SPEC);
  const [action, arg] = positionals;
  if (!values.db) throw new LabError('invalid-input', '--db PATH is required');
  const dbPath = resolve(values.db);
  let target: string | null = null;
  // The --out rules are checked before anything is read or written (the same check as the app's save dialog).
  const out = () => {
    if (target !== null) return target;
    if (!values.out) throw new LabError('invalid-input', `${action} needs --out FILE`);
    target = checkWritePath(resolve(values.out), { force: values.force === true, protect: [dbPath], what: '--out' });
    return target;
  };
  if (action === 'export' || action === 'csv' || action === 'report' || action === 'weights') out();
  const store = new SessionStore(dbPath);
  try {
    switch (action) {
      case 'list': {
        const sessions = store.listSessions();
        io.out(
          values.json
            ? json(sessions)
            : sessions
                .map(
                  (s) =>
                    printed`${String(s.id).padStart(4)}  ${s.name}  (${s.runCount} run${s.runCount === 1 ? '' : 's'})${s.current ? '  [current]' : ''}${s.damaged ? `  [damaged: ${s.damaged}]` : ''}\n`,
                )
                .join(''),
        );
        return 0;
      }
      case 'show': {
        // A session can hold tens of thousands of runs: one page of them (the latest by default), or --all.
        const found = findSession(store, arg);
        const limit = countFlag(values.limit, '--limit') ?? SHOW_PAGE;
        const offset = countFlag(values.offset, '--offset') ?? Math.max(0, found.runCount - limit);
        const page = values.all ? undefined : { offset, limit };
        const detail = store.sessionDetail(found.id, page);
        const sims = detail.sims.map(
          (m) =>
            printed`  ${m.name.padEnd(14)} ${m.request.objective.name}: ${m.runs.map((r) => `${r.kind} LR ${r.lr} d ${r.d} -> ${r.status}`).join('; ')}`,
        );
        const total = detail.session.runCount;
        const shown =
          page && detail.runs.length < total
            ? printed` (runs ${offset + 1}-${offset + detail.runs.length} of ${total}; --offset/--limit for others, --all for every run)`
            : '';
        const runs = detail.runs.map(runLine).join('\n');
        io.out(
          values.json
            ? json(detail)
            : `${printed`${detail.session.name}: ${total} runs`}${shown}\n${runs}${runs ? '\n' : ''}${sims.length ? `${sims.length} simulations\n${sims.join('\n')}\n` : ''}`,
        );
        return 0;
      }
      case 'export': {
        const s = findSession(store, arg);
        const { exportSessionFile } = await import('../../src-core/node/store/session-file');
        const res = writeVia(out(), (tmp) => exportSessionFile(store, s.id, tmp));
        io.out(
          values.json
            ? json({ session: s.name, path: out(), ...res })
            : printed`wrote ${out()} (${res.runs} runs, ${res.bytes} bytes)\n`,
        );
        return 0;
      }
      case 'import': {
        if (!arg) throw new LabError('invalid-input', 'import needs the FILE to import');
        const { importSessionFile } = await import('../../src-core/node/store/session-file');
        const imported = importSessionFile(store, resolve(arg));
        io.out(
          values.json
            ? json(imported)
            : imported.map((s) => printed`imported "${s.name}" (${s.runCount} runs)\n`).join(''),
        );
        return 0;
      }
      case 'csv': {
        const s = findSession(store, arg);
        const { metricsCsv } = await import('../services/export/export-csv');
        const { text, rows } = metricsCsv(store.sessionCurves(s.id));
        writeFileAtomic(out(), text, 0o644);
        io.out(values.json ? json({ path: out(), rows }) : printed`wrote ${out()} (${rows} rows)\n`);
        return 0;
      }
      case 'report': {
        const s = findSession(store, arg);
        const { buildReport } = await import('../services/export/export-report'); // d3: loaded only by this action
        const html = buildReport(s, store.sessionCurves(s.id), [], listSims(store.db, s.id));
        writeFileAtomic(out(), html, 0o644);
        io.out(values.json ? json({ path: out(), bytes: Buffer.byteLength(html) }) : printed`wrote ${out()}\n`);
        return 0;
      }
      case 'weights':
        return sessionsWeights(store, findSession(store, arg), positionals[2], values.eval, out, !!values.json, io);
      default:
        throw new LabError(
          'invalid-input',
          `unknown action "${action ?? ''}" (list, show, export, import, csv, report, weights)`,
        );
    }
  } finally {
    store.close();
  }
}
