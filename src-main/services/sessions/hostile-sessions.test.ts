import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  ftruncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunDetail } from '../../../src-core/contracts/session-types';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from '../../../src-core/contracts/train-config';
import type { TrainerMessage } from '../../../src-core/contracts/train-protocol';
import { appendBatch, appendEval, endRun, insertRun } from '../../../src-core/node/store/record';
import { MAX_SESSION_FILE_BYTES } from '../../../src-core/node/store/session-file';
import { detail, newRun, point } from '../../../src-core/node/store/test-helpers';
import { nodeLauncher } from '../../workers/node-launcher';
import { invokeService } from '../invoke';
import { createLab, type Lab } from '../services';
import { runCli } from '../../cli/test-helpers';

// Diverging runs end 'diverged' with the iteration (services and CLI), and
// their non-finite values survive a session file round trip. Hostile session
// files are refused with a message and leave the live database byte for byte
// as it was.

const dir = mkdtempSync(join(tmpdir(), 'ml-hostile-sessions-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SMALL: TrainConfig = {
  ...DEFAULT_TRAIN_CONFIG,
  hidden: 16,
  batchSize: 10,
  perClass: 10,
  epochs: 20,
  evalEvery: 5,
  seed: 3,
};
// The report's settings (HL 64, BS 32) on 1,000 images.
const REPORT: TrainConfig = { ...DEFAULT_TRAIN_CONFIG, perClass: 100, epochs: 20, evalEvery: 10 };
const DIVERGING: { label: string; config: TrainConfig }[] = [
  { label: 'LR 10', config: { ...REPORT, lr: 10 } },
  { label: 'LR 1000', config: { ...REPORT, lr: 1000 } },
  { label: 'd 1.5', config: { ...REPORT, lr: 0.1, momentum: 1.5 } },
];

let lab: Lab;
let savePath: string | null = null;
let openPath: string | null = null;
const dbPath = join(dir, 'live.db');

function ended(runId: string): Promise<Extract<TrainerMessage, { type: 'end' }>> {
  return new Promise((res) => {
    const stop = lab.runs.observe((m) => {
      if (m.type === 'end' && m.runId === runId) {
        stop();
        res(m);
      }
    });
  });
}

function hashLive(): string {
  const h = createHash('sha256');
  for (const p of [dbPath, `${dbPath}-wal`]) if (existsSync(p)) h.update(readFileSync(p));
  return h.digest('hex');
}

const nonFinite = (a: ArrayLike<number>) => Array.from(a).filter((v) => !Number.isFinite(v)).length;
const sameNumbers = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  a.length === b.length && Array.from(a).every((v, i) => Object.is(v, b[i]));

beforeAll(() => {
  lab = createLab(
    {
      launcher: nodeLauncher,
      emit: () => {},
      pickDatasetFiles: async () => null,
      pickSavePath: async () => savePath,
      pickOpenPath: async () => openPath,
    },
    { dbPath },
  );
});
afterAll(() => lab.shutdown());

describe('diverging runs', () => {
  const details: RunDetail[] = [];
  let sessionId = 0;

  it('LR 10, LR 1000 and d 1.5 end "diverged" with the iteration, recorded as such', async () => {
    const created = await invokeService(lab.services, 'createSession', { name: 'diverging' });
    expect(created.ok).toBe(true);
    sessionId = lab.store.currentSessionId();
    for (const { label, config } of DIVERGING) {
      const { runId } = await lab.services.startTraining(config);
      const end = await ended(runId);
      expect(end.status, label).toBe('diverged');
      expect(end.message).toMatch(new RegExp(`^diverged at iteration ${end.iter}: `));
      expect(end.iter).toBeGreaterThan(0);
      const run = lab.store.run(runId);
      expect(run.status).toBe('diverged');
      expect(run.itersDone).toBe(end.iter);
      details.push(lab.store.detail(runId));
    }
    // The diverging iteration's loss is kept as it was: non-finite or exploded.
    for (const d of details) {
      const last = d.iterLoss[d.run.itersDone - 1];
      expect(!Number.isFinite(last) || last > 100, `${d.run.name}: last loss ${last}`).toBe(true);
    }
    // (The trainer stops at an exploded loss > 100, usually before anything is non-finite: the next test records NaN and Infinity itself.)
  }, 300_000);

  it('their NaN and Infinity values survive session export and import', async () => {
    // A run as a diverging trainer reports it once the numbers are gone: NaN and +-Infinity in batches and evaluations.
    const id = 'non-finite-run';
    insertRun(lab.store.db, { ...newRun(id, sessionId), name: 'non-finite' });
    const loss = Float32Array.from([2.3, 5, 1e30, Infinity, NaN, -Infinity]);
    appendBatch(lab.store.db, id, 0, loss, Float32Array.from([0.1, 0.1, 0.1, NaN, NaN, NaN]), 6, 12.5);
    appendEval(
      lab.store.db,
      id,
      point(4, { trainLoss: Infinity, testLoss: NaN, testAcc: 0.098, trainAcc: NaN }),
      detail(),
      null,
    );
    appendEval(lab.store.db, id, point(6, { trainLoss: -Infinity, testLoss: Infinity }), null, null);
    endRun(lab.store.db, id, 'diverged', 'diverged at iteration 4: loss is Infinity', 4, 13, Date.now());
    details.push(lab.store.detail(id));
    expect(nonFinite(details.at(-1)!.iterLoss)).toBe(3);
    savePath = join(dir, 'diverging.mlab');
    const exported = await invokeService(lab.services, 'exportSessionFile', { id: sessionId });
    expect(exported.ok, JSON.stringify(exported)).toBe(true);
    openPath = savePath;
    const imported = await invokeService(lab.services, 'importSessionFile', undefined);
    expect(imported.ok, JSON.stringify(imported)).toBe(true);
    const [copy] = (imported as { ok: true; value: { id: number }[] }).value;
    const runs = lab.store.listRuns(copy.id);
    expect(runs.length).toBe(details.length);
    for (const original of details) {
      const twin = runs.find((r) => r.name === original.run.name)!;
      const back = lab.store.detail(twin.id);
      expect(back.run.status).toBe('diverged');
      expect(back.run.itersDone).toBe(original.run.itersDone);
      expect(sameNumbers(back.iterLoss, original.iterLoss), `${original.run.name}: per-iteration losses`).toBe(true);
      expect(sameNumbers(back.iterAcc, original.iterAcc)).toBe(true);
      expect(back.points.length).toBe(original.points.length);
      back.points.forEach((p, i) => {
        for (const k of Object.keys(p) as (keyof typeof p)[]) {
          // Numbers bit for bit (NaN, ±Infinity, -0); the per-layer flip statistics (an array) by value.
          if (typeof p[k] === 'object' && p[k] !== null)
            expect(p[k], `${original.run.name} point ${i} ${k}`).toEqual(original.points[i][k]);
          else expect(Object.is(p[k], original.points[i][k]), `${original.run.name} point ${i} ${k}`).toBe(true);
        }
      });
    }
  }, 120_000);

  it('the CLI says "diverged at iteration N" and exits 1', () => {
    const r = runCli([
      'train',
      '--lr',
      '1000',
      '--per-class',
      '10',
      '--batch',
      '10',
      '--hidden',
      '16',
      '--epochs',
      '5',
      '--json',
    ]);
    expect(r.status, r.stderr).toBe(1);
    const out = JSON.parse(r.stdout) as { status: string; message: string; iterations: number };
    expect(out.status).toBe('diverged');
    expect(out.message).toMatch(new RegExp(`^diverged at iteration ${out.iterations}: `));
    expect(r.stderr.trimEnd().split('\n').at(-1)).toMatch(
      /^diverged at iteration \d+: .* \(after \d+\.\d s\); last evaluation: /,
    );
  }, 120_000);
});

describe('hostile session files are refused and the live database stays byte for byte the same', () => {
  let good: Buffer;
  let goodSessionId = 0;
  const FLIPS = 64;
  const variants: { name: string; file: string }[] = [];
  const flips: { name: string; file: string }[] = [];

  beforeAll(async () => {
    const id = lab.store.createSession('to export').id;
    goodSessionId = id;
    lab.store.openSession(id);
    const { runId } = await lab.services.startTraining({ ...SMALL, epochs: 1 });
    await ended(runId);
    savePath = join(dir, 'good.mlab');
    const r = await invokeService(lab.services, 'exportSessionFile', { id });
    expect(r.ok).toBe(true);
    good = readFileSync(savePath);
    const write = (name: string, bytes: Uint8Array) => {
      const file = join(dir, name);
      writeFileSync(file, bytes);
      variants.push({ name, file });
      return file;
    };
    write('truncated-half.mlab', good.subarray(0, good.length >> 1));
    write('truncated-header.mlab', good.subarray(0, 50));
    write('truncated-last-page.mlab', good.subarray(0, good.length - 1));
    write('empty.mlab', new Uint8Array(0));
    write('not-sqlite.mlab', Buffer.from('this is not a database\n'.repeat(100)));
    // Bit flips across the file (header, schema, data pages).
    for (let k = 0; k < FLIPS; k++) {
      const flipped = Buffer.from(good);
      const at = Math.floor(((k + 0.5) / FLIPS) * flipped.length);
      flipped[at] ^= 1 << (k % 8);
      const file = join(dir, `bit-flip-${at}.mlab`);
      writeFileSync(file, flipped);
      flips.push({ name: `bit-flip-${at}.mlab`, file });
    }
    // Tampered with by a program: values changed and the digest not updated.
    const tamper = (name: string, sql: string) => {
      const file = write(name, good);
      const db = new Database(file);
      db.exec(sql);
      db.close();
    };
    tamper('tampered-accuracy.mlab', 'UPDATE evals SET test_acc = 0.999');
    tamper('tampered-name.mlab', "UPDATE runs SET name = '<img src=x onerror=alert(1)>'");
    tamper('tampered-deleted-evals.mlab', 'DELETE FROM evals');
    tamper('future-version.mlab', 'PRAGMA user_version = 999');
    tamper('other-application.mlab', 'PRAGMA application_id = 12345');
    // Larger than the lab accepts (sparse: costs no disk).
    const big = join(dir, 'oversized.mlab');
    copyFileSync(savePath, big);
    const fd = openSync(big, 'r+');
    ftruncateSync(fd, MAX_SESSION_FILE_BYTES + 1);
    closeSync(fd);
    variants.push({ name: 'oversized.mlab', file: big });
    // Not even a file.
    variants.push({ name: 'a folder', file: dir });
  }, 120_000);

  it('every variant is refused with a bad-session (or not-found) message; nothing changes', async () => {
    // Settle the WAL so only a write could change the bytes.
    lab.store.db.pragma('wal_checkpoint(TRUNCATE)');
    const before = hashLive();
    const sessionsBefore = lab.store.listSessions().length;
    const refused: string[] = [];
    for (const v of variants) {
      openPath = v.file;
      const r = await invokeService(lab.services, 'importSessionFile', undefined);
      expect(r.ok, `${v.name} was imported`).toBe(false);
      if (!r.ok) {
        expect(['bad-session', 'not-found'], `${v.name}: ${r.error.code}: ${r.error.message}`).toContain(r.error.code);
        expect(r.error.message.length).toBeGreaterThan(10);
        expect(r.error.message.length).toBeLessThan(500);
        refused.push(`${v.name}: ${r.error.message}`);
      }
      expect(hashLive(), `${v.name} changed the live database`).toBe(before);
    }
    expect(lab.store.listSessions().length).toBe(sessionsBefore);
    expect(lab.store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    console.log(
      `session import: ${variants.length} hostile files refused, e.g.\n  ${refused.slice(0, 6).join('\n  ')}`,
    );
  }, 120_000);

  it(`bit flips across the file (${FLIPS}) are refused, or (a flip in unused bytes) import exactly the original content`, async () => {
    const fingerprint = (sessionId: number) =>
      lab.store.listRuns(sessionId).map((r) => {
        const d = lab.store.detail(r.id);
        return JSON.stringify({
          name: r.name,
          status: r.status,
          config: r.config,
          points: d.points,
          loss: Array.from(d.iterLoss, String),
          acc: Array.from(d.iterAcc, String),
          last: d.last && Array.from(d.last.confusion),
        });
      });
    const original = fingerprint(goodSessionId);
    let refused = 0;
    let harmless = 0;
    for (const v of flips) {
      lab.store.db.pragma('wal_checkpoint(TRUNCATE)');
      const before = hashLive();
      openPath = v.file;
      const r = await invokeService(lab.services, 'importSessionFile', undefined);
      if (!r.ok) {
        expect(['bad-session'], `${v.name}: ${r.error.code}: ${r.error.message}`).toContain(r.error.code);
        expect(hashLive(), `${v.name} changed the live database`).toBe(before);
        refused++;
      } else {
        const [s] = r.value as { id: number }[];
        expect(fingerprint(s.id), `${v.name} imported altered content`).toEqual(original);
        harmless++;
      }
    }
    expect(refused).toBeGreaterThan(FLIPS / 2);
    console.log(
      `session import: ${FLIPS} single-bit flips: ${refused} refused, ${harmless} in unused bytes imported unchanged content`,
    );
  }, 120_000);

  it('a file carrying its own trigger and view is refused, naming them, and the live database is byte-for-byte unchanged', async () => {
    const file = join(dir, 'trigger.mlab');
    writeFileSync(file, good);
    const db = new Database(file);
    db.exec(
      'CREATE TRIGGER evil AFTER INSERT ON sessions BEGIN DELETE FROM runs; END; CREATE VIEW evil_view AS SELECT 1',
    );
    db.close();
    const runsBefore = lab.store.db.prepare('SELECT COUNT(*) FROM runs').pluck().get() as number;
    lab.store.db.pragma('wal_checkpoint(TRUNCATE)');
    const before = hashLive();
    const sessionsBefore = lab.store.listSessions().length;
    openPath = file;
    const r = await invokeService(lab.services, 'importSessionFile', undefined);
    expect(r).toEqual({
      ok: false,
      error: {
        code: 'bad-session',
        message:
          'cannot import this file: it carries database objects a Momentum Lab session file never has (trigger "evil", view "evil_view"); only sessions, runs and their records are imported',
      },
    });
    expect(hashLive()).toBe(before);
    expect(lab.store.listSessions().length).toBe(sessionsBefore);
    const objects = lab.store.db
      .prepare("SELECT name FROM sqlite_master WHERE type IN ('trigger', 'view')")
      .pluck()
      .all() as string[];
    expect(objects).not.toContain('evil');
    expect(objects).not.toContain('evil_view');
    expect(lab.store.db.prepare('SELECT COUNT(*) FROM runs').pluck().get()).toBe(runsBefore);
  });

  it('a file named like an SQL injection imports as an ordinary file; names inside stay text', async () => {
    const file = join(dir, "x'); DROP TABLE runs; --.mlab");
    writeFileSync(file, good);
    openPath = file;
    const r = await invokeService(lab.services, 'importSessionFile', undefined);
    expect(r.ok, JSON.stringify(r)).toBe(true);
    expect(lab.store.db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE name = 'runs'").pluck().get()).toBe(1);
    // A session and a run named with SQL and HTML round-trip as plain text.
    const evil = "'); DROP TABLE sessions; -- <img src=x onerror=alert(1)>";
    const s = await invokeService(lab.services, 'createSession', { name: evil });
    expect(s.ok).toBe(true);
    expect(lab.store.listSessions().map((x) => x.name)).toContain(evil);
    expect(lab.store.db.pragma('integrity_check', { simple: true })).toBe('ok');
  });
});
