import { existsSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import {
  CompareFigureSchema,
  FIGURE_METRICS,
  FIGURE_X_AXES,
  MomentumFigureSchema,
  PHASE_COLOURS,
  SIM_CHARTS,
  type CompareFigureRequest,
  type MomentumFigureInput,
} from '../../src-core/contracts/api-figures';
import { LabError } from '../../src-core/contracts/lab-error';
import type { RunSummary } from '../../src-core/contracts/session-types';
import { printed } from '../../src-core/contracts/text-rules';
import { parseOrThrow } from '../../src-core/contracts/validate';
import { SimulateRequestSchema } from '../../src-core/contracts/sim-config';
import { phaseMapGrid } from '../../src-core/momentum/phase-grid';
import { SessionStore } from '../../src-core/node/store/session-store';
import { mapPathTitle, momentumMapPath, type MapPath } from '../../src-core/train/sharpness/map-path';
import { listSims } from '../../src-core/node/store/sims';
import { writeFileAtomic } from '../services/shared/atomic-file';
import { checkWritePath } from '../services/shared/save-path';
import { numberFlag, type CliIo } from './cli-io';
import { parseCommand, type CommandSpec, type OptionSpec } from './cli-options';
import { findSession } from './sessions';

// `momentum-lab figure SESSION --runs ...`: Compare's chart of recorded runs
// as an SVG or PNG file; `--sim` and `--phase`: the Momentum view's
// simulation and phase diagram. Built by the same figure builders and
// rasteriser as the app's exports (src-main/figures), so the same selection
// and settings give the same bytes.

const SPEC = {
  usage: [
    'momentum-lab figure SESSION --runs R1,R2,... --metric M[,M] [--x AXIS] [--smooth S] [--caption TEXT] --out F.svg|F.png [--scale 2] --db PATH',
    'momentum-lab figure SESSION --sim NAME|ID [--chart x|plane] [--caption TEXT] --out F.svg|F.png --db PATH',
    'momentum-lab figure --phase [--colour-by rate|steps] [--mark H[,H2],D] [--caption TEXT] --out F.svg|F.png',
    'momentum-lab figure SESSION --phase --path RUN [--h-scale log|linear] [--colour-by ...] [--mark ...] --out F.svg|F.png --db PATH',
  ],
  about: `Draws the chart Compare exports for runs of a session: the chosen metrics
over the chosen x axis, one colour per run, the legend built from the settings
that differ between the runs (with each run's best point), and a caption in
the report's style (by default from the runs' settings). The file is what the
app's Compare view writes for the same selection, byte for byte: both use one
figure builder and, for PNG, one rasteriser (resvg).

--sim draws a saved simulation of the session (run again from its saved
settings: the simulator is deterministic): x_t over the steps, or with
--chart plane the paths in the plane of a 2-D objective. --phase draws the
phase diagram of heavy-ball momentum over (h = lr*lambda, d), the grid the
Momentum view computes, with the stability boundary and critical damping;
with --path, a heavy-ball run of SESSION trained with --sharpness-every is
drawn on it as the view's "Show on the momentum map" draws it: one point
(lr*lambda_max, d) per sharpness measurement, on a log h axis spanning them.
The x_t chart and the phase diagram are the Momentum view's SVG / PNG
exports of them, byte for byte, for the same settings and caption (the
plane chart has no contours and is the CLI's own).`,
  options: {
    runs: {
      type: 'string',
      arg: 'R1,R2,...',
      multiple: true,
      help: 'the runs, by name or id, in legend order; "all" for every run of the session. A name holding a comma is taken whole when it matches, or give --runs once per run',
    },
    metric: {
      type: 'string',
      arg: 'M[,M]',
      help: `what to draw: ${FIGURE_METRICS.join(', ')}; test and train of one quantity share a chart (test solid, train dashed)`,
      default: 'test-loss,train-loss',
    },
    x: {
      type: 'string',
      arg: 'AXIS',
      help: `the x axis: ${FIGURE_X_AXES.join(', ')} (time: seconds since the run started)`,
      default: 'iteration',
    },
    smooth: {
      type: 'string',
      arg: 'S',
      help: "exponential smoothing weight in [0, 0.95], as Compare's slider; the raw curve stays faint underneath",
      default: '0',
    },
    log: { type: 'boolean', help: 'loss on a logarithmic axis' },
    'acc-full': { type: 'boolean', help: 'accuracy on the full 0-100 % range' },
    caption: {
      type: 'string',
      arg: 'TEXT',
      help: 'the caption under the figure ("" for none)',
      default: "from the runs' settings, as Compare",
    },
    out: {
      type: 'string',
      arg: 'F',
      help: 'the file to write: .svg or .png (a new file, or with --force an existing one)',
    },
    scale: { type: 'string', arg: 'K', help: 'PNG pixels per SVG unit: 1, 2, 3 or 4', default: '2' },
    force: { type: 'boolean', help: 'overwrite an existing --out file' },
    sim: { type: 'string', arg: 'NAME|ID', help: 'draw this saved simulation of SESSION instead of runs' },
    chart: {
      type: 'string',
      arg: 'C',
      help: `with --sim: ${SIM_CHARTS.join(' or ')} (x_t over the steps, or the paths of a 2-D objective)`,
      default: 'x',
    },
    phase: {
      type: 'boolean',
      help: 'draw the phase diagram of heavy-ball momentum (no SESSION or --db needed, except with --path)',
    },
    path: {
      type: 'string',
      arg: 'RUN',
      help: 'with --phase: draw this run of SESSION on the map, (lr*lambda_max, d) at each sharpness measurement (heavy-ball runs trained with --sharpness-every)',
    },
    'h-scale': {
      type: 'string',
      arg: 'S',
      help: 'with --path: log (the default: the h axis spans the path) or linear (h from 0.02 to 5.2)',
    },
    'colour-by': {
      type: 'string',
      arg: 'C',
      help: `with --phase: colour the cells by ${PHASE_COLOURS.join(' or ')} (measured rate, or steps to tolerance)`,
      default: 'rate',
    },
    mark: {
      type: 'string',
      arg: 'H[,H2],D',
      help: 'with --phase: ring the setting h = lr*lambda (one h per curvature, the stiffest last) at momentum D',
    },
    db: { type: 'string', arg: 'PATH', help: 'the session database (required for runs and --sim)' },
    json: { type: 'boolean', help: 'print one JSON object: the path, format, size, caption and runs' },
  },
  after:
    'Exit codes: 0 written, 2 bad arguments (unknown session or run, bad metric, --out not writable), 1 other failures.',
  positionals: 1,
} satisfies CommandSpec<Record<string, OptionSpec>>;

/** The command for the dispatcher (main.ts): its runner and its option table, the parser's and the help's. */
export const command = { run: figureCommand, spec: SPEC };

/** Runs of the session named by --runs values: whole names (or ids) first, then comma-separated parts; "all". */
export function pickRuns(runs: readonly RunSummary[], wanted: readonly string[], flag = '--runs'): RunSummary[] {
  const byKey = (key: string): RunSummary | null => {
    const byId = runs.find((r) => r.id === key);
    if (byId) return byId;
    const named = runs.filter((r) => r.name === key);
    if (named.length > 1)
      throw new LabError(
        'invalid-input',
        printed`${flag}: ${named.length} runs are named "${key}"; name them by id (${named.map((r) => r.id).join(', ')})`,
      );
    return named[0] ?? null;
  };
  const out: RunSummary[] = [];
  for (const value of wanted) {
    if (value.trim() === 'all') {
      out.push(...runs);
      continue;
    }
    const whole = byKey(value.trim());
    if (whole) {
      out.push(whole);
      continue;
    }
    for (const part of value
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)) {
      const hit = byKey(part);
      if (!hit) {
        const names = runs
          .slice(0, 12)
          .map((r) => r.name)
          .join(', ');
        throw new LabError(
          'invalid-input',
          printed`${flag}: no run "${part}" in this session (runs: ${names || 'none'}${runs.length > 12 ? ', ...' : ''})`,
        );
      }
      out.push(hit);
    }
  }
  if (out.length === 0) throw new LabError('invalid-input', `${flag}: names no run`);
  return out.filter((r, i) => out.findIndex((q) => q.id === r.id) === i);
}

type FigureFlags = ReturnType<typeof parseCommand<typeof SPEC.options>>['values'];

/** The phase diagram as the Momentum view exports it: its grid (spanning the run's path, if any), colour, marker. */
function phaseFigure(v: FigureFlags, path: MapPath | null) {
  return {
    kind: 'phase' as const,
    grid: phaseMapGrid(path ? path.points.map((p) => p.h) : [], v['h-scale'] !== 'linear'),
    colour: v['colour-by'] ?? 'rate',
    mark: markFlag(v.mark),
    path: path ? { title: path.title, points: path.points } : null,
    caption: v.caption ?? null,
  };
}

/** A saved run's path on the momentum map ("Show on the momentum map" in its sharpness chart), or why it has none. */
function runMapPath(store: SessionStore, sessionId: number, key: string): MapPath {
  const picked = pickRuns(store.listRuns(sessionId), [key], '--path');
  if (picked.length !== 1)
    throw new LabError('invalid-input', printed`--path: "${key}" names ${picked.length} runs; name one`);
  const { run, points } = store.curves(picked[0].id);
  const measured = points
    .filter((p) => p.sharpness !== undefined && p.sharpness !== null)
    .map((p) => ({ iter: p.iter, sharpness: p.sharpness! }));
  const c = run.config;
  const on = momentumMapPath(measured, { optimizer: c.optimizer, lr: c.lr, momentum: c.momentum }, mapPathTitle(c));
  if ('reason' in on)
    throw new LabError('invalid-input', printed`--path: run "${run.name}" has no path on the map: ${on.reason}`);
  return on.path;
}

/** A simulation (re-run from its saved settings) or the phase diagram: built, written, reported. */
async function momentumFigure(
  io: CliIo,
  target: string,
  format: 'svg' | 'png',
  scale: number,
  json: boolean,
  raw: MomentumFigureInput,
) {
  const req = parseOrThrow(MomentumFigureSchema, raw, 'figure');
  const { renderMomentumFigure } = await import('../figures/render-momentum'); // d3 and resvg: only for this command
  const { figure, data } = renderMomentumFigure(req, format, scale);
  const bytes = writeFileAtomic(target, data, 0o644);
  const k = format === 'png' ? scale : 1;
  if (json)
    io.out(
      `${JSON.stringify({ path: target, format, bytes, width: figure.width * k, height: figure.height * k, caption: figure.caption })}\n`,
    );
  else io.out(printed`wrote ${target} (${figure.id}, ${bytes} bytes)\n`);
  return 0;
}

/** --mark H[,H2],D: the h of each curvature, then d. */
function markFlag(value: string | undefined): { hs: number[]; d: number } | null {
  if (value === undefined) return null;
  const parts = value.split(',').map((p) => numberFlag('mark', p.trim())!);
  if (parts.length < 2 || parts.length > 3)
    throw new LabError('invalid-input', printed`--mark: "${value}" is not H,D or H1,H2,D`);
  return { hs: parts.slice(0, -1), d: parts.at(-1)! };
}

/** A session or folder that is not there is a bad argument (exit 2), as an unknown run is. */
function badInput<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    throw err instanceof LabError && err.code === 'not-found' ? new LabError('invalid-input', err.message) : err;
  }
}

async function figureCommand(argv: string[], io: CliIo): Promise<number> {
  const { values: v, positionals } = parseCommand(argv, SPEC);
  if (v.out === undefined) throw new LabError('invalid-input', '--out F.svg or F.png is required');
  const ext = extname(v.out).toLowerCase();
  if (ext !== '.svg' && ext !== '.png') throw new LabError('invalid-input', `--out: ${v.out} must end in .svg or .png`);
  const format = ext === '.svg' ? 'svg' : 'png';
  const scale = numberFlag('scale', v.scale) ?? 2;
  if (v.scale !== undefined && format !== 'png')
    throw new LabError('invalid-input', '--scale applies to a .png --out only');
  if (![1, 2, 3, 4].includes(scale)) throw new LabError('invalid-input', `--scale: ${v.scale} is not 1, 2, 3 or 4`);
  const modes = [v.runs !== undefined, v.sim !== undefined, v.phase === true].filter(Boolean).length;
  if (modes > 1) throw new LabError('invalid-input', '--runs, --sim and --phase draw different figures: give one');
  if (v.chart !== undefined && v.sim === undefined) throw new LabError('invalid-input', '--chart applies to --sim');
  if ((v['colour-by'] !== undefined || v.mark !== undefined) && !v.phase)
    throw new LabError('invalid-input', '--colour-by and --mark apply to --phase');
  if ((v.path !== undefined || v['h-scale'] !== undefined) && !v.phase)
    throw new LabError('invalid-input', '--path and --h-scale apply to --phase');
  if (v['h-scale'] !== undefined && !['log', 'linear'].includes(v['h-scale']))
    throw new LabError('invalid-input', printed`--h-scale: "${v['h-scale']}" is not log or linear`);
  if (v.phase && v.path === undefined) {
    if (positionals.length > 0)
      throw new LabError('invalid-input', '--phase takes no SESSION (unless --path names a run of it)');
    const req = parseOrThrow(MomentumFigureSchema, phaseFigure(v, null), 'figure'); // bad flags before the --out checks
    const target = badInput(() => checkWritePath(resolve(v.out!), { force: v.force === true, what: '--out' }));
    return momentumFigure(io, target, format, scale, v.json === true, req);
  }
  const sessionKey = positionals[0];
  if (sessionKey === undefined) throw new LabError('invalid-input', 'name the session (its name or id)');
  if (v.db === undefined) throw new LabError('invalid-input', '--db PATH is required');
  if (v.phase) {
    if (v.runs !== undefined) throw new LabError('invalid-input', "--phase draws one run's path: give it as --path");
    const dbPath = resolve(v.db);
    if (!existsSync(dbPath)) throw new LabError('invalid-input', `--db: no session database at ${dbPath}`);
    const target = badInput(() =>
      checkWritePath(resolve(v.out!), { force: v.force === true, protect: [dbPath], what: '--out' }),
    );
    const store = new SessionStore(dbPath);
    let path: MapPath;
    try {
      path = runMapPath(store, badInput(() => findSession(store, sessionKey)).id, v.path!);
    } finally {
      store.close();
    }
    const req = parseOrThrow(MomentumFigureSchema, phaseFigure(v, path), 'figure');
    return momentumFigure(io, target, format, scale, v.json === true, req);
  }
  if (v.sim === undefined && (!v.runs || v.runs.length === 0))
    throw new LabError('invalid-input', '--runs is required (run names or ids, or "all"), or --sim, or --phase');
  const raw = {
    metrics: (v.metric ?? 'test-loss,train-loss').split(',').map((m) => m.trim()),
    x: v.x ?? 'iteration',
    smooth: numberFlag('smooth', v.smooth) ?? 0,
    caption: v.caption ?? null,
    yLog: v.log === true,
    accFull: v['acc-full'] === true,
  };
  const bad = raw.metrics.find((m) => !(FIGURE_METRICS as readonly string[]).includes(m));
  if (bad !== undefined)
    throw new LabError('invalid-input', printed`--metric: "${bad}" is not one of ${FIGURE_METRICS.join(', ')}`);
  if (!(FIGURE_X_AXES as readonly string[]).includes(raw.x))
    throw new LabError('invalid-input', printed`--x: "${raw.x}" is not one of ${FIGURE_X_AXES.join(', ')}`);
  if (raw.yLog && raw.metrics.some((m) => m.endsWith('acc')))
    throw new LabError('invalid-input', '--log applies to loss only');
  const dbPath = resolve(v.db);
  if (!existsSync(dbPath)) throw new LabError('invalid-input', `--db: no session database at ${dbPath}`);
  // The --out rules first (the same check as the app's save dialog): nothing is read when the file cannot be written.
  const target = badInput(() =>
    checkWritePath(resolve(v.out!), { force: v.force === true, protect: [dbPath], what: '--out' }),
  );
  const store = new SessionStore(dbPath);
  try {
    const session = badInput(() => findSession(store, sessionKey));
    if (v.sim !== undefined) {
      const key = v.sim;
      const sims = listSims(store.db, session.id);
      const named = sims.filter((m) => m.name === key);
      if (named.length > 1)
        throw new LabError(
          'invalid-input',
          printed`--sim: ${named.length} simulations are named "${key}"; name one by id`,
        );
      const sim = sims.find((m) => m.id === key) ?? named[0];
      if (!sim)
        throw new LabError(
          'invalid-input',
          printed`--sim: no simulation "${key}" in this session (${
            sims
              .slice(0, 12)
              .map((m) => m.name)
              .join(', ') || 'none'
          })`,
        );
      return momentumFigure(io, target, format, scale, v.json === true, {
        kind: 'sim',
        sim: parseOrThrow(SimulateRequestSchema, sim.request, '--sim'),
        chart: (v.chart ?? 'x') as (typeof SIM_CHARTS)[number],
        slots: null,
        caption: v.caption ?? null,
      });
    }
    const runs = pickRuns(store.listRuns(session.id), v.runs!);
    const req: CompareFigureRequest = parseOrThrow(
      CompareFigureSchema,
      { ...raw, runIds: runs.map((r) => r.id) },
      'figure',
    );
    const { renderCompareFigure } = await import('../figures/render-compare'); // d3 and resvg: only for this command
    const { figure, data } = renderCompareFigure(store, req, format, scale);
    const bytes = writeFileAtomic(target, data, 0o644);
    if (v.json)
      io.out(
        `${JSON.stringify({ path: target, format, bytes, width: figure.width * (format === 'png' ? scale : 1), height: figure.height * (format === 'png' ? scale : 1), caption: figure.caption, runs: runs.map((r) => ({ id: r.id, name: r.name })) })}\n`,
      );
    else
      io.out(
        printed`wrote ${target} (${figure.id}, ${runs.length} run${runs.length === 1 ? '' : 's'}, ${bytes} bytes)\n`,
      );
    return 0;
  } finally {
    store.close();
  }
}
