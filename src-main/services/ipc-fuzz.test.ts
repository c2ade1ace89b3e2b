import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAB_CHANNELS, type LabResult } from '../../src-core/contracts/lab-api';
import { DEFAULT_TRAIN_CONFIG } from '../../src-core/contracts/train-config';
import type { WorkerHandle, WorkerLauncher, WorkerName } from '../workers/worker-handle';
import { invokeService } from './invoke';
import { createLab, type Lab } from './services';
import { REFUSAL_CODES } from './test-helpers';

// Every IPC channel gets random and hostile payloads through invokeService,
// exactly as the Electron handlers call it. Each answer must be a LabResult:
// ok, or an error with a known code (never 'internal': an internal error
// means an unvalidated payload reached code that did not expect it) and a
// short message; never a throw, never a worker started for a refused run.

const PER_CHANNEL = Number(process.env['IPC_FUZZ_RUNS'] ?? 150);

/** A launcher that starts nothing: it counts launches and its "process" exits at once. */
function countingLauncher() {
  const launches: WorkerName[] = [];
  const launcher: WorkerLauncher = <In, Out>(name: WorkerName): WorkerHandle<In, Out> => {
    launches.push(name);
    let exitListener: ((code: number | null) => void) | null = null;
    setTimeout(() => exitListener?.(1), 0);
    return {
      post: () => {},
      onMessage: () => {},
      onExit: (l) => {
        exitListener = l;
      },
      kill: () => {},
      pid: undefined,
    };
  };
  return { launches, launcher };
}

function nest(depth: number, leaf: unknown, asArray: boolean): unknown {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = asArray ? [v] : { a: v };
  return v;
}

const pollution = [
  JSON.parse('{"__proto__": {"polluted": true}}'),
  JSON.parse('{"constructor": {"prototype": {"polluted": true}}}'),
  JSON.parse('{"name": "x", "__proto__": {"polluted": true}}'),
  JSON.parse('{"id": 1, "__proto__": {"id": 2, "polluted": true}}'),
  JSON.parse('{"runIds": ["a"], "__proto__": {"polluted": true}}'),
  { ...DEFAULT_TRAIN_CONFIG, ...JSON.parse('{"__proto__": {"hidden": 64, "polluted": true}}') },
  Object.assign(Object.create(null), { name: 'null prototype' }),
];

const weirdNumbers = fc.constantFrom(
  NaN,
  Infinity,
  -Infinity,
  -0,
  0,
  -1,
  1e308,
  -1e308,
  Number.MAX_SAFE_INTEGER + 2,
  Number.MIN_VALUE,
  2 ** 32,
  0.5,
);
const hugeString = fc.constantFrom(
  'x'.repeat(1_000_000),
  '\u0000'.repeat(100_000),
  '<img src=x onerror=alert(1)>'.repeat(20_000),
  "'; DROP TABLE runs; --".repeat(10),
);
const typedArrays = fc.oneof(
  fc.uint8Array({ maxLength: 200 }),
  fc.float32Array({ maxLength: 50 }),
  fc.float64Array({ maxLength: 50 }),
  fc.int32Array({ maxLength: 50 }),
  fc.constant(new Uint8Array(5_000_000)),
);
const leaf = fc.oneof(
  weirdNumbers,
  hugeString,
  typedArrays,
  fc.string({ maxLength: 30 }),
  fc.constant(null),
  fc.constant(undefined),
  fc.boolean(),
);
const deep = fc.tuple(fc.constantFrom(100, 1_000, 20_000), leaf, fc.boolean()).map(([d, l, a]) => nest(d, l, a));

/** Known-good payloads, to mutate one field at a time. */
const EXAMPLES: Record<string, Record<string, unknown>> = {
  startTraining: { ...DEFAULT_TRAIN_CONFIG, perClass: 1, epochs: 1 },
  digits: { split: 'test', indices: [0, 1] },
  createSession: { name: 'fuzz' },
  openSession: { id: 1 },
  renameSession: { id: 1, name: 'x' },
  duplicateSession: { id: 1, name: 'y' },
  updateRun: { runId: 'r', name: 'n', notes: 'm' },
  runCurves: { runIds: ['r'] },
  runWeights: { runId: 'r', iter: 5 },
  exportFigure: { format: 'svg', name: 'f', svg: '<svg xmlns="http://www.w3.org/2000/svg"></svg>' },
  exportCsv: { runIds: ['r'], name: 'm' },
  exportReport: { sessionId: 1, figures: [] },
  startSweep: { base: { ...DEFAULT_TRAIN_CONFIG, perClass: 1, epochs: 1 }, grid: { lr: [0.1] } },
  cancelSweep: { sweepId: 's' },
  openDatasetFromBytes: { files: [1, 2, 3, 4].map((i) => ({ name: `f${i}`, bytes: new Uint8Array(i) })) },
  importSessionFromBytes: { name: 's.mlab', bytes: new Uint8Array(16) },
};

const hostileValue = fc.oneof(leaf, deep, fc.constantFrom(...pollution), fc.jsonValue({ maxDepth: 3 }));
const mutated = (example: Record<string, unknown>) =>
  fc.oneof(
    fc.tuple(fc.constantFrom(...Object.keys(example)), hostileValue).map(([k, v]) => ({ ...example, [k]: v })),
    fc.tuple(fc.constantFrom(...Object.keys(example))).map(([k]) => {
      const copy = { ...example };
      delete copy[k];
      return copy;
    }),
    fc
      .tuple(fc.constantFrom('__proto__', 'constructor', 'prototype', 'extra', 'toString'), hostileValue)
      .map(([k, v]) => {
        const copy: Record<string, unknown> = { ...example };
        Object.defineProperty(copy, k, { value: v, enumerable: true, configurable: true, writable: true });
        return copy;
      }),
  );

const payloadFor = (channel: string) => {
  const generic = fc.oneof(
    { arbitrary: fc.jsonValue({ maxDepth: 4 }), weight: 3 },
    {
      arbitrary: fc.anything({
        withTypedArray: true,
        withNullPrototype: true,
        withBigInt: true,
        withDate: true,
        withMap: true,
        withSet: true,
        withBoxedValues: true,
        withSparseArray: true,
        maxDepth: 3,
      }),
      weight: 3,
    },
    { arbitrary: leaf, weight: 2 },
    { arbitrary: deep, weight: 1 },
    { arbitrary: fc.constantFrom(...pollution), weight: 1 },
  );
  const example = EXAMPLES[channel];
  return example ? fc.oneof({ arbitrary: generic, weight: 1 }, { arbitrary: mutated(example), weight: 2 }) : generic;
};

describe('every IPC channel answers random and hostile payloads with a typed result', () => {
  let lab: Lab;
  let dir: string;
  const counting = countingLauncher();
  const tally = { calls: 0, ok: 0, errors: {} as Record<string, number> };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ml-ipc-fuzz-'));
    lab = createLab(
      {
        launcher: counting.launcher,
        emit: () => {},
        pickDatasetFiles: async () => null,
        pickSavePath: async () => null,
        pickOpenPath: async () => null,
      },
      { dbPath: join(dir, 'lab.db'), dropDir: join(dir, 'drops'), simSettleMs: 60_000 },
    );
  });
  afterAll(() => {
    lab.shutdown();
    rmSync(dir, { recursive: true, force: true });
    console.log(
      `ipc fuzz: ${tally.calls} calls over ${LAB_CHANNELS.length} channels; ok ${tally.ok}; errors ${JSON.stringify(tally.errors)}`,
    );
  });

  async function check(channel: unknown, payload: unknown): Promise<LabResult<unknown>> {
    const trainersBefore = counting.launches.filter((n) => n === 'trainer').length;
    let result: LabResult<unknown>;
    const name = typeof channel === 'string' ? channel : `(${typeof channel})`;
    try {
      result = await Promise.race([
        invokeService(lab.services, channel, payload),
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error(`${name} did not answer in 20 s`)), 20_000),
        ),
      ]);
    } catch (err) {
      throw new Error(`invokeService threw for ${name}: ${(err as Error).message}`, { cause: err });
    }
    tally.calls++;
    expect(typeof result).toBe('object');
    if (result.ok) {
      tally.ok++;
    } else {
      tally.errors[result.error.code] = (tally.errors[result.error.code] ?? 0) + 1;
      expect(REFUSAL_CODES, `${name}: ${result.error.code}: ${result.error.message}`).toContain(result.error.code);
      expect(typeof result.error.message).toBe('string');
      expect(result.error.message.length).toBeGreaterThan(0);
      expect(result.error.message.length, 'an error message must not echo a huge payload').toBeLessThan(2000);
      if (
        channel === 'startTraining' ||
        channel === 'startSweep' ||
        channel === 'startStudy' ||
        channel === 'startAssignment'
      ) {
        expect(counting.launches.filter((n) => n === 'trainer').length, 'a refused run must not start a worker').toBe(
          trainersBefore,
        );
      }
    }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    return result;
  }

  // Reloading MNIST takes ~0.3 s and these ignore their payload: fewer cases.
  const SLOW = new Set(['useBuiltinDataset']);
  for (const channel of LAB_CHANNELS) {
    const runs = SLOW.has(channel) ? Math.min(PER_CHANNEL, 10) : PER_CHANNEL;
    it(`${channel} (${runs} payloads)`, async () => {
      await fc.assert(
        fc.asyncProperty(payloadFor(channel), async (payload) => {
          await check(channel, payload);
        }),
        { numRuns: runs },
      );
    });
  }

  it('a 20 MB typed array where an object is expected is refused at once (zod would list 20 million unknown keys)', async () => {
    const big = new Uint8Array(20_000_000);
    for (const [channel, payload] of [
      ['runCurves', big],
      ['exportReport', big],
      ['startTraining', big],
      ['startSweep', { base: big, grid: {} }],
      ['createSession', { name: 'x', extra: big }],
    ] as const) {
      // No timing here (shared machines): validate.test.ts proves zod never walks the 20 MB array.
      const r = await check(channel, payload);
      expect(r.ok, channel).toBe(false);
    }
  });

  it('unknown and hostile channel names are refused as invalid input', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '', 'lab:startTraining'),
          fc.anything(),
        ),
        async (channel) => {
          const r = await check(channel, {});
          expect(r.ok).toBe(false);
          if (!r.ok) expect(r.error.code).toBe('invalid-input');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('afterwards the lab still answers, and no refused training payload started a worker', async () => {
    const r = await invokeService(lab.services, 'listSessions', undefined);
    expect(r.ok).toBe(true);
    const integrity = lab.store.db.pragma('integrity_check', { simple: true });
    expect(integrity).toBe('ok');
  });
});
