import { resolve } from 'node:path';
import { LabError } from '../../src-core/contracts/lab-error';
import { printable, sessionNameFlag } from '../../src-core/contracts/text-rules';
import { fmtPct } from '../../src-core/format';
import { runSettings } from '../../src-core/contracts/session-legend';
import { ASSIGNMENT_PRESETS, presetConfig } from '../../src-core/studies/assignment';
import { assignmentReport } from '../services/studies/assignment';
import { writeFileAtomic } from '../services/shared/atomic-file';
import { checkWritePath } from '../services/shared/save-path';
import { NOT_SAVED_EXIT, openCliLab, SAVE_WAIT_MS } from './cli-db';
import { numberFlag, type CliIo } from './cli-io';
import { parseCommand, SHARED_OPTIONS, type CommandSpec, type OptionTable } from './cli-options';
import { datasetFilesIn } from './dataset-dir';

const SPEC = {
  usage: [
    'momentum-lab assignment presets',
    'momentum-lab assignment run --db PATH [--small] [--workers N] [--out REPORT.html] [--force] [--data DIR] [--quiet]',
    'momentum-lab assignment report --db PATH --out REPORT.html [--session NAME] [--force] [--data DIR]',
  ],
  about: `The assignment's simulations as presets (the Training view's Assignment menu):
Simulation 1 (the defaults), Simulation 2 (BS 32, LR 0.1, 4 epochs, HL 64),
Simulation 3 (LR 0.01; LR 1 with BS 64), Simulations 4 and 5 (10 and 1,000
class-balanced training images, about as many iterations as Simulation 2),
Simulation 6 (HL 32).

  presets   print every simulation with its settings
  run       run every simulation into a new session of --db (named
            "Assignment"), like the Training view's "Run all"; with --out,
            then write its HTML report
  report    write the HTML report of the newest "Run all" in --session
            [the database's current session]: per simulation the loss and
            accuracy figure and the misclassified / correct digit galleries,
            then the learning-rate and training-set-size comparisons`,
  options: {
    db: { type: 'string', arg: 'PATH', help: 'the session database (required for run and report)' },
    small: { type: 'boolean', help: 'quick settings: 200 images per class, 1 epoch (a demo)' },
    workers: { type: 'string', arg: 'N', help: 'trainer processes at once', default: "the machine's cores" },
    out: { type: 'string', arg: 'FILE.html', help: 'where to write the report (absolute or relative path)' },
    force: { type: 'boolean', help: 'overwrite --out if it exists' },
    session: { type: 'string', arg: 'NAME', help: 'report: the session holding the assignment' },
    data: SHARED_OPTIONS.data,
    quiet: SHARED_OPTIONS.quiet,
  },
  positionals: 1,
} satisfies CommandSpec<OptionTable>;

/** The command for the dispatcher (main.ts): its runner and its option table, the parser's and the help's. */
export const command = { run: assignmentCommand, spec: SPEC };

async function assignmentCommand(argv: string[], io: CliIo): Promise<number> {
  const { values: v, positionals } = parseCommand(argv, SPEC);
  const sub = positionals[0];
  if (sub === 'presets') {
    for (const p of ASSIGNMENT_PRESETS) io.out(`${p.name.padEnd(28)} ${runSettings(presetConfig(p, 60_000))}\n`);
    return 0;
  }
  if (sub !== 'run' && sub !== 'report')
    throw new LabError(
      'invalid-input',
      `name what to do: presets, run or report (got ${sub === undefined ? 'nothing' : `"${sub}"`})`,
    );
  if (!v.db)
    throw new LabError(
      'invalid-input',
      `--db PATH is required (the session database the assignment ${sub === 'run' ? 'runs into' : 'is in'})`,
    );
  if (sub === 'report' && !v.out) throw new LabError('invalid-input', '--out FILE.html is required');
  if (sub === 'run' && v.session !== undefined)
    throw new LabError('invalid-input', '--session: run makes a new session of its own');
  const dbPath = resolve(v.db);
  const out = v.out
    ? checkWritePath(resolve(v.out), { force: v.force ?? false, protect: [dbPath], what: '--out' })
    : null;
  const workers = numberFlag('workers', v.workers);
  const session = v.session !== undefined ? sessionNameFlag(v.session) : undefined;
  const lab = openCliLab({ dataset: v.data ? datasetFilesIn(v.data) : undefined, dbPath }, 'nothing was run');
  try {
    let studyId: string;
    if (sub === 'run') {
      const state = await lab.services.startAssignment({ small: v.small ?? false, workers });
      studyId = state.id;
      if (!v.quiet) io.err(`running ${state.sweep.items.length} simulations into the session "${state.name}"…\n`);
      const said = new Set<number>();
      for (;;) {
        const sweep = (await lab.services.listSweeps()).find((s) => s.id === state.id)!;
        for (const it of sweep.items) {
          if (it.status === 'queued' || it.status === 'running' || said.has(it.index)) continue;
          said.add(it.index);
          if (!v.quiet)
            io.err(
              printable(
                `  ${it.label}: ${it.status}${it.testAcc !== null ? `, test accuracy ${fmtPct(it.testAcc)}` : ''}`,
              ) + '\n',
            );
        }
        if (sweep.done) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      await lab.recorder.settle(SAVE_WAIT_MS);
      const pending = lab.recorder.pending();
      if (pending.messages > 0) {
        io.err(`not saved: ${pending.messages} recorded messages did not reach the database\n`);
        return NOT_SAVED_EXIT;
      }
    } else {
      const sid =
        session === undefined
          ? lab.store.currentSessionId()
          : lab.store.listSessions().find((s) => s.name === session)?.id;
      if (sid === undefined) throw new LabError('not-found', `--session: no session named "${session}"`);
      const found = lab.store
        .listRuns(sid)
        .filter((r) => r.study?.kind === 'assignment')
        .at(-1);
      if (!found)
        throw new LabError(
          'not-found',
          `the session ${lab.store.session(sid).name} holds no assignment run (run "momentum-lab assignment run" first)`,
        );
      studyId = found.study!.id;
    }
    if (out) {
      const report = assignmentReport(lab.store, lab.datasets, studyId);
      const bytes = writeFileAtomic(out, report.html, 0o644);
      io.out(`wrote the report of ${report.runs} simulations to ${out} (${bytes.toLocaleString('en-US')} bytes)\n`);
    }
    return 0;
  } finally {
    lab.shutdown();
  }
}
