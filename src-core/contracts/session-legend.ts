import { grouped } from '../grouped';
import type { TrainConfig } from './train-config';

// Legends built from what differs between runs: comparing LR 0.01, 0.1 and 1
// at otherwise equal settings gives the labels "LR 0.01", "LR 0.1", "LR 1"
// and the summary "LR 0.01 / 0.1 / 1".

interface Axis {
  key: keyof TrainConfig;
  label: string;
  show: (c: TrainConfig) => string;
}

const AXES: Axis[] = [
  { key: 'lr', label: 'LR', show: (c) => String(c.lr) },
  { key: 'batchSize', label: 'BS', show: (c) => String(c.batchSize) },
  { key: 'hidden', label: 'HL', show: (c) => String(c.hidden) },
  // Training-set size in images: "all" or the class-balanced subset's size ("1,000").
  { key: 'perClass', label: 'N', show: (c) => (c.perClass === null ? 'all' : grouped(c.perClass * 10)) },
  { key: 'epochs', label: 'EPOCHS', show: (c) => String(c.epochs) },
  { key: 'momentum', label: 'd', show: (c) => String(c.momentum) },
  { key: 'optimizer', label: 'OPT', show: (c) => c.optimizer },
  { key: 'activation', label: 'ACT', show: (c) => c.activation },
  { key: 'loss', label: 'LOSS', show: (c) => c.loss.toUpperCase() },
  { key: 'validation', label: 'VAL', show: (c) => (c.validation > 0 ? grouped(c.validation) : 'none') },
  { key: 'earlyStop', label: 'ES', show: (c) => (c.earlyStop === null ? 'off' : String(c.earlyStop)) },
  { key: 'trainLossMode', label: 'train loss', show: (c) => c.trainLossMode },
  { key: 'seed', label: 'seed', show: (c) => String(c.seed) },
  // evalEvery is left out: how often a run is measured does not change how it trains (a study sets it per run).
];

/**
 * A run's main settings on one line, "LR 0.1 · BS 32 · HL 64 · N 1,000", with the training-set size, d, the
 * optimizer and the activation whenever they are not the defaults, so runs that differ never read the same.
 */
export function runSettings(c: TrainConfig): string {
  const parts = [
    `LR ${c.lr}`,
    `BS ${c.batchSize}`,
    `HL ${c.hidden}`,
    `N ${c.perClass === null ? 'all' : grouped(c.perClass * 10)}`,
    `EPOCHS ${c.epochs}`,
  ];
  if (c.momentum !== 0) parts.push(`d ${c.momentum}`);
  if (c.optimizer !== 'heavy-ball') parts.push(c.optimizer);
  if (c.activation !== 'relu') parts.push(c.activation);
  if (c.loss !== 'ce') parts.push(c.loss.toUpperCase());
  return parts.join(' · ');
}

export interface LegendRun {
  name: string;
  config: TrainConfig;
}

/** The settings whose values are not all equal across the runs. */
export function differingAxes(configs: readonly TrainConfig[]): Axis[] {
  return AXES.filter((a) => new Set(configs.map((c) => a.show(c))).size > 1);
}

/** One label per run ("LR 0.1, BS 32"); runs with equal settings are told apart by name. */
export function legendLabels(runs: readonly LegendRun[]): string[] {
  const axes = differingAxes(runs.map((r) => r.config));
  const labels = runs.map((r) =>
    axes.length === 0 ? r.name : axes.map((a) => `${a.label} ${a.show(r.config)}`).join(', '),
  );
  // Counted once (not indexOf per label): a session of 20,000 runs has 20,000 labels.
  const count = new Map<string, number>();
  for (const l of labels) count.set(l, (count.get(l) ?? 0) + 1);
  return labels.map((l, i) => (count.get(l)! > 1 ? `${l} (${runs[i].name})` : l));
}

/**
 * Labels for runs that already carry descriptive names (a study's "N 10 (1/class)", "d 0.5, LR 0.05"): the name,
 * then every differing setting the name does not mention ("N 1000 (100/class) · EPOCHS 40"), so a legend shows all
 * that differs without repeating what the name says.
 */
export function namedLegendLabels(runs: readonly LegendRun[]): string[] {
  const axes = differingAxes(runs.map((r) => r.config));
  const escape = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return runs.map((r) => {
    const missing = axes.filter((a) => !new RegExp(`(^|[\\s,(·;])${escape(a.label)}[\\s:]`).test(r.name));
    return [r.name, ...missing.map((a) => `${a.label} ${a.show(r.config)}`)].join(' · ');
  });
}

/** "LR 0.01 / 0.1 / 1" — the differing settings with their values in run order; '' when nothing differs. */
export function legendSummary(runs: readonly LegendRun[]): string {
  const axes = differingAxes(runs.map((r) => r.config));
  return axes
    .map((a) => {
      const values = [...new Set(runs.map((r) => a.show(r.config)))];
      return `${a.label} ${values.join(' / ')}`;
    })
    .join('; ');
}

/**
 * A report caption for a comparison, in trainCaption's style: settings every
 * run shares as "BS:32", differing ones as "LR: 0.01 / 0.1 / 1", e.g.
 * "Test accuracy; LR: 0.01 / 0.1; BS:32; EPOCHS: 4; HL: 64."
 */
export function comparisonCaption(title: string, configs: readonly TrainConfig[]): string {
  if (configs.length === 0) return `${title}.`;
  const differing = new Set(differingAxes(configs).map((a) => a.key));
  const values = (a: Axis) => [...new Set(configs.map((c) => a.show(c)))].join(' / ');
  const parts: string[] = [];
  const base: [keyof TrainConfig, string, string][] = [
    ['batchSize', 'BS:', ''],
    ['lr', 'LR:', ''],
    ['epochs', 'EPOCHS: ', ''],
    ['hidden', 'HL: ', ''],
  ];
  const axisOf = (k: keyof TrainConfig) => AXES.find((a) => a.key === k)!;
  // Differing settings first: they are what the figure is about.
  for (const a of AXES) if (differing.has(a.key)) parts.push(`${a.label}: ${values(a)}`);
  for (const [key, label] of base) if (!differing.has(key)) parts.push(`${label}${axisOf(key).show(configs[0])}`);
  const c = configs[0];
  if (!differing.has('momentum') && c.momentum !== 0) parts.push(`d: ${c.momentum}`);
  if (!differing.has('optimizer') && c.optimizer !== 'heavy-ball') parts.push(`OPT: ${c.optimizer}`);
  if (!differing.has('activation') && c.activation !== 'relu') parts.push(`ACT: ${c.activation}`);
  if (!differing.has('perClass') && c.perClass !== null)
    parts.push(`N: ${grouped(c.perClass * 10)} (${c.perClass}/class)`);
  return `${[title, ...parts].join('; ')}.`;
}
