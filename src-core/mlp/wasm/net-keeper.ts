import { FastNet, type FastNetOptions, type ImageSet } from './fast-net';

// A trainer process that serves several runs one after another keeps its last FastNet: a run asking for the same
// net (the same image arrays, subset, validation set, hidden size, batch, slots) gets it back reset
// (FastNet.resetRun: every byte the run writes zeroed, the packed images kept) instead of packing every image
// again; any other options build a new net in the old one's memory. Where the net packed every training image
// (no subset), another validation split of the same size (a seed study's next seed) is the same net too: it is
// handed over with FastNet.setValidation.

/** Builds (or hands back) the fast path's net for a run's options; null where the host lacks the kernels. */
export type NetSource = (o: FastNetOptions) => FastNet | null;

/** How the last net was obtained: reset from the previous run's, or built (packed) anew. */
type NetOrigin = 'reused' | 'built';

export class NetKeeper {
  #net: FastNet | null = null;
  #options: FastNetOptions | null = null;
  /** How the last net asked for was obtained (null: none asked for yet, e.g. the reference kernels). */
  last: NetOrigin | null = null;

  /** A NetSource over this keeper. */
  readonly source: NetSource = (o) => this.get(o);

  get(o: FastNetOptions): FastNet | null {
    const net0 = this.#net;
    if (net0 && this.#options && sameNet(this.#options, o, net0.validationSwappable)) {
      net0.resetRun();
      if (o.validation && !sameValidation(this.#options.validation, o.validation)) net0.setValidation(o.validation);
      this.#options = o;
      this.last = 'reused';
      return net0;
    }
    // The next net is built in the last one's memory (zeroed and grown as needed): the process keeps one memory,
    // however many nets it builds.
    const memory = this.#net?.memory;
    this.forget();
    const net = FastNet.create(memory ? { ...o, memory } : o);
    this.#net = net;
    this.#options = net ? o : null;
    this.last = 'built';
    return net;
  }

  /** Drops the kept net (after a run that failed: its memory is not trusted for the next). */
  forget(): void {
    this.#net = null;
    this.#options = null;
    this.last = null;
  }
}

function sameList(a: ArrayLike<number> | null | undefined, b: ArrayLike<number> | null | undefined): boolean {
  if (!a || !b) return !a && !b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameSet(a: ImageSet, b: ImageSet): boolean {
  return a.images === b.images && a.count === b.count && sameList(a.only, b.only);
}

type Validation = FastNetOptions['validation'];

function sameValidation(va: Validation, vb: Validation): boolean {
  return !va || !vb ? !va && !vb : sameList(va.images, vb.images) && sameList(va.labels, vb.labels);
}

/**
 * True when b would build the net a built: the same arrays by identity, the same subsets and sizes by value; with
 * `swappable` (the net packed every training image), validation sets of the same size count as the same.
 */
function sameNet(a: FastNetOptions, b: FastNetOptions, swappable: boolean): boolean {
  const va = a.validation ?? null;
  const vb = b.validation ?? null;
  const sameVal =
    va === null || vb === null ? va === vb : swappable ? va.images.length === vb.images.length : sameValidation(va, vb);
  return (
    a.inputs === b.inputs &&
    a.hidden === b.hidden &&
    a.maxBatch === b.maxBatch &&
    a.evalSlots === b.evalSlots &&
    a.evalChunk === b.evalChunk &&
    (a.firstLayer ?? 'auto') === (b.firstLayer ?? 'auto') &&
    (a.models ?? 1) === (b.models ?? 1) &&
    a.testLabels === b.testLabels &&
    sameSet(a.train, b.train) &&
    sameSet(a.test, b.test) &&
    sameVal
  );
}
