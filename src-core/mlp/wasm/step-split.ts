import type { KernelExports, WasmMemory } from './instance';

// Two threads step ONE run (docs/PERFORMANCE.md, "Both cores on one run"): the run's thread (A, FastNet) and a
// helper thread (B, src-core/node/step-thread-main.ts) with its own instance of the kernels on the same shared
// memory. Each training step:
//   forward   the hidden layer on lanes [0, lanes) on A, [lanes, H) on B (forwardLanes; the dense kernels split by
//             images instead, at a multiple of 4, their groups of four images);
//   barrier;  the output layer and the loss head on A alone (its float64 loss sum in image order, as on one thread);
//   backward  hidden lanes [0, lanes) on A, [lanes, H) on B (backwardLanes); gb2 on A; each thread marks the
//             touched rows in its own mark/list, so both lists hold the same rows;
//   barrier;  (the trainer reads the gradients it samples, checks the loss)
//   step      each thread its lanes of W1 (the touched rows, or with momentum or the dense kernels every row), b1
//             and w2; b2 on A;
//   barrier.
// Each lane's sums run over the same terms in the same order whatever the range, and an element's step reads only
// that element: same seed, same numbers, bit for bit, with one thread or two (tested in step-split.test.ts). Each
// thread keeps to its own lanes of W1, its gradient and velocity, so those cache lines stay on one core. The
// barriers spin on words of a control block in the shared memory (Atomics.load) for a bounded count, then sleep
// (Atomics.wait/notify), so a thread left waiting does not hold a core another thread needs; and each window of
// steps runs on two threads or one, whichever measured faster (TwoOrOne), since two pay only while the other core
// is free.

/** Bytes of the control block (int32 words, then lr and d as float64 at byte 64). */
export const SPLIT_CTRL_BYTES = 128;

/** Atomics.load polls before a waiting thread sleeps. */
export const SPLIT_SPIN = 2000;

/** Steps per measured window of the mode chooser (TwoOrOne). */
const WINDOW = 16;
/** Windows between runs of the mode that measured slower (doubled while it stays slower, up to PROBE_MAX). */
const PROBE_MIN = 8;
const PROBE_MAX = 64;

/**
 * Chooses, window by window, whether steps run on two threads or one, by the wall time per step each mode took in
 * its latest window: two threads pay only while the other core is free (not taken by the evaluation thread or
 * another process). The slower mode is run again now and then (every PROBE_MIN windows, backing off to PROBE_MAX
 * while it stays slower), so a change of load is seen. The numbers are the same either way: only speed changes.
 */
class TwoOrOne {
  /** Latest measured wall ms per step: [one thread, two threads]. */
  readonly cost = [NaN, NaN];
  /** Steps taken in each mode. */
  readonly steps = [0, 0];
  private window = 0;
  private inWindow = 0;
  private spent = 0;
  private mode = 1;
  private probing = false;
  private probeEvery = PROBE_MIN;
  private nextProbe = PROBE_MIN;
  private t0 = 0;

  constructor(private readonly now: () => number) {}

  /** At the start of a step: true to split it. */
  begin(): boolean {
    if (this.inWindow === 0) this.choose();
    this.t0 = this.now();
    return this.mode === 1;
  }

  /** At the end of the step begun last. */
  end(): void {
    this.spent += this.now() - this.t0;
    this.steps[this.mode]++;
    if (++this.inWindow < WINDOW) return;
    this.cost[this.mode] = this.spent / WINDOW;
    this.spent = 0;
    this.inWindow = 0;
    this.window++;
    if (this.probing) {
      // The probed mode still slower: look again later; faster: it is taken from now on, and probing starts over.
      this.probeEvery =
        this.cost[this.mode] < this.cost[1 - this.mode] ? PROBE_MIN : Math.min(this.probeEvery * 2, PROBE_MAX);
      this.nextProbe = this.window + this.probeEvery;
      this.probing = false;
    }
  }

  private choose(): void {
    const [one, two] = this.cost;
    if (Number.isNaN(two)) this.mode = 1;
    else if (Number.isNaN(one)) this.mode = 0;
    else {
      const best = two <= one ? 1 : 0;
      this.probing = this.window >= this.nextProbe;
      this.mode = this.probing ? 1 - best : best;
    }
  }
}

const CMD = 0; // A: sequence number of the latest command
const OP = 1; // A: what the command asks
const DONE = 2; // B: sequence number of the latest command done
const OK = 3; // B: 1 if the weights it stepped are all finite
const COUNT = 4; // A: the batch size
const FROM = 5; // A: B's first image of the forward pass
const ACT = 6; // A: the activation code
const READY = 7; // B: 1 once it serves commands
const DEAD = 8; // B: 1 if it failed
const SLEEP_A = 9; // 1 while A sleeps on DONE
const SLEEP_B = 10; // 1 while B sleeps on CMD
const FWD_A = 11; // A: sequence number of the latest forward whose hidden lanes A has done
const FWD_B = 12; // B: the same for B
const B_CORRECT = 13; // B: right answers among its images
const LOSS = 14; // A: the loss code
const WORDS = 16;

/** What a command asks of the helper (word OP). */
const OPS = { forward: 1, backward: 2, step: 3, exit: 4, ping: 5 } as const;

interface ParamsAt {
  w1: number;
  b1: number;
  w2: number;
  b2: number;
}

/** A thread's touched-row mark bytes, row list and its length (byte offsets). */
export interface RowMarks {
  mark: number;
  list: number;
  listLen: number;
}

/** Where the two threads' shared work lies in the memory (byte offsets), and how it is split. */
export interface StepSplitPlan {
  ctrl: number;
  inputs: number;
  hidden: number;
  /** A steps hidden lanes [0, lanes), B [lanes, hidden). */
  lanes: number;
  a: number;
  z: number;
  dz: number;
  dh: number;
  y: number;
  pr: number;
  head: number;
  p: ParamsAt;
  g: ParamsAt;
  v: ParamsAt;
  start: number;
  packed: number;
  unit: number;
  idx: number;
  /** The helper's own touched rows, and its loss head's scratch. */
  helper: RowMarks;
  helperPr: number;
  /** The loss of each image of the batch (f64), summed in order by A. */
  rowLosses: number;
  /** Dense first layer: where the kept grey images start (0: the sparse kernels on start/packed). */
  dense: number;
  /** The dense kernels' widened groups of the batch. */
  xs: number;
  /** Polls before sleeping (SPLIT_SPIN). */
  spin: number;
  /** The largest batch. */
  maxBatch: number;
}

/**
 * Where hidden lanes are split: a multiple of 4 that balances the two threads' passes over the nonzeros (the kernels
 * walk 32 lanes per pass, then 4, then 1; each pass re-reads the image's nonzeros).
 */
export function splitLanes(H: number): number {
  const cost = (w: number) => {
    const p32 = Math.floor(w / 32);
    const p4 = Math.floor((w - 32 * p32) / 4);
    const p1 = w - 32 * p32 - 4 * p4;
    return p32 * 11 + p4 * 4 + p1 * 4;
  };
  let best = 0;
  let bestCost = Infinity;
  for (let j = 4; j < H; j += 4) {
    const c = Math.max(cost(j), cost(H - j));
    if (c < bestCost) {
      bestCost = c;
      best = j;
    }
  }
  return best;
}

/** Waits until word i of c is at least value: polls spin times, then sleeps (sleep: the word that says so). */
function waitFor(c: Int32Array, i: number, value: number, sleep: number, spin: number, dead: () => boolean): void {
  for (let n = 0; n < spin; n++) if (Atomics.load(c, i) >= value) return;
  for (;;) {
    const cur = Atomics.load(c, i);
    if (cur >= value) return;
    if (dead()) throw new Error('the step thread failed');
    Atomics.store(c, sleep, 1);
    Atomics.wait(c, i, cur, 100);
    Atomics.store(c, sleep, 0);
  }
}

/** Sets word i of c to value and wakes the other thread if it sleeps (sleep: the word that says so). */
function signal(c: Int32Array, i: number, value: number, sleep: number): void {
  Atomics.store(c, i, value);
  if (Atomics.load(c, sleep) !== 0) Atomics.notify(c, i);
}

function ctrlViews(memory: WasmMemory, ctrl: number) {
  return { c: new Int32Array(memory.buffer, ctrl, WORDS), f: new Float64Array(memory.buffer, ctrl + 64, 2) };
}

/** The run thread's side (A): issues each phase to the helper, does its own half, waits for the helper's. */
export class StepSplit {
  private readonly c: Int32Array;
  private readonly f: Float64Array;
  private readonly losses: Float64Array;
  private readonly headOut: DataView;
  private seq = 0;
  private ready = false;
  private closed = false;
  private timed = false;
  /** Steps split so far (without a chooser; with one, chooser.steps[1]). */
  splitCount = 0;
  /** Whether each step is split (measured); null: every step is, once the helper is ready. */
  readonly chooser: TwoOrOne | null;

  constructor(
    private readonly k: KernelExports,
    memory: WasmMemory,
    readonly plan: StepSplitPlan,
    private readonly own: RowMarks,
    now: (() => number) | null,
  ) {
    this.chooser = now ? new TwoOrOne(now) : null;
    const v = ctrlViews(memory, plan.ctrl);
    this.c = v.c;
    this.f = v.f;
    this.losses = new Float64Array(memory.buffer, plan.rowLosses, Math.max(1, plan.maxBatch));
    this.headOut = new DataView(memory.buffer, plan.head, 16);
  }

  /** True once the helper serves commands (until then, and after close, the run steps on one thread). */
  get live(): boolean {
    if (!this.ready && !this.closed) this.ready = Atomics.load(this.c, READY) === 1;
    return this.ready && !this.closed;
  }

  /** At the start of a step: true to split it (the helper is ready, and the chooser, if any, says so). */
  begin(): boolean {
    this.timed = this.live && this.chooser !== null;
    if (!this.live) return false;
    return this.chooser ? this.chooser.begin() : true;
  }

  /** At the end of the step begun last, split or not (the chooser measures its wall time). */
  end(): void {
    if (this.timed) this.chooser!.end();
    this.timed = false;
  }

  /** Forward, loss head and backward of the batch in idx[0 .. count) (set by FastNet.setBatch). */
  lossGrad(act: number, loss: number, count: number): void {
    const { k, plan: q } = this;
    this.splitCount++;
    this.c[COUNT] = count;
    this.c[ACT] = act;
    if (q.dense) {
      // The dense kernels split by images, at a multiple of four (their widened groups).
      const s = Math.min(count, 4 * Math.ceil(count / 8));
      this.c[FROM] = s;
      if (s < count) this.issue(OPS.forward);
      forwardImages(k, q, 0, s, act);
      if (s < count) this.await();
    } else {
      // Both threads need both halves of every hidden row for the output layer: a two-sided barrier, then each
      // thread the output layer and the loss head of half the images; A sums the per-image losses in order.
      const s = Math.ceil(count / 2);
      this.c[FROM] = s;
      this.c[LOSS] = loss;
      this.issue(OPS.forward);
      forwardPart(k, q, count, act, 0, q.lanes);
      signal(this.c, FWD_A, this.seq, SLEEP_B);
      waitFor(this.c, FWD_B, this.seq, SLEEP_A, q.spin, this.dead);
      k.outputRows(q.a, q.z, q.hidden, q.p.w2, q.p.b2, 0, s);
      let correct = k.trainHeadRows(q.z, q.y, 0, s, count, loss, q.dz, q.pr, q.rowLosses);
      this.await();
      correct += Atomics.load(this.c, B_CORRECT);
      let total = 0;
      for (let b = 0; b < count; b++) total += this.losses[b];
      this.headOut.setFloat64(0, total / count, true);
      this.headOut.setInt32(8, correct, true);
      this.issue(OPS.backward);
      backwardPart(k, q, this.own, count, act, 0, q.lanes);
      this.await();
      return;
    }
    k.trainHead(q.z, q.y, count, loss, q.dz, q.pr, q.head);
    this.issue(OPS.backward);
    backwardPart(k, q, this.own, count, act, 0, q.lanes);
    this.await();
  }

  /** The heavy-ball step of every parameter (as FastNet.stepHeavyBall); false if some weight is not finite. */
  step(lr: number, d: number): boolean {
    const { k, plan: q } = this;
    const { p, g, v } = q;
    this.f[0] = lr;
    this.f[1] = d;
    this.issue(OPS.step);
    let ok = stepPart(k, q, this.own, lr, d, 0, q.lanes);
    ok &= k.step(p.b2, g.b2, v.b2, 10, lr, d);
    this.await();
    return (ok & Atomics.load(this.c, OK)) === 1;
  }

  /** One round trip through a barrier with no work (the helper runs a forward pass of no images): its sync cost. */
  ping(): void {
    this.issue(OPS.ping);
    this.await();
  }

  /** Clears the helper's touched rows (after a step by another optimizer; the helper is idle between commands). */
  clearHelperRows(): void {
    const h = this.plan.helper;
    this.k.clearRows(h.mark, h.list, h.listLen);
  }

  /** Tells the helper to return; the run steps on one thread from now on. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.issue(OPS.exit);
  }

  private issue(op: number): void {
    this.c[OP] = op;
    signal(this.c, CMD, ++this.seq, SLEEP_B);
  }

  private readonly dead = () => Atomics.load(this.c, DEAD) !== 0;

  private await(): void {
    waitFor(this.c, DONE, this.seq, SLEEP_A, this.plan.spin, this.dead);
  }
}

/** The dense kernels' forward pass of the batch's images [s, e) (idx, a, z rows from s; widened groups from s / 4). */
function forwardImages(k: KernelExports, q: StepSplitPlan, s: number, e: number, act: number): void {
  const { p } = q;
  const H = q.hidden;
  const head = [q.a + s * H * 4, q.z + s * 40, H, p.w1, p.b1, p.w2, p.b2] as const;
  const xs = q.xs + (s / 4) * q.inputs * 64;
  k.forwardDense(...head, q.dense, q.inputs, q.unit, q.idx + s * 4, e - s, act, xs, 1);
}

/** The sparse kernels' hidden layer on lanes [j0, j1) for the whole batch (then outputRows on A). */
function forwardPart(k: KernelExports, q: StepSplitPlan, count: number, act: number, j0: number, j1: number): void {
  const { p } = q;
  k.forwardLanes(q.a, q.hidden, p.w1, p.b1, q.start, q.packed, q.unit, q.idx, count, act, j0, j1);
}

/** The backward pass on hidden lanes [j0, j1) (gb2 with the lanes from 0), touched rows marked in m (sparse). */
function backwardPart(
  k: KernelExports,
  q: StepSplitPlan,
  m: RowMarks,
  count: number,
  act: number,
  j0: number,
  j1: number,
): void {
  const { p, g } = q;
  const head = [q.a, q.dz, q.dh, q.hidden, p.w2, g.w1, g.b1, g.w2, g.b2] as const;
  const b2 = j0 === 0 ? 1 : 0;
  if (q.dense) k.backwardDenseLanes(...head, q.xs, q.inputs, count, act, j0, j1, b2);
  else k.backwardLanes(...head, q.start, q.packed, q.unit, q.idx, count, act, m.mark, m.list, m.listLen, j0, j1, b2);
}

/**
 * The step of W1, b1 and w2 on lanes [j0, j1): the touched rows of W1 (plain SGD, sparse) or all of them. Each thread
 * keeps to its own lanes of the weights, gradients and velocities, so (with 64-byte aligned rows) no cache line of
 * them moves between the cores. Returns 1 if all stepped weights are finite.
 */
function stepPart(k: KernelExports, q: StepSplitPlan, m: RowMarks, lr: number, d: number, j0: number, j1: number) {
  const { p, g, v } = q;
  const H = q.hidden;
  let ok: number;
  if (d === 0 && !q.dense) ok = k.stepRowsLanes(p.w1, g.w1, v.w1, j0, j1, lr, d, m.mark, m.list, m.listLen);
  else {
    k.clearRows(m.mark, m.list, m.listLen);
    ok = k.stepLanes(p.w1, g.w1, v.w1, q.inputs, H, j0, j1, lr, d);
  }
  const o = j0 * 4;
  ok &= k.step(p.b1 + o, g.b1 + o, v.b1 + o, j1 - j0, lr, d);
  ok &= k.stepLanes(p.w2, g.w2, v.w2, 10, H, j0, j1, lr, d);
  return ok;
}

/**
 * The helper's side (B): serves A's commands on its own kernel instance until told to exit. Blocks its thread (it
 * runs nothing else). A failure sets the control block's DEAD word, so A stops waiting and fails the run.
 */
export function serveStepSplit(k: KernelExports, memory: WasmMemory, q: StepSplitPlan): void {
  const { c, f } = ctrlViews(memory, q.ctrl);
  const H = q.hidden;
  let seq = Atomics.load(c, CMD);
  Atomics.store(c, READY, 1);
  try {
    for (;;) {
      seq++;
      waitFor(c, CMD, seq, SLEEP_B, q.spin, () => false);
      const op = c[OP];
      if (op === OPS.exit) return;
      let ok = 1;
      const count = c[COUNT];
      const act = c[ACT];
      if (op === OPS.forward) {
        if (q.dense) forwardImages(k, q, c[FROM], count, act);
        else {
          forwardPart(k, q, count, act, q.lanes, H);
          signal(c, FWD_B, seq, SLEEP_A);
          waitFor(c, FWD_A, seq, SLEEP_B, q.spin, () => false);
          const s = c[FROM];
          k.outputRows(q.a, q.z, H, q.p.w2, q.p.b2, s, count);
          const right = k.trainHeadRows(q.z, q.y, s, count, count, c[LOSS], q.dz, q.helperPr, q.rowLosses);
          Atomics.store(c, B_CORRECT, right);
        }
      } else if (op === OPS.backward) {
        backwardPart(k, q, q.helper, count, act, q.lanes, H);
      } else if (op === OPS.step) {
        ok = stepPart(k, q, q.helper, f[0], f[1], q.lanes, H);
      }
      Atomics.store(c, OK, ok);
      signal(c, DONE, seq, SLEEP_A);
    }
  } catch (err) {
    Atomics.store(c, DEAD, 1);
    Atomics.notify(c, DONE);
    throw err;
  }
}
