import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_CONFIG, TrainConfigSchema, type TrainConfig } from '../../../src-core/contracts/train-config';
import { main } from '../../cli/main';
import type { WorkerHandle, WorkerLauncher, WorkerName } from '../../workers/worker-handle';
import { invokeService } from '../invoke';
import { createLab } from '../services';

// Hostile hyperparameters are refused before any worker starts: in the
// schema (which the form uses), through invokeService('startTraining') (the
// IPC layer), and by the CLI (exit 2, one line, no stack).

type NumericField = Exclude<keyof TrainConfig, 'optimizer' | 'activation' | 'loss'>;
const NUMERIC: { field: NumericField; flag: string; zeroOk: boolean }[] = [
  { field: 'hidden', flag: 'hidden', zeroOk: false },
  { field: 'batchSize', flag: 'batch', zeroOk: false },
  { field: 'lr', flag: 'lr', zeroOk: false },
  { field: 'epochs', flag: 'epochs', zeroOk: false },
  { field: 'momentum', flag: 'momentum', zeroOk: true },
  { field: 'seed', flag: 'seed', zeroOk: true },
  { field: 'evalEvery', flag: 'eval-every', zeroOk: false },
  { field: 'perClass', flag: 'per-class', zeroOk: false },
];
const HOSTILE: { label: string; value: number }[] = [
  { label: 'NaN', value: NaN },
  { label: 'Infinity', value: Infinity },
  { label: '-Infinity', value: -Infinity },
  { label: '-0', value: -0 },
  { label: 'negative', value: -1 },
  { label: 'zero', value: 0 },
  { label: 'absurdly large', value: 1e308 },
  { label: 'past 2^53', value: 2 ** 53 + 2 },
  { label: 'large', value: 1e7 },
];
/** Would the lab accept this value for this field? (zero is fine for momentum and seed; momentum stops at 2, lr at 1e4.) */
const acceptable = (field: NumericField, value: number) =>
  (value === 0 && !Object.is(value, -0) && NUMERIC.find((n) => n.field === field)!.zeroOk) ||
  (field === 'seed' && value === 1e7);
const OTHER_BAD: { field: keyof TrainConfig; value: unknown }[] = [
  { field: 'hidden', value: 1.5 },
  { field: 'hidden', value: '64' },
  { field: 'lr', value: '0.1' },
  { field: 'lr', value: null },
  { field: 'lr', value: 1e4 + 1 },
  { field: 'momentum', value: 2.0001 },
  { field: 'epochs', value: true },
  { field: 'optimizer', value: 'sgd; DROP TABLE runs' },
  { field: 'activation', value: '' },
  { field: 'loss', value: 'CE' },
  { field: 'seed', value: 2 ** 32 },
  { field: 'perClass', value: 100_001 },
];

const cases = NUMERIC.flatMap(({ field, flag }) =>
  HOSTILE.filter((h) => !acceptable(field, h.value)).map((h) => ({ field, flag, ...h })),
);

function countingLauncher() {
  const launches: WorkerName[] = [];
  const launcher: WorkerLauncher = <In, Out>(name: WorkerName): WorkerHandle<In, Out> => {
    launches.push(name);
    return { post: () => {}, onMessage: () => {}, onExit: () => {}, kill: () => {}, pid: undefined };
  };
  return { launches, launcher };
}

describe('hostile hyperparameters are refused before a worker starts', () => {
  it(`the schema refuses every one (${cases.length + OTHER_BAD.length} cases), naming the field`, () => {
    for (const c of [...cases, ...OTHER_BAD]) {
      const r = TrainConfigSchema.safeParse({ ...DEFAULT_TRAIN_CONFIG, [c.field]: c.value });
      expect(r.success, `${c.field} = ${String(c.value)}`).toBe(false);
      if (!r.success) expect(r.error.issues[0].path[0]).toBe(c.field);
    }
    expect(TrainConfigSchema.safeParse(DEFAULT_TRAIN_CONFIG).success).toBe(true);
  });

  it('startTraining through invokeService refuses every one with invalid-input and starts no worker', async () => {
    const { launches, launcher } = countingLauncher();
    const lab = createLab({ launcher, emit: () => {}, pickDatasetFiles: async () => null });
    try {
      for (const c of [...cases, ...OTHER_BAD]) {
        const r = await invokeService(lab.services, 'startTraining', { ...DEFAULT_TRAIN_CONFIG, [c.field]: c.value });
        expect(r.ok, `${c.field} = ${String(c.value)}`).toBe(false);
        if (!r.ok) {
          expect(r.error.code).toBe('invalid-input');
          expect(r.error.message).toContain(c.field);
        }
      }
      expect(launches).toEqual([]);
      // The sweep builder is the other way to start runs: same rules for its base and its grid.
      for (const c of cases) {
        const base = await invokeService(lab.services, 'startSweep', {
          base: { ...DEFAULT_TRAIN_CONFIG, [c.field]: c.value },
          grid: {},
        });
        expect(base.ok, `sweep base ${c.field} = ${c.value}`).toBe(false);
      }
      for (const [axis, value] of [
        ['lr', NaN],
        ['lr', -0.1],
        ['lr', Infinity],
        ['batchSize', 0],
        ['hidden', -0],
        ['momentum', -1],
        ['momentum', NaN],
        ['seed', -1],
        ['perClass', 0],
      ] as const) {
        const r = await invokeService(lab.services, 'startSweep', {
          base: DEFAULT_TRAIN_CONFIG,
          grid: { [axis]: [value] },
        });
        expect(r.ok, `sweep grid ${axis} = ${value}`).toBe(false);
      }
      expect(launches).toEqual([]);
    } finally {
      lab.shutdown();
    }
  });

  it(`the CLI refuses every one with exit code 2 and one line (${cases.length} cases, in process)`, async () => {
    for (const c of cases) {
      const out: string[] = [];
      const err: string[] = [];
      const code = await main(['train', `--${c.flag}=${Object.is(c.value, -0) ? '-0' : String(c.value)}`, '--quiet'], {
        out: (t) => out.push(t),
        err: (t) => err.push(t),
      });
      const text = err.join('');
      expect(code, `--${c.flag}=${c.value}: ${text}`).toBe(2);
      expect(out.join('')).toBe('');
      expect(text.trimEnd().split('\n')).toHaveLength(1);
      // The schema names the field; a word the number parser refuses ("NaN", "Infinity") is named by its flag.
      expect(text.includes(c.field) || text.includes(`--${c.flag}:`), text).toBe(true);
      expect(text).not.toMatch(/\n\s+at /);
    }
  });

  it('the real CLI process does the same: exit 2, one line on stderr, no stack', () => {
    const bin = resolve('bin/momentum-lab.mjs');
    for (const args of [['--lr', 'NaN'], ['--lr=-0'], ['--momentum', 'Infinity'], ['--hidden', '1e308']]) {
      const r = spawnSync(process.execPath, [bin, 'train', ...args, '--quiet'], { encoding: 'utf8', timeout: 60_000 });
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trimEnd().split('\n'), r.stderr).toHaveLength(1);
      expect(r.stderr).toMatch(/^momentum-lab train: /);
      expect(r.stderr).not.toMatch(/\bat .*:\d+:\d+/);
    }
  });
});
