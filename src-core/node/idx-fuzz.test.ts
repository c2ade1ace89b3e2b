import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants as zc, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { LabError } from '../contracts/lab-error';
import { readIdx, readIdxPair } from './idx';

// Hostile IDX files: random and mutated image/label pairs, plain and gzip,
// read through readIdxPair. Every file either reads back exactly what an
// independent oracle says it holds, or is refused with LabError('bad-dataset');
// never another exception, never a large allocation.

const RUNS = Number(process.env['IDX_FUZZ_RUNS'] ?? 10_000);
const LIMIT = 4096; // data bytes accepted per file in most cases (the real limit is 100 MB)

// Tens of thousands of small writes: on a RAM disk where there is one.
const dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'ml-idx-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function u32(n: number): number[] {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
}

function idx(dims: number[], data: Uint8Array, type = 8, magic: [number, number] = [0, 0]): Uint8Array {
  const head = [magic[0], magic[1], type, dims.length, ...dims.flatMap(u32)];
  const out = new Uint8Array(head.length + data.length);
  out.set(head);
  out.set(data, head.length);
  return out;
}

/** The oracle: what a valid unsigned-byte IDX file with nd dimensions holds, or null. */
function oracle(bytes: Uint8Array, nd: number, limit: number): { dims: number[]; data: Uint8Array } | null {
  if (bytes.length < 4 + 4 * nd || bytes[0] !== 0 || bytes[1] !== 0 || bytes[2] !== 8 || bytes[3] !== nd) return null;
  const dims: number[] = [];
  let product = 1;
  for (let i = 0; i < nd; i++) {
    const o = 4 + 4 * i;
    const d = ((bytes[o] << 24) | (bytes[o + 1] << 16) | (bytes[o + 2] << 8) | bytes[o + 3]) >>> 0;
    if (d === 0) return null;
    dims.push(d);
    product *= d;
  }
  if (product > limit || bytes.length !== 4 + 4 * nd + product) return null;
  return { dims, data: bytes.subarray(4 + 4 * nd) };
}

type Mutation =
  | { kind: 'none' }
  | { kind: 'truncate'; at: number }
  | { kind: 'extend'; extra: Uint8Array }
  | { kind: 'magic'; b0: number; b1: number }
  | { kind: 'type'; type: number }
  | { kind: 'ndims'; nd: number }
  | { kind: 'dim'; which: number; value: number }
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'random'; bytes: Uint8Array };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: fc.constant({ kind: 'none' as const }), weight: 2 },
  { arbitrary: fc.nat(5000).map((at) => ({ kind: 'truncate' as const, at })), weight: 3 },
  {
    arbitrary: fc.uint8Array({ minLength: 1, maxLength: 64 }).map((extra) => ({ kind: 'extend' as const, extra })),
    weight: 2,
  },
  {
    arbitrary: fc
      .tuple(fc.nat(255), fc.nat(255))
      .filter(([a, b]) => a !== 0 || b !== 0)
      .map(([b0, b1]) => ({ kind: 'magic' as const, b0, b1 })),
    weight: 1,
  },
  {
    arbitrary: fc
      .constantFrom(0, 1, 7, 9, 0x0b, 0x0c, 0x0d, 0x0e, 0xff)
      .map((type) => ({ kind: 'type' as const, type })),
    weight: 1,
  },
  { arbitrary: fc.constantFrom(0, 2, 4, 255).map((nd) => ({ kind: 'ndims' as const, nd })), weight: 1 },
  {
    arbitrary: fc
      .tuple(
        fc.nat(2),
        fc.oneof(
          fc.constantFrom(0, 1, 0xffffffff, 0x80000000, 0x10000, 65535, 100_000_001),
          fc.nat({ max: 0xffffffff }),
        ),
      )
      .map(([which, value]) => ({ kind: 'dim' as const, which, value })),
    weight: 3,
  },
  { arbitrary: fc.tuple(fc.nat(64), fc.nat(7)).map(([at, bit]) => ({ kind: 'flip' as const, at, bit })), weight: 2 },
  { arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes) => ({ kind: 'random' as const, bytes })), weight: 1 },
);

function mutate(file: Uint8Array, m: Mutation): Uint8Array {
  const f = file.slice();
  switch (m.kind) {
    case 'none':
      return f;
    case 'truncate':
      return f.subarray(0, m.at % (f.length + 1));
    case 'extend': {
      const out = new Uint8Array(f.length + m.extra.length);
      out.set(f);
      out.set(m.extra, f.length);
      return out;
    }
    case 'magic':
      f[0] = m.b0;
      f[1] = m.b1;
      return f;
    case 'type':
      f[2] = m.type;
      return f;
    case 'ndims':
      f[3] = m.nd;
      return f;
    case 'dim': {
      const o = 4 + 4 * (m.which % Math.max(1, f[3]));
      if (o + 4 <= f.length) f.set(u32(m.value), o);
      return f;
    }
    case 'flip':
      if (f.length > 0) f[m.at % f.length] ^= 1 << m.bit;
      return f;
    case 'random':
      return m.bytes;
  }
}

type Gz = 'plain' | 'gzip' | 'gzip-truncated' | 'gzip-garbage-tail';
const gzMode = fc.constantFrom<Gz>('plain', 'plain', 'gzip', 'gzip-truncated', 'gzip-garbage-tail');

function pack(raw: Uint8Array, mode: Gz, cut: number): Uint8Array {
  if (mode === 'plain') return raw;
  const gz = new Uint8Array(gzipSync(raw));
  if (mode === 'gzip') return gz;
  if (mode === 'gzip-truncated') return gz.subarray(0, cut % gz.length);
  const out = new Uint8Array(gz.length + 7);
  out.set(gz);
  out.set([1, 2, 3, 4, 5, 6, 7], gz.length);
  return out;
}

const pairCase = fc.record({
  count: fc.integer({ min: 1, max: 12 }),
  rows: fc.integer({ min: 1, max: 8 }),
  cols: fc.integer({ min: 1, max: 8 }),
  labelCountDelta: fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: -3, max: 3 })),
  badLabel: fc.option(fc.integer({ min: 10, max: 255 }), { freq: 4 }),
  imageMutation: mutation,
  labelMutation: mutation,
  mutateWhich: fc.constantFrom('images', 'labels', 'both', 'neither'),
  swap: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
  imageGz: gzMode,
  labelGz: gzMode,
  cut: fc.nat(),
  seed: fc.nat(),
});

describe('IDX files from strangers', () => {
  const tally = { cases: 0, accepted: 0, refused: 0, gzip: 0, reasons: new Map<string, number>() };
  afterAll(() => {
    const top = [...tally.reasons.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12);
    console.log(
      `idx fuzz: ${tally.cases} pairs (${tally.gzip} with a gzip file): ${tally.accepted} read, ${tally.refused} refused; reasons ${JSON.stringify(top)}`,
    );
  });

  it(`random and mutated image/label pairs: exact data or LabError('bad-dataset') (${RUNS} cases)`, () => {
    const imgPath = join(dir, 'images.idx');
    const lblPath = join(dir, 'labels.idx');
    const rssBefore = process.memoryUsage().rss;
    let peakExtra = 0;
    fc.assert(
      fc.property(pairCase, (c) => {
        const pixels = new Uint8Array(c.count * c.rows * c.cols);
        for (let i = 0; i < pixels.length; i++) pixels[i] = (c.seed + i * 37) & 255;
        const labelCount = Math.max(1, c.count + c.labelCountDelta);
        const labels = new Uint8Array(labelCount);
        for (let i = 0; i < labelCount; i++) labels[i] = (c.seed + i) % 10;
        if (c.badLabel !== null) labels[c.seed % labelCount] = c.badLabel;
        let imgRaw = idx([c.count, c.rows, c.cols], pixels);
        let lblRaw = idx([labelCount], labels);
        if (c.mutateWhich === 'images' || c.mutateWhich === 'both') imgRaw = mutate(imgRaw, c.imageMutation);
        if (c.mutateWhich === 'labels' || c.mutateWhich === 'both') lblRaw = mutate(lblRaw, c.labelMutation);
        if (c.swap) [imgRaw, lblRaw] = [lblRaw, imgRaw];
        const imgFile = pack(imgRaw, c.imageGz, c.cut);
        const lblFile = pack(lblRaw, c.labelGz, c.cut >>> 3);
        writeFileSync(imgPath, imgFile);
        writeFileSync(lblPath, lblFile);
        tally.cases++;
        if (c.imageGz !== 'plain' || c.labelGz !== 'plain') tally.gzip++;

        // What a correct reader must do, decided from the raw (uncompressed) bytes.
        const img = oracle(imgRaw, 3, LIMIT);
        const lbl = oracle(lblRaw, 1, LIMIT);
        const intactGzip = (mode: Gz) => mode === 'plain' || mode === 'gzip';
        const valid =
          img !== null &&
          lbl !== null &&
          intactGzip(c.imageGz) &&
          intactGzip(c.labelGz) &&
          lbl.dims[0] === img.dims[0] &&
          lbl.data.every((l) => l <= 9);

        let result: ReturnType<typeof readIdxPair> | null = null;
        try {
          result = readIdxPair(imgPath, lblPath, LIMIT);
        } catch (err) {
          if (!(err instanceof LabError))
            throw new Error(`not a LabError: ${(err as Error)?.stack ?? String(err)}`, { cause: err });
          expect(err.code).toBe('bad-dataset');
          expect(err.message).toMatch(/^(images|labels)\.idx[: ]/);
          expect(err.message.length).toBeLessThan(300);
          tally.refused++;
          const reason = err.message
            .replace(/^[^:]+: /, '')
            .replace(/[\d,.x ]+/g, ' ')
            .replace(/\(.*\)/, '')
            .trim()
            .slice(0, 40);
          tally.reasons.set(reason, (tally.reasons.get(reason) ?? 0) + 1);
        }
        if (result) {
          tally.accepted++;
          // Accepted: must be what the bytes say. (A gzip file cut inside its 8-byte trailer still holds all its data.)
          expect(img).not.toBeNull();
          expect(lbl).not.toBeNull();
          expect(result.count).toBe(img!.dims[0]);
          expect([result.rows, result.cols]).toEqual([img!.dims[1], img!.dims[2]]);
          expect(Buffer.from(result.images.data).equals(Buffer.from(img!.data))).toBe(true);
          expect(Buffer.from(result.labels.data).equals(Buffer.from(lbl!.data))).toBe(true);
        } else {
          expect(valid, 'a valid pair was refused').toBe(false);
        }
        peakExtra = Math.max(peakExtra, process.memoryUsage().rss - rssBefore);
      }),
      { numRuns: RUNS },
    );
    expect(tally.accepted).toBeGreaterThan(RUNS / 100);
    expect(tally.refused).toBeGreaterThan(RUNS / 2);
    expect(peakExtra, 'resident memory grew by more than 256 MB').toBeLessThan(256 * 1024 * 1024);
  });

  it('headers declaring huge data (up to 2^96 bytes) are refused before any allocation, plain and gzip, with the real 100 MB limit', () => {
    const path = join(dir, 'huge.idx');
    const before = process.memoryUsage();
    let n = 0;
    fc.assert(
      fc.property(
        fc.tuple(fc.nat({ max: 0xffffffff }), fc.nat({ max: 0xffffffff }), fc.nat({ max: 0xffffffff })),
        fc.boolean(),
        fc.uint8Array({ maxLength: 100 }),
        ([a, b, c], gz, tail) => {
          fc.pre(a > 0 && b > 0 && c > 0 && a * b * c > 100_000_000);
          const raw = idx([a, b, c], tail);
          writeFileSync(path, gz ? gzipSync(raw) : raw);
          n++;
          expect(() => readIdx(path, 3)).toThrowError(LabError);
          try {
            readIdx(path, 3);
          } catch (e) {
            expect((e as LabError).code).toBe('bad-dataset');
            expect((e as LabError).message).toMatch(/more than the limit/);
          }
        },
      ),
      { numRuns: 500 },
    );
    const after = process.memoryUsage();
    expect(n).toBeGreaterThan(400);
    expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(64 * 1024 * 1024);
  });

  it('a gzip bomb (64 MB of zeros in ~64 KB, behind a header declaring 100 bytes) stops at the declared size', () => {
    const path = join(dir, 'bomb.idx.gz');
    // 64 MB of zeros compresses to ~64 KB; the header declares 10 x 10 labels... of a 1-dim file: 100 bytes.
    const raw = new Uint8Array(8 + 64 * 1024 * 1024);
    raw.set([0, 0, 8, 1, ...u32(100)]);
    writeFileSync(path, gzipSync(raw, { level: zc.Z_BEST_COMPRESSION }));
    const before = process.memoryUsage().arrayBuffers;
    expect(() => readIdx(path, 1)).toThrowError(/extended/);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 * 1024 * 1024);
  });
});
