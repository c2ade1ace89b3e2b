import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import {
  CancelSweepSchema,
  StartSweepSchema,
  SWEEP_AXES,
  type SweepGrid,
  type SweepItem,
  type SweepState,
  type SweepsApi,
} from '../../../src-core/contracts/api-sweeps';
import type { LabEvent } from '../../../src-core/contracts/lab-api';
import { LabError } from '../../../src-core/contracts/lab-error';
import { legendLabels } from '../../../src-core/contracts/session-legend';
import { TrainConfigSchema, type TrainConfig } from '../../../src-core/contracts/train-config';
import type { DatasetFiles, TrainerMessage } from '../../../src-core/contracts/train-protocol';
import { parseOrThrow } from '../../../src-core/contracts/validate';
import type { RunStudy, RunStudyKind, RunStudyPlace } from '../../../src-core/contracts/run-study';
import type { RunManager } from '../training/run-manager';
import type { TrainerPool } from '../training/trainer-pool';
import type { ServicesOf } from '../service-context';

// Sweeps: the grid's cartesian product, one run per combination, started on
// a pool of at most `workers` trainer processes, which a sweep's runs reuse
// (a process that ended a run cleanly takes the next: training/trainer-pool.ts);
// each run is recorded into the sweep's session by the store observer as it goes.

/** Every combination of the grid's values, applied to the base config (first axis varies slowest). */
export function expandGrid(base: TrainConfig, grid: SweepGrid): TrainConfig[] {
  let configs: TrainConfig[] = [{ ...base }];
  for (const axis of SWEEP_AXES) {
    const values = grid[axis];
    if (!values) continue;
    configs = configs.flatMap((c) => values.map((v) => ({ ...c, [axis]: v }) as TrainConfig));
  }
  return configs.map((c, i) => parseOrThrow(TrainConfigSchema, c, `sweep run ${i + 1}`));
}

interface Sweep {
  state: SweepState;
  configs: TrainConfig[];
  /** The study the sweep runs, with each run's seed group (recorded as the runs' study fields). */
  study: { study: RunStudy; seedGroups: string[] } | null;
  lastEmit: number;
  /** The sweep's trainer processes, closed once no run is queued or running. */
  pool: TrainerPool;
}

export class SweepService {
  readonly #sweeps = new Map<string, Sweep>();
  readonly #byRun = new Map<string, { sweep: Sweep; item: SweepItem }>();

  constructor(
    private readonly runs: RunManager,
    private readonly files: () => DatasetFiles,
    private readonly currentSession: () => number,
    private readonly emit: (event: LabEvent) => void,
    private readonly defaultWorkers = Math.max(1, availableParallelism()),
  ) {
    runs.observe((m) => this.#onMessage(m));
  }

  /** Where the recorder should put a run: its sweep's session. */
  placeOf(runId: string): { sessionId: number; sweepId: string; name: string; study: RunStudyPlace | null } | null {
    const hit = this.#byRun.get(runId);
    if (!hit) return null;
    const s = hit.sweep.study;
    const study = s ? { study: s.study, seedGroup: s.seedGroups[hit.item.index] ?? hit.item.label } : null;
    return { sessionId: hit.sweep.state.sessionId, sweepId: hit.sweep.state.id, name: hit.item.label, study };
  }

  /** Runs of unfinished sweeps (and studies, which run as sweeps) that will be saved into a session: queued and training. */
  pendingIn(sessionId: number): { sweeps: number; queued: number; running: number } {
    let sweeps = 0;
    let queued = 0;
    let running = 0;
    for (const s of this.#sweeps.values()) {
      if (s.state.sessionId !== sessionId) continue;
      const q = s.state.items.filter((it) => it.status === 'queued').length;
      const r = s.state.items.filter((it) => it.status === 'running').length;
      if (q + r > 0) sweeps++;
      queued += q;
      running += r;
    }
    return { sweeps, queued, running };
  }

  start(payload: unknown): SweepState {
    const req = parseOrThrow(StartSweepSchema, payload, 'startSweep');
    return this.startConfigs(expandGrid(req.base, req.grid), req.workers);
  }

  /** Queue already validated configs (a study's planned runs, which need not form a grid) as one sweep; names default to what differs. */
  startConfigs(
    configs: TrainConfig[],
    workers?: number,
    names?: string[],
    study?: { name: string; kind: RunStudyKind; seedGroups: string[] },
  ): SweepState {
    const labels = names ?? legendLabels(configs.map((config, i) => ({ name: `#${i + 1}`, config })));
    const id = randomUUID();
    const state: SweepState = {
      id,
      sessionId: this.currentSession(),
      workers: workers ?? this.defaultWorkers,
      items: configs.map((_, index) => ({
        index,
        label: labels[index],
        status: 'queued',
        runId: null,
        iter: 0,
        totalIters: 0,
        testAcc: null,
      })),
      done: false,
    };
    const sweep: Sweep = {
      state,
      configs,
      lastEmit: 0,
      pool: this.runs.pool(),
      study: study ? { study: { id, kind: study.kind, name: study.name }, seedGroups: study.seedGroups } : null,
    };
    this.#sweeps.set(state.id, sweep);
    this.#pump(sweep);
    return structuredClone(state);
  }

  cancel(payload: unknown): SweepState {
    const { sweepId, index } = parseOrThrow(CancelSweepSchema, payload, 'cancelSweep');
    const sweep = this.#sweeps.get(sweepId);
    if (!sweep) throw new LabError('not-found', `no sweep with id ${sweepId}`);
    const items = index === undefined ? sweep.state.items : sweep.state.items.filter((it) => it.index === index);
    if (items.length === 0) throw new LabError('not-found', `sweep has no run #${index}`);
    for (const it of items) {
      if (it.status === 'queued') it.status = 'cancelled';
      else if (it.status === 'running' && it.runId) void this.runs.cancel(it.runId);
    }
    this.#pump(sweep);
    this.#emit(sweep, true);
    return structuredClone(sweep.state);
  }

  list(): SweepState[] {
    return [...this.#sweeps.values()].map((s) => structuredClone(s.state));
  }

  #pump(sweep: Sweep): void {
    const items = sweep.state.items;
    let running = items.filter((it) => it.status === 'running').length;
    for (const it of items) {
      if (running >= sweep.state.workers) break;
      if (it.status !== 'queued') continue;
      try {
        const run = this.runs.start(sweep.configs[it.index], this.files(), 'sweep', sweep.pool);
        it.status = 'running';
        it.runId = run.runId;
        this.#byRun.set(run.runId, { sweep, item: it });
        running++;
      } catch (err) {
        it.status = 'failed';
        console.error('momentum-lab: a sweep run could not start:', err);
      }
    }
    sweep.state.done = items.every((it) => it.status !== 'queued' && it.status !== 'running');
    if (sweep.state.done) sweep.pool.close();
    this.#emit(sweep, true);
  }

  #onMessage(m: TrainerMessage): void {
    const hit = this.#byRun.get(m.runId);
    if (!hit) return;
    const { sweep, item } = hit;
    if (m.type === 'started') item.totalIters = m.totalIters;
    else if (m.type === 'batch') item.iter = m.iter;
    else if (m.type === 'eval') item.testAcc = m.point.testAcc;
    else if (m.type === 'end') {
      item.status = m.status;
      item.iter = m.iter;
      this.#pump(sweep);
      return;
    }
    this.#emit(sweep, false);
  }

  #emit(sweep: Sweep, force: boolean): void {
    const now = Date.now();
    if (!force && now - sweep.lastEmit < 250) return;
    sweep.lastEmit = now;
    this.emit({ channel: 'sweep', sweep: structuredClone(sweep.state) });
  }

  shutdown(): void {
    for (const s of this.#sweeps.values()) {
      for (const it of s.state.items) if (it.status === 'queued') it.status = 'cancelled';
      s.pool.close();
    }
  }
}

export function createSweepsServices(sweeps: SweepService): ServicesOf<SweepsApi> {
  return {
    startSweep: async (payload) => sweeps.start(payload),
    cancelSweep: async (payload) => sweeps.cancel(payload),
    listSweeps: async () => sweeps.list(),
  };
}
