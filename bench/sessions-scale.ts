// Session-store scale benchmark (not a test): npx tsx bench/sessions-scale.ts [--runs 20000] [--evals 5] [--keep] [--no-exports]
// (run `npm run build:cli` first, so the CLI runs from its bundle)
//
// Builds a session database with one session "Big" of N runs (each with a few
// evaluations carrying a test-set snapshot of 200 images, and one batch
// record), plus a small session "Small", then times what grows with the
// number of runs:
//   1. `sessions list`, `sessions show Big` (a page: the latest 200 runs) and
//      `sessions show Big --all` as real CLI processes (what a user waits
//      for), and sessionDetail in process (every run, one page);
//   2. the start of a run: what `train --session Big` does before the worker
//      trains (open the store, find the session, make it current, name the
//      run), for Big and Small — it must not depend on the session's size;
//   3. one page of the app's Runs table (sessionDetail with a page);
//   4. `sessions report Big` and `sessions csv Big` as CLI processes.
// Prints medians of 3; docs/SESSIONS.md records a run.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SessionStore } from '../src-core/node/store/session-store';
import { appendBatch, appendEval, insertRun } from '../src-core/node/store/record';
import { detail, newRun, point } from '../src-core/node/store/test-helpers';

const { values } = parseArgs({
  options: {
    runs: { type: 'string' },
    evals: { type: 'string' },
    keep: { type: 'boolean' },
    'no-exports': { type: 'boolean' },
  },
});
const RUNS = Number(values.runs ?? 20_000);
const EVALS = Number(values.evals ?? 5);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms: number) => (ms < 1000 ? `${ms.toFixed(ms < 10 ? 2 : 0)} ms` : `${(ms / 1000).toFixed(2)} s`);

function time(label: string, reps: number, fn: () => unknown): number {
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  const m = median(times);
  console.log(`${label.padEnd(62)} median ${fmt(m).padStart(9)}  (min ${fmt(Math.min(...times))}, ${reps} runs)`);
  return m;
}

const dir = mkdtempSync(join(tmpdir(), 'momentum-lab-scale-'));
const dbPath = join(dir, 'scale.db');
const cli = resolve(import.meta.dirname, '..', 'bin', 'momentum-lab.mjs');

try {
  const t0 = performance.now();
  const store = new SessionStore(dbPath);
  const big = store.createSession('Big').id;
  const small = store.createSession('Small').id;
  const d = detail(200);
  const labels = Uint8Array.from({ length: 200 }, (_, i) => (i * 7) % 10);
  store.db.transaction(() => {
    for (let i = 0; i < RUNS; i++) {
      const id = `run-${i}`;
      insertRun(store.db, {
        ...newRun(id, big),
        startedAt: 1_700_000_000_000 + i * 1000,
        name: `Run ${i + 1}`,
        ownerPid: 0,
      });
      appendBatch(store.db, id, 0, new Float32Array(20).fill(0.5), new Float32Array(20).fill(0.25), 20, 100);
      for (let e = 1; e <= EVALS; e++) appendEval(store.db, id, point(e * 4), d, labels);
      store.db.prepare(`UPDATE runs SET status = 'finished', owner_pid = NULL WHERE id = ?`).run(id);
    }
    for (let i = 0; i < 3; i++) insertRun(store.db, { ...newRun(`small-${i}`, small), ownerPid: 0 });
    store.db.prepare(`UPDATE runs SET status = 'finished', owner_pid = NULL WHERE session_id = ?`).run(small);
  })();
  store.close();
  console.log(
    `built ${dbPath}: ${RUNS} runs x ${EVALS} evaluations in "Big", ${(statSync(dbPath).size / 1e6).toFixed(1)} MB, ${fmt(performance.now() - t0)}`,
  );

  const run = (...args: string[]) =>
    execFileSync(process.execPath, [cli, ...args, '--db', dbPath], {
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 1 << 30,
    });
  time('CLI process start (sessions --help)', 3, () =>
    execFileSync(process.execPath, [cli, 'sessions', '--help'], { stdio: 'ignore' }),
  );
  // The same command on the 3-run session: what show costs whatever the session's size (process, modules, store open).
  const baseline = time('CLI `sessions show Small` (3 runs)', 3, () => run('sessions', 'show', 'Small'));
  time('CLI `sessions list`', 3, () => run('sessions', 'list'));
  const show = time('CLI `sessions show Big` (the latest 200 runs)', 3, () => run('sessions', 'show', 'Big'));
  console.log(`${''.padEnd(62)} => ${fmt(show - baseline)} more than for Small`);
  const showAll = time(`CLI \`sessions show Big --all\` (${RUNS} runs printed)`, 3, () =>
    run('sessions', 'show', 'Big', '--all'),
  );
  console.log(`${''.padEnd(62)} => ${fmt(showAll - baseline)} more than for Small`);

  const s = new SessionStore(dbPath);
  time('in process: sessionDetail(Big), every run', 3, () => s.sessionDetail(big));
  time('in process: sessionDetail(Big), first page (100 runs)', 3, () =>
    (s.sessionDetail as (id: number, page?: unknown) => unknown)(big, { offset: 0, limit: 100 }),
  );
  time('in process: sessionDetail(Big), last page', 3, () =>
    (s.sessionDetail as (id: number, page?: unknown) => unknown)(big, { offset: RUNS - 100, limit: 100 }),
  );
  s.close();

  // What `train --session NAME` does before its worker trains.
  const startOf = (name: string) => () => {
    const st = new SessionStore(dbPath);
    const found = st.listSessions().find((x) => x.name === name);
    if (!found) throw new Error('missing');
    // Older stores had no selectSession: openSession (which also loads every run) was the only way.
    const anySt = st as unknown as { selectSession?: (id: number) => void };
    if (anySt.selectSession) anySt.selectSession(found.id);
    else st.openSession(found.id);
    st.session(st.currentSessionId());
    st.nextRunName(found.id);
    st.close();
  };
  const startBig = time(`start of a run in "Big" (${RUNS} runs): open, find, select, name`, 5, startOf('Big'));
  const startSmall = time('start of a run in "Small" (3 runs)', 5, startOf('Small'));
  console.log(`${''.padEnd(62)} => Big / Small = ${(startBig / startSmall).toFixed(2)}`);

  if (!values['no-exports']) {
    time(`CLI \`sessions csv Big\``, 1, () => run('sessions', 'csv', 'Big', '--out', join(dir, 'big.csv')));
    time(`CLI \`sessions report Big\``, 1, () => run('sessions', 'report', 'Big', '--out', join(dir, 'big.html')));
    console.log(`report: ${(statSync(join(dir, 'big.html')).size / 1e6).toFixed(1)} MB`);
  }
} finally {
  if (!values.keep) rmSync(dir, { recursive: true, force: true });
  else console.log(`kept ${dir}`);
}
