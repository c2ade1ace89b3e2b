import {
  OBJECTIVE_SPECS,
  ObjectiveRefSchema,
  objectiveSpec,
  type ObjectiveName,
  type SimulateRequestInput,
  type SimOptimizerKind,
} from '../../../src-core/contracts/sim-config';
import { makeObjective } from '../../../src-core/momentum/objectives/make-objective';
import { compareD } from './compare-d';
import type { PhaseDiagram } from '../../../src-core/momentum/phase-diagram';
import type { SimulateResult } from '../../../src-core/momentum/simulate';
import type { CurvaturePoint } from './curvature-marker';

export type Mode = '1d' | '2d';

const defaults = () =>
  Object.fromEntries(
    OBJECTIVE_SPECS.map((s) => [s.name, Object.fromEntries(s.params.map((p) => [p.name, p.default]))]),
  ) as Record<ObjectiveName, Record<string, number>>;

/** Everything the Momentum view's controls set, and the answers the simulator gave. */
export class MomentumState {
  mode = $state<Mode>('1d');
  obj1 = $state<ObjectiveName>('quadratic');
  obj2 = $state<ObjectiveName>('quadratic-2d');
  params = $state(defaults());
  lr = $state(0.1);
  /** The slider's momentum factor: the highlighted run. */
  d = $state(0.9);
  /**
   * Further d values drawn beside it, one list per mode. 1-D shows the
   * whole story at once (d = 1 and 1.1 included); 2-D starts readable on the
   * ill-conditioned quadratic (d = 0, 0.5 beside 0.9), with d = 1 and
   * d = 1.1 one click away in the legend.
   */
  dSet1 = $state<number[]>([0, 0.5, 1.0, 1.1]);
  dSet2 = $state<number[]>([0, 0.5]);
  get dSet(): number[] {
    return this.mode === '1d' ? this.dSet1 : this.dSet2;
  }
  set dSet(v: number[]) {
    if (this.mode === '1d') this.dSet1 = v;
    else this.dSet2 = v;
  }
  x0 = $state(1);
  start2 = $state<[number, number]>([-2, 1]);
  steps = $state(200);
  /** 2-D animation: the last step drawn. */
  frame = $state(200);

  result = $state.raw<SimulateResult | null>(null);
  compare = $state.raw<SimulateResult | null>(null);
  phase = $state.raw<PhaseDiagram | null>(null);
  error = $state<string | null>(null);
  /** Where the phase-diagram marker takes the local curvature of a non-quadratic objective. */
  curvatureAt = $state<CurvaturePoint>('minimum');
  /** Wall time of the last round trip (request -> answer), ms. */
  roundTripMs = $state(0);

  objective = $derived<ObjectiveName>(this.mode === '1d' ? this.obj1 : this.obj2);
  spec = $derived(objectiveSpec(this.objective));
  start = $derived(this.mode === '1d' ? [this.x0] : [this.start2[0], this.start2[1]]);
  /** d values of the runs, the slider's first (duplicates dropped). */
  ds = $derived([this.d, ...this.dSet.filter((v) => v !== this.d)]);
  /** The objective's constant Hessian eigenvalues, as the objective itself states them; null if it has none. */
  curvatures = $derived.by((): number[] | null => {
    const ref = ObjectiveRefSchema.safeParse({ name: this.objective, params: { ...this.params[this.objective] } });
    return ref.success ? makeObjective(ref.data).curvatures : null;
  });

  request = $derived<SimulateRequestInput>({
    objective: { name: this.objective, params: { ...this.params[this.objective] } },
    start: [...this.start],
    steps: this.steps,
    runs: this.ds.map((d) => ({ kind: 'heavy-ball' as const, lr: this.lr, d })),
  });

  compareRequest = $derived<SimulateRequestInput>({
    objective: { name: this.objective, params: { ...this.params[this.objective] } },
    start: [...this.start],
    steps: this.steps,
    runs: (['gd', 'heavy-ball', 'nesterov', 'adam'] as SimOptimizerKind[]).map((kind) => ({
      kind,
      lr: this.lr,
      d: compareD(kind, this.d),
    })),
  });

  setMode(mode: Mode): void {
    this.mode = mode;
    this.lr = this.spec.lr;
    this.frame = this.steps;
  }

  setObjective(name: ObjectiveName): void {
    if (objectiveSpec(name).dim === 1) this.obj1 = name;
    else this.obj2 = name;
    const spec = objectiveSpec(name);
    this.lr = spec.lr;
    if (spec.dim === 1) this.x0 = spec.start[0];
    else this.start2 = [spec.start[0], spec.start[1]];
    this.frame = this.steps;
  }

  /** A phase-diagram click: h = lr*lambdaRef, d; with no positive curvature (lambdaRef null) it sets d only. */
  loadPhasePoint(h: number, d: number, lambdaRef: number | null): void {
    if (lambdaRef !== null && lambdaRef > 0) this.lr = Number((h / lambdaRef).toPrecision(3));
    this.d = Math.round(d * 100) / 100;
  }
}
