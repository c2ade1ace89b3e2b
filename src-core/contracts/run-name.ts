import type { TrainConfig } from './train-config';

// The default name of a training run: its settings, so a session's runs read as what they are
// ("LR 0.1 · BS 32 · HL 64 · 100/class · seed 1") rather than "Run 7". A user can rename a run (Sessions view).

const num = (v: number) => String(v);
/** An integer with thousands separators ("5,000"). */
const int = (v: number) => String(v).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** LR, BS, HL, then what differs from plain SGD (d, optimizer, activation, loss), the training set and the seed. */
export function describeRun(c: TrainConfig): string {
  const parts = [`LR ${num(c.lr)}`, `BS ${int(c.batchSize)}`, `HL ${int(c.hidden)}`];
  if (c.momentum !== 0) parts.push(c.optimizer === 'adam' ? `β1 ${num(c.momentum)}` : `d ${num(c.momentum)}`);
  if (c.optimizer !== 'heavy-ball') parts.push(c.optimizer === 'adam' ? 'Adam' : 'Nesterov');
  if (c.activation !== 'relu') parts.push(c.activation);
  if (c.loss !== 'ce') parts.push(c.loss.toUpperCase());
  parts.push(c.perClass === null ? 'all images' : `${int(c.perClass)}/class`);
  parts.push(`${num(c.epochs)} epoch${c.epochs === 1 ? '' : 's'}`);
  parts.push(`seed ${num(c.seed)}`);
  return parts.join(' · ');
}

/** The name itself if no run in `taken` has it, else "name (2)", "name (3)", … (the first free one). */
export function uniqueName(name: string, taken: ReadonlySet<string>): string {
  if (!taken.has(name)) return name;
  for (let n = 2; ; n++) if (!taken.has(`${name} (${n})`)) return `${name} (${n})`;
}
