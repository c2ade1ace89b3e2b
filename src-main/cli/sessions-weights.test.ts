import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { parseNpy } from '../../src-core/node/npz-test-helpers';
import { appendEval, insertRun } from '../../src-core/node/store/record';
import { SessionStore } from '../../src-core/node/store/session-store';
import { detail, newRun, point, tempDirEachTest } from '../../src-core/node/store/test-helpers';
import { appendWeights } from '../../src-core/node/store/weights';
import { main } from './main';
import { capture, runCli } from './test-helpers';

// `sessions weights` on a real session database: the .npz it writes is opened with fflate, its .npy parsed, and the
// matrix compared bit for bit with what the store holds for that evaluation.

let dir: string;
tempDirEachTest('mlab-cli-weights-', (d) => (dir = d));

const H = 8;
const I = 784;
const w1Of = (k: number) => Float32Array.from({ length: H * I }, (_, n) => k + Math.floor(n / I) / 100 + (n % I) / 1e5);

/** A session database with run "r" (name "run r"): 5 evaluations every 2 iterations, each with its weights. */
function database(): { db: string; session: string } {
  const db = join(dir, 'lab.db');
  const store = new SessionStore(db);
  insertRun(store.db, newRun('r', store.currentSessionId()));
  insertRun(store.db, newRun('empty', store.currentSessionId()));
  for (let k = 1; k <= 5; k++) {
    appendEval(store.db, 'r', point(2 * k), detail(), null);
    appendWeights(store.db, 'r', 2 * k, H, I, w1Of(k));
  }
  const session = store.listSessions()[0].name;
  store.close();
  return { db, session };
}

const bits = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe('momentum-lab sessions weights', () => {
  it('writes the latest kept evaluation, or --eval K, as W1 (HL x 784) bit for bit, and says b1, W2, b2 are not stored', async () => {
    const { db, session } = database();
    const out = join(dir, 'w.npz');
    const c = capture();
    expect(await main(['sessions', 'weights', session, 'run r', '--db', db, '--out', out], c.io)).toBe(0);
    expect(c.out.join('')).toBe(`wrote ${out}: W1 (8 x 784) of run "run r" at iteration 10\n`);
    expect(c.err.join('')).toMatch(
      /^note: this run's weights were recorded with the first layer only: b1, W2, b2 are not stored/,
    );
    const files = unzipSync(readFileSync(out));
    expect(Object.keys(files)).toEqual(['W1.npy']);
    const W1 = parseNpy(files['W1.npy']);
    expect(W1.shape).toEqual([H, I]);
    expect(bits(W1.data).equals(bits(w1Of(5)))).toBe(true);

    // The store keeps the 1st and 4th evaluation (iterations 2 and 8) and the latest; --eval picks one, by run id too.
    const c2 = capture();
    expect(
      await main(
        ['sessions', 'weights', session, 'r', '--eval', '8', '--db', db, '--out', out, '--json', '--force'],
        c2.io,
      ),
    ).toBe(0);
    const j = JSON.parse(c2.out.join(''));
    expect(j).toMatchObject({
      iter: 8,
      iters: [2, 8, 10],
      arrays: [{ name: 'W1', shape: [8, 784] }],
      missing: ['b1', 'W2', 'b2'],
    });
    expect(bits(parseNpy(unzipSync(readFileSync(out))['W1.npy']).data).equals(bits(w1Of(4)))).toBe(true);
  });

  it('bad input gets one clear line and leaves an earlier file whole', async () => {
    const { db, session } = database();
    const out = join(dir, 'keep.npz');
    writeFileSync(out, 'earlier');
    for (const [args, code, pattern] of [
      [['weights', session], 2, /needs the RUN/],
      [['weights', session, 'nope'], 1, /has no run "nope" \(runs: run r, run empty\)/],
      [['weights', session, 'run r', '--eval', '7'], 1, /no weights kept for iteration 7 \(kept: 2, 8, 10\)/],
      [['weights', session, 'run r', '--eval', 'last'], 2, /--eval: "last" is not an iteration number/],
      [['weights', session, 'run empty'], 1, /has no saved weights/],
      [['weights', 'no such session', 'run r'], 1, /no session "no such session"/],
    ] as const) {
      const c = capture();
      expect(await main(['sessions', ...args, '--db', db, '--out', out, '--force'], c.io), args.join(' ')).toBe(code);
      expect(c.err.join('')).toMatch(pattern);
      expect(c.err.join('').trim().split('\n')).toHaveLength(1);
      expect(readFileSync(out, 'utf8')).toBe('earlier');
    }
    const c = capture();
    expect(await main(['sessions', 'weights', session, 'run r', '--db', db], c.io)).toBe(2);
    expect(c.err.join('')).toMatch(/weights needs --out FILE/);
    // An --out in a folder that does not exist: one line, nothing left behind.
    const c2 = capture();
    const missingDir = join(dir, 'no', 'such', 'w.npz');
    expect(await main(['sessions', 'weights', session, 'run r', '--db', db, '--out', missingDir], c2.io)).toBe(1);
    expect(c2.err.join('')).toMatch(/--out: the folder .* does not exist/);
    // Without --force an existing file is refused before anything is read (the CLI's one write-path check).
    const c3 = capture();
    expect(await main(['sessions', 'weights', session, 'run r', '--db', db, '--out', out], c3.io)).toBe(2);
    expect(c3.err.join('')).toMatch(/already exists; pass --force to overwrite it/);
    expect(readFileSync(out, 'utf8')).toBe('earlier');
    mkdirSync(join(dir, 'no', 'such'), { recursive: true });
    expect(existsSync(missingDir)).toBe(false);
  });

  it('works through the real CLI process', () => {
    const { db, session } = database();
    const out = join(dir, 'cli.npz');
    const r = runCli(['sessions', 'weights', session, 'run r', '--db', db, '--out', out], 60_000);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/W1 \(8 x 784\)/);
    expect(bits(parseNpy(unzipSync(readFileSync(out))['W1.npy']).data).equals(bits(w1Of(5)))).toBe(true);
  }, 60_000);
});
