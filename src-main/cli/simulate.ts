import { LabError } from '../../src-core/contracts/lab-error';
import {
  OBJECTIVE_NAMES,
  OBJECTIVE_SPECS,
  SIM_OPTIMIZERS,
  SimulateRequestSchema,
  objectiveSpec,
  type ObjectiveName,
} from '../../src-core/contracts/sim-config';
import { parseOrThrow } from '../../src-core/contracts/validate';
import { sessionNameFlag } from '../../src-core/contracts/text-rules';
import type { SimRun } from '../../src-core/momentum/types';
import type { SimulateResult } from '../../src-core/momentum/simulate';
import { cancellation } from '../../src-core/momentum/cancellation';
import { measuredStepFactor } from '../../src-core/momentum/theory/constant-gradient';
import type { EnvelopeForm } from '../../src-core/momentum/theory/envelope';
import { resolve } from 'node:path';
import type { SimulateRequest } from '../../src-core/contracts/sim-config';
import { createSimulatorServices } from '../services/simulator/simulator';
import { SimulatorClient } from '../services/simulator/simulator-client';
import { nodeLauncher } from '../workers/node-launcher';
import { numberFlag, type CliIo } from './cli-io';
import { optimizerOption, parseCommand, SHARED_OPTIONS, type CommandSpec, type OptionSpec } from './cli-options';
import { NOT_SAVED_EXIT, openCliLab } from './cli-db';

const PARAM_NAMES = [...new Set(OBJECTIVE_SPECS.flatMap((s) => s.params.map((p) => p.name)))];

/** One flag per objective parameter, its help naming the objectives that have it. */
const PARAM_OPTIONS: Record<string, OptionSpec> = Object.fromEntries(
  PARAM_NAMES.map((n) => {
    const owners = OBJECTIVE_SPECS.filter((s) => s.params.some((p) => p.name === n));
    const names = owners.map((s) => s.name).join(', ');
    const about =
      owners.length === 1
        ? `${owners[0].params.find((p) => p.name === n)!.description} (${names})`
        : `a parameter of ${names} (see --list)`;
    return [n, { type: 'string', arg: 'X', help: about }];
  }),
);

const SPEC = {
  usage: [
    'momentum-lab simulate --objective NAME [objective parameters] --lr LR --d D --x0 X[,Y] --steps N [--json]',
    'momentum-lab simulate --list',
  ],
  about: `Runs heavy-ball momentum (v <- d*v - lr*grad(x), x <- x + v) or another
optimizer on a 1-D or 2-D objective in the simulator worker.`,
  options: {
    objective: { type: 'string', arg: 'NAME', help: OBJECTIVE_NAMES.join(' | '), default: 'quadratic' },
    ...PARAM_OPTIONS,
    lr: { type: 'string', arg: 'LR', help: 'learning rate', default: "the objective's suggested rate" },
    d: {
      type: 'string',
      arg: 'D[,D...]',
      help: 'momentum factor(s); several values give several runs',
      default: '0.9',
    },
    optimizer: optimizerOption(SIM_OPTIMIZERS),
    beta2: { type: 'string', arg: 'B', help: "Adam's second-moment decay", default: '0.999' },
    'adam-eps': { type: 'string', arg: 'E', help: "Adam's denominator guard", default: '1e-8' },
    x0: {
      type: 'string',
      arg: 'X[,Y]',
      help: 'start point; write --x0=-1,2 when it starts with a minus',
      default: "the objective's default start",
    },
    steps: { type: 'string', arg: 'N', help: 'steps to run', default: '200' },
    db: { type: 'string', arg: 'PATH', help: 'save the simulation into this session database' },
    session: SHARED_OPTIONS.session,
    json: {
      type: 'boolean',
      help: 'print one JSON object: config, trajectories, velocities, gradient signs, flips, status, rate, theory',
    },
    list: { type: 'boolean', help: 'name the objectives and their parameters' },
  },
  after: `Exit codes: 0 the simulation ran (whatever its status), 2 bad arguments,
1 the worker failed.`,
} satisfies CommandSpec<Record<string, OptionSpec>>;

/** The command for the dispatcher (main.ts): its runner and its option table, the parser's and the help's. */
export const command = { run: simulateCommand, spec: SPEC };

const stringFlag = (raw: unknown): string | undefined => (typeof raw === 'string' ? raw : undefined);

function numberList(name: string, raw: string): number[] {
  return raw.split(',').map((part) => numberFlag(name, part) as number);
}

/** CLI flags -> the raw request (validated by the same schema as the IPC payloads). */
export function requestFromFlags(argv: string[]) {
  const { values } = parseCommand(argv, SPEC);
  const v = values as Record<string, string | boolean | undefined>;
  const name = (v.objective ?? 'quadratic') as string;
  if (!(OBJECTIVE_NAMES as readonly string[]).includes(name)) {
    throw new LabError(
      'invalid-input',
      `--objective: unknown objective "${name}" (known: ${OBJECTIVE_NAMES.join(', ')})`,
    );
  }
  const spec = objectiveSpec(name as ObjectiveName);
  const params: Record<string, number> = {};
  for (const p of PARAM_NAMES) {
    if (v[p] === undefined) continue;
    if (!spec.params.some((q) => q.name === p)) {
      const known = spec.params.map((q) => `--${q.name}`).join(', ') || 'none';
      throw new LabError('invalid-input', `--${p}: not a parameter of ${name} (its parameters: ${known})`);
    }
    params[p] = numberFlag(p, v[p] as string) as number;
  }
  const lr = v.lr === undefined ? spec.lr : (numberFlag('lr', v.lr as string) as number);
  const ds = v.d === undefined ? [0.9] : numberList('d', v.d as string);
  const kind = (v.optimizer ?? 'heavy-ball') as string;
  const beta2 = v.beta2 === undefined ? undefined : numberFlag('beta2', v.beta2 as string);
  const eps = v['adam-eps'] === undefined ? undefined : numberFlag('adam-eps', v['adam-eps'] as string);
  const start = v.x0 === undefined ? spec.start : numberList('x0', v.x0 as string);
  const steps = v.steps === undefined ? 200 : numberFlag('steps', v.steps as string);
  const raw = {
    objective: { name, params },
    start,
    steps,
    runs: ds.map((d) => ({
      kind,
      lr,
      d,
      ...(beta2 === undefined ? {} : { beta2 }),
      ...(eps === undefined ? {} : { eps }),
    })),
  };
  if (stringFlag(v.session) !== undefined && stringFlag(v.db) === undefined)
    throw new LabError('invalid-input', '--session needs --db PATH');
  const sessionFlag = stringFlag(v.session);
  const session = sessionFlag === undefined ? undefined : sessionNameFlag(sessionFlag); // the app's name rules
  return {
    request: parseOrThrow(SimulateRequestSchema, raw, 'simulate'),
    json: v.json === true,
    list: v.list === true,
    db: stringFlag(v.db),
    session,
  };
}

export function listText(): string {
  const lines = OBJECTIVE_SPECS.map((s) => {
    const params = s.params
      .map((p) => `--${p.name} ${p.default} (${p.description}; ${p.min}..${p.max})`)
      .join('\n      ');
    return `${s.name.padEnd(13)} ${s.dim}-D  ${s.formula}\n      start ${s.start.join(',')}, suggested --lr ${s.lr}${params ? `\n      ${params}` : ''}`;
  });
  return `Objectives:\n${lines.join('\n')}\n`;
}

/** Typed arrays as plain arrays, for JSON. */
function runJson(run: SimRun) {
  return {
    ...run,
    x: Array.from(run.x),
    y: run.y ? Array.from(run.y) : null,
    vx: Array.from(run.vx),
    vy: run.vy ? Array.from(run.vy) : null,
    f: Array.from(run.f),
    gradNorm: Array.from(run.gradNorm),
    theory: run.theory
      ? { ...run.theory, envelope: run.theory.envelope ? Array.from(run.theory.envelope) : null }
      : null,
    gradSign:
      run.dim === 1
        ? Array.from(run.gradSign)
        : Array.from({ length: run.length }, (_, t) => [run.gradSign[2 * t], run.gradSign[2 * t + 1]]),
    flipSteps: Array.from(run.flipSteps),
    stepSize: Array.from(run.stepSize),
  };
}

const num = (v: number) => String(Number(v.toPrecision(6)));

/** One direction's envelope in closed form: |x_t - x*| <= ... */
function formText(f: EnvelopeForm): string {
  switch (f.kind) {
    case 'complex':
      return `C*rho^t, C = ${num(f.C)}, rho = ${num(f.rho)} (complex roots)`;
    case 'double':
      return `(|a| + |b|*t)*rho^t, a = ${num(f.a)}, b = ${num(f.b)}, rho = ${num(f.rho)} (double root)`;
    case 'real':
      return `|a|*|mu1|^t + |b|*|mu2|^t, a = ${num(f.a)}, |mu1| = ${num(f.r1)}, b = ${num(f.b)}, |mu2| = ${num(f.r2)} (real roots)`;
  }
}

function summary(res: SimulateResult): string {
  const spec = objectiveSpec(res.objective.name);
  const params = Object.entries(res.objective.params)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  const head = `${spec.label} (${spec.formula}) ${params}; start ${res.start.join(',')}; ${res.steps} steps`;
  const rows = res.runs.map((r) => {
    const o = r.optimizer;
    const end = r.dim === 1 ? num(r.x[r.length - 1]) : `${num(r.x[r.length - 1])},${num(r.y![r.length - 1])}`;
    const parts = [
      `${o.kind} lr=${o.lr} d=${o.d}: ${r.status}`,
      `  ${r.message}`,
      `  x_end=${end}  flips=${r.flips.join(',')}  measured rate=${r.rate === null ? '-' : num(r.rate)}`,
    ];
    if (r.theory) {
      parts.push(`  theory: rho=${num(r.theory.rho)} regime=${r.theory.regime}; ${r.theory.explanation}`);
      if (r.theory.envelopeForms.length)
        parts.push(`  envelope (theory.envelope in --json): ${r.theory.envelopeForms.map(formText).join('; ')}`);
    }
    parts.push(`  flips: ${cancellation(r).sentence}`);
    if (r.constant) {
      parts.push(`  constant gradient: ${r.constant.explanation}`);
      const f = measuredStepFactor(r);
      if (f !== null) {
        const limit =
          r.constant.effectiveStep !== null
            ? `the limit 1/(1 - d) = ${num(1 / (1 - r.constant.d))}x`
            : 'no limit: it keeps growing';
        parts.push(`  measured: after ${r.length - 1} steps each step is ${num(f)}x a plain gradient step (${limit})`);
      }
    }
    return parts.join('\n');
  });
  return `${head}\n${rows.join('\n')}\n`;
}

async function simulateCommand(argv: string[], io: CliIo): Promise<number> {
  const { request, json, list, db, session } = requestFromFlags(argv);
  if (list) {
    io.out(json ? `${JSON.stringify(OBJECTIVE_SPECS)}\n` : listText());
    return 0;
  }
  if (db !== undefined) return simulateIntoSession(request, json, resolve(db), session, io);
  const client = new SimulatorClient(nodeLauncher);
  try {
    const result = await createSimulatorServices(client).simulate(request);
    if (json) {
      io.out(`${JSON.stringify({ config: request, computeMs: result.computeMs, runs: result.runs.map(runJson) })}\n`);
    } else {
      io.out(summary(result));
    }
    return 0;
  } finally {
    client.shutdown();
  }
}

/** The same simulation through the whole services table, so it is saved into a session like one run in the app. */
async function simulateIntoSession(
  request: SimulateRequest,
  json: boolean,
  dbPath: string,
  session: string | undefined,
  io: CliIo,
): Promise<number> {
  const lab = openCliLab({ dbPath }, 'nothing was simulated');
  try {
    if (session !== undefined) lab.store.openOrCreateSession(session);
    const sessionName = lab.store.session(lab.store.currentSessionId()).name;
    const result = await lab.services.simulate(request);
    const outcome = lab.flushSims() ?? { saved: true, reason: null }; // null: the same settings were saved just before
    if (json)
      io.out(
        `${JSON.stringify({ config: request, computeMs: result.computeMs, runs: result.runs.map(runJson), saved: outcome.saved, savedTo: { db: dbPath, session: sessionName }, notSaved: outcome.reason })}\n`,
      );
    else
      io.out(
        `${summary(result)}${outcome.saved ? `saved into session "${sessionName}" of ${dbPath}` : `not saved: ${outcome.reason}`}\n`,
      );
    if (!outcome.saved) io.err(`momentum-lab simulate: not saved: ${outcome.reason}\n`);
    return outcome.saved ? 0 : NOT_SAVED_EXIT;
  } finally {
    lab.shutdown(); // saves the pending simulation, then closes the database
  }
}
