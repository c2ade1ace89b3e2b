import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { LabError } from '../../src-core/contracts/lab-error';
import type { RunSummary, SessionSummary } from '../../src-core/contracts/session-types';
import { exportSessionFile, importSessionFile } from '../../src-core/node/store/session-file';
import { SessionStore } from '../../src-core/node/store/session-store';
import { metricsCsv } from '../services/export-csv';
import { buildReport } from '../services/export-report';
import { writeFileAtomic, writeVia } from '../services/atomic-file';
import { checkWritePath } from '../services/save-path';
import type { CliIo } from './cli-io';

export const SESSIONS_HELP = `Usage: momentum-lab sessions <action> [args] --db PATH [--json]

Manages the experiment sessions in a session database (the app keeps its own
in its user-data folder as momentum-lab.db; "train --db PATH --session NAME"
records into one).

Actions:
  list                    every session with its number of runs
  show SESSION            the runs of a session (SESSION: name or id) with
                          status, final/best test accuracy, iterations, time
  export SESSION --out F  write the session as one SQLite file (.mlab)
  import FILE             check FILE (integrity, schema version, sizes) in a
                          temporary copy, then add its sessions
  csv SESSION --out F     metrics of every run: one row per evaluation
  report SESSION --out F  a self-contained HTML report (prints to PDF)

Options:
  --db PATH    the session database (required; created if missing)
  --out FILE   where export/csv/report write: a new file, or with --force an
               existing regular file (never the database itself, its -wal or
               -shm, a folder, a FIFO or a device)
  --force      overwrite an existing --out file
  --json       print JSON on stdout (non-finite numbers as "NaN"/"Infinity")
  --help       this text
`;

const json = (value: unknown) => JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : ArrayBuffer.isView(v) ? Array.from(v as Uint8Array) : v), 2) + '\n';

function findSession(store: SessionStore, key: string | undefined): SessionSummary {
  if (!key) throw new LabError('invalid-input', 'name the session (its name or id)');
  const all = store.listSessions();
  const hit = all.find((s) => s.name === key) ?? (/^\d+$/.test(key) ? all.find((s) => s.id === Number(key)) : undefined);
  if (!hit) throw new LabError('not-found', `no session "${key}" (sessions: ${all.map((s) => s.name).join(', ') || 'none'})`);
  return hit;
}

const pct = (v: number | null) => (v === null ? '—' : Number.isFinite(v) ? `${(v * 100).toFixed(2)}%` : String(v));

function runLine(r: RunSummary): string {
  const c = r.config;
  return `  ${r.name.padEnd(12)} ${r.status.padEnd(11)} final ${pct(r.finalTestAcc).padStart(7)}  best ${pct(r.bestTestAcc).padStart(7)}  iter ${`${r.itersDone}/${r.totalIters}`.padStart(11)}  ${(r.elapsedMs / 1000).toFixed(1).padStart(6)}s  LR ${c.lr} BS ${c.batchSize} HL ${c.hidden} d ${c.momentum}${c.perClass === null ? '' : ` N ${c.perClass * 10}`}  ${r.id}`;
}

export async function sessionsCommand(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { db: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean' }, json: { type: 'boolean' } }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new LabError('invalid-input', (err as Error).message.split('\n')[0]);
  }
  const { values, positionals } = parsed;
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
  if (action === 'export' || action === 'csv' || action === 'report') out();
  const store = new SessionStore(dbPath);
  try {
    switch (action) {
      case 'list': {
        const sessions = store.listSessions();
        io.out(values.json ? json(sessions) : sessions.map((s) => `${String(s.id).padStart(4)}  ${s.name}  (${s.runCount} run${s.runCount === 1 ? '' : 's'})${s.current ? '  [current]' : ''}\n`).join(''));
        return 0;
      }
      case 'show': {
        const detail = store.sessionDetail(findSession(store, arg).id);
        const sims = detail.sims.map((m) => `  ${m.name.padEnd(14)} ${m.request.objective.name}: ${m.runs.map((r) => `${r.kind} LR ${r.lr} d ${r.d} -> ${r.status}`).join('; ')}`);
        io.out(values.json ? json(detail) : `${detail.session.name}: ${detail.runs.length} runs\n${detail.runs.map(runLine).join('\n')}\n${sims.length ? `${sims.length} simulations\n${sims.join('\n')}\n` : ''}`);
        return 0;
      }
      case 'export': {
        const s = findSession(store, arg);
        const res = writeVia(out(), (tmp) => exportSessionFile(store, s.id, tmp));
        io.out(values.json ? json({ session: s.name, path: out(), ...res }) : `wrote ${out()} (${res.runs} runs, ${res.bytes} bytes)\n`);
        return 0;
      }
      case 'import': {
        if (!arg) throw new LabError('invalid-input', 'import needs the FILE to import');
        const imported = importSessionFile(store, resolve(arg));
        io.out(values.json ? json(imported) : imported.map((s) => `imported "${s.name}" (${s.runCount} runs)\n`).join(''));
        return 0;
      }
      case 'csv': {
        const s = findSession(store, arg);
        const { text, rows } = metricsCsv(store.listRuns(s.id).map((r) => store.curves(r.id)));
        writeFileAtomic(out(), text, 0o644);
        io.out(values.json ? json({ path: out(), rows }) : `wrote ${out()} (${rows} rows)\n`);
        return 0;
      }
      case 'report': {
        const s = findSession(store, arg);
        const html = buildReport(s, store.listRuns(s.id).map((r) => store.curves(r.id)), [], store.sessionDetail(s.id).sims);
        writeFileAtomic(out(), html, 0o644);
        io.out(values.json ? json({ path: out(), bytes: Buffer.byteLength(html) }) : `wrote ${out()}\n`);
        return 0;
      }
      default:
        throw new LabError('invalid-input', `unknown action "${action ?? ''}" (list, show, export, import, csv, report)`);
    }
  } finally {
    store.close();
  }
}
