import Database from 'better-sqlite3';
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { APPLICATION_ID, SCHEMA_VERSION } from '../../../src-core/node/store/schema';
import { SessionStore } from '../../../src-core/node/store/session-store';
import { main } from '../../cli/main';
import type { CliIo } from '../../cli/cli-io';
import { nodeLauncher } from '../../workers/node-launcher';
import { createLab } from '../services';
import { cli, holdWriteLock, ROOT } from '../shared/test-processes';

// Opening and creating session databases: other programs' files are never
// changed (item 10); a --db that cannot be used is refused before any work
// (item 2); processes creating one new file at once lose nothing (item 3).

const dir = mkdtempSync(join(tmpdir(), 'ml-dbopen-'));
const mounts: string[] = [];
afterAll(() => {
  for (const m of mounts.reverse()) execFileSync('umount', ['-l', m]);
  rmSync(dir, { recursive: true, force: true });
});

const hash = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');
const siblings = (p: string) => ['-wal', '-shm', '-journal'].filter((s) => existsSync(p + s));

function capture(): CliIo & { text: () => string; errors: () => string } {
  let out = '';
  let err = '';
  return {
    out: (s: string) => void (out += s),
    err: (s: string) => void (err += s),
    text: () => out,
    errors: () => err,
  } as CliIo & { text: () => string; errors: () => string };
}

/** A database of another program: tables, user_version 0, application id 0, rollback journal. */
function foreignV0(path: string) {
  const db = new Database(path);
  db.exec(
    'CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices (total) VALUES (12.5), (99); CREATE INDEX inv_total ON invoices(total);',
  );
  db.close();
}

/** Another program's WAL database with its own application id and version. */
function foreignWal(path: string) {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('application_id = 305419896');
  db.pragma('user_version = 7');
  db.exec("CREATE TABLE notes (t TEXT); INSERT INTO notes VALUES ('keep me')");
  db.close();
}

describe("other programs' SQLite files are never changed", () => {
  const cases: [string, (p: string) => void][] = [
    ['user_version 0 with tables (rollback journal)', foreignV0],
    ['its own application id, version 7, WAL', foreignWal],
  ];
  for (const [name, make] of cases) {
    it(`${name}: refused, byte-for-byte untouched, no journal switch`, () => {
      const path = join(dir, `foreign-${name.length}.db`);
      make(path);
      const before = hash(path);
      const beforeSiblings = siblings(path);
      expect(() => new SessionStore(path)).toThrow(/not a Momentum Lab session file.*left untouched/);
      expect(hash(path)).toBe(before);
      expect(siblings(path).filter((s) => s !== '-wal' && s !== '-shm')).toEqual(
        beforeSiblings.filter((s) => s !== '-wal' && s !== '-shm'),
      );
      if (name.includes('rollback')) expect(siblings(path)).toEqual([]);
      // The app's fallback path too: the lab starts, the file stays as it was.
      const lab = createLab(
        { launcher: nodeLauncher, emit: () => {}, pickDatasetFiles: async () => null },
        { dbPath: path },
      );
      lab.shutdown();
      expect(hash(path)).toBe(before);
      const db = new Database(path, { readonly: true });
      expect(db.pragma('application_id', { simple: true })).toBe(name.includes('rollback') ? 0 : 305419896);
      expect(
        db.prepare("SELECT COUNT(*) FROM sqlite_schema WHERE name IN ('sessions', 'runs', 'meta')").pluck().get(),
      ).toBe(0);
      db.close();
    });
  }

  it('an empty file and a new path are initialised as session databases', () => {
    const empty = join(dir, 'empty.db');
    writeFileSync(empty, '');
    for (const path of [empty, join(dir, 'new.db')]) {
      const store = new SessionStore(path);
      expect(store.listSessions().map((s) => s.name)).toEqual(['Session 1']);
      store.close();
      const db = new Database(path, { readonly: true });
      expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      db.close();
    }
  });
});

function tryMount(path: string, opts: string): boolean {
  mkdirSync(path, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', opts, 'tmpfs', path], { stdio: 'pipe' });
    mounts.push(path);
    return true;
  } catch (err) {
    console.log(`read-only folder cases skipped: cannot mount a tmpfs here (${(err as Error).message})`);
    return false;
  }
}

describe('train --db and simulate --db refuse a database they cannot use, before any work, exit 2', () => {
  const text = join(dir, 'notes.txt');
  writeFileSync(text, 'these are my notes, not a database\n'.repeat(50));
  const folder = join(dir, 'a-folder');
  mkdirSync(folder);
  const newer = join(dir, 'newer.db');
  {
    const db = new Database(newer);
    db.exec('CREATE TABLE sessions (id INTEGER PRIMARY KEY)');
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
    db.close();
  }
  const foreignA = join(dir, 'other-v0.db');
  foreignV0(foreignA);
  const foreignB = join(dir, 'other-wal.db');
  foreignWal(foreignB);
  // A read-only folder (a read-only mount: root ignores permission bits) holding a lab database.
  const ro = join(dir, 'ro');
  const roMounted = process.platform === 'linux' && tryMount(ro, 'size=8m');
  const roDb = join(ro, 'lab.db');
  if (roMounted) {
    new SessionStore(roDb).close();
    execFileSync('mount', ['-o', 'remount,ro', ro]);
  }

  const cases: [string, string, RegExp][] = [
    ['a text file', text, /not a valid database/],
    ['a folder', folder, /is a folder/],
    ['/dev/null', '/dev/null', /not a regular file/],
    ['a newer schema', newer, /newer Momentum Lab \(schema v\d+/],
    ["another program's SQLite file (user_version 0)", foreignA, /not a Momentum Lab session file/],
    ["another program's SQLite file (own application id)", foreignB, /not a Momentum Lab session file/],
  ];
  if (roMounted) {
    cases.push(['a lab database in a read-only folder', roDb, /read-only \(a read-only file system\)/]);
    cases.push([
      'a new file in a read-only folder',
      join(ro, 'new.db'),
      /its folder is read-only \(a read-only file system\)/,
    ]);
  }

  for (const [name, path, reason] of cases) {
    it(`${name}`, async () => {
      const before = existsSync(path) && statSync(path).isFile() ? hash(path) : null;
      for (const argv of [
        ['train', '--per-class', '1', '--epochs', '1', '--db', path],
        ['simulate', '--objective', 'quadratic', '--db', path],
      ]) {
        const io = capture();
        const code = await main(argv, io);
        expect(code, `${argv[0]} ${name}: ${io.errors()}`).toBe(2);
        expect(io.errors()).toMatch(/--db: the session database .* cannot be (used|written)/);
        expect(io.errors()).toMatch(reason);
        expect(io.errors()).toMatch(argv[0] === 'train' ? /nothing was trained/ : /nothing was simulated/);
        expect(io.errors()).not.toMatch(/epoch|saved into/);
        expect(io.text()).toBe('');
        if (before !== null) expect(hash(path)).toBe(before);
      }
      if (path === '/dev/null') expect(statSync(path).isCharacterDevice()).toBe(true);
      if (name === 'a folder') expect(statSync(path).isDirectory()).toBe(true);
      if (name.startsWith('a new file')) expect(existsSync(path)).toBe(false);
    }, 120_000);
  }

  const asRoot = process.platform === 'linux' && process.getuid?.() === 0;
  it.skipIf(!asRoot)(
    'as another user (uid 65534): a read-only file and a new file in a read-only folder are refused, exit 2, untouched',
    async () => {
      chmodSync(dir, 0o755); // the other user must reach the folders below
      const open = join(dir, 'for-nobody');
      mkdirSync(open, { mode: 0o777 });
      chmodSync(open, 0o777);
      const file = join(open, 'lab.db');
      new SessionStore(file).close();
      chmodSync(file, 0o444);
      const closed = join(dir, 'closed-for-nobody');
      mkdirSync(closed, { mode: 0o555 });
      chmodSync(closed, 0o555);
      const before = hash(file);
      for (const [path, reason] of [
        [file, /the file is read-only \(no write permission\)/],
        [join(closed, 'new.db'), /its folder is read-only \(no write permission\)/],
      ] as const) {
        const res = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
          const child = spawn(
            process.execPath,
            [join(ROOT, 'bin', 'momentum-lab.mjs'), 'train', '--per-class', '1', '--epochs', '1', '--db', path],
            {
              cwd: ROOT,
              uid: 65534,
              gid: 65534,
              env: { ...process.env, HOME: dir },
              stdio: ['ignore', 'ignore', 'pipe'],
            },
          );
          let stderr = '';
          child.stderr!.on('data', (d) => (stderr += d));
          child.on('close', (code) => resolve({ code, stderr }));
        });
        expect(res.code, res.stderr).toBe(2);
        expect(res.stderr).toMatch(reason);
        expect(res.stderr).toMatch(/nothing was trained/);
      }
      expect(hash(file)).toBe(before);
      expect(existsSync(join(closed, 'new.db'))).toBe(false);
    },
    120_000,
  );

  it('as a real process: refused at once with the reason, exit 2, no training', async () => {
    const before = hash(foreignA);
    const res = await cli(['train', '--db', foreignA]).done;
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(
      /^momentum-lab train: --db: the session database .* not a Momentum Lab session file.*nothing was trained\n$/,
    );
    expect(res.stdout).toBe('');
    expect(hash(foreignA)).toBe(before);
  }, 120_000);
});

describe('opening a database another process is writing', () => {
  it('an up-to-date lab file opens without the write lock: sessions list answers while another process holds it', async () => {
    const path = join(dir, 'held.db');
    new SessionStore(path).close();
    const lock = await holdWriteLock(path, 30_000);
    try {
      const res = await cli(['sessions', 'list', '--db', path]).done;
      expect(res.code, res.stderr).toBe(0);
      expect(res.stdout).toMatch(/Session 1/);
      expect(res.ms).toBeLessThan(20_000);
    } finally {
      lock.child.kill('SIGKILL');
      await lock.released;
    }
  }, 60_000);
});

/** Start `n` processes that open the same new database at one instant and record `runs` runs each. */
function racers(path: string, n: number, runs: number, at: number) {
  const script = `
    import { SessionStore } from ${JSON.stringify(join(ROOT, 'src-core/node/store/session-store.ts'))};
    import { insertRun, endRun } from ${JSON.stringify(join(ROOT, 'src-core/node/store/record.ts'))};
    import { DEFAULT_TRAIN_CONFIG } from ${JSON.stringify(join(ROOT, 'src-core/contracts/train-config.ts'))};
    while (Date.now() < ${at}) {}
    const store = new SessionStore(${JSON.stringify(path)});
    const session = store.currentSessionId();
    for (let k = 0; k < ${runs}; k++) {
      const id = process.pid + '-' + k;
      insertRun(store.db, { id, sessionId: session, name: 'Run ' + id, config: DEFAULT_TRAIN_CONFIG, datasetId: 'd', datasetName: 'd', appVersion: 't', startedAt: Date.now(), trainSize: 1, testSize: 1, itersPerEpoch: 1, totalIters: 1, subset: null, sweepId: null, ownerPid: process.pid });
      endRun(store.db, id, 'finished', 'ok', 1, 1, Date.now());
    }
    store.close();
  `;
  return Array.from({ length: n }, () => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr!.on('data', (d) => (err += d));
    return new Promise<{ code: number | null; err: string }>((resolve) =>
      child.on('close', (code) => resolve({ code, err })),
    );
  });
}

describe('processes creating one new --db at once', () => {
  it('4 processes × 8 fresh files, each opening at the same instant and recording 3 runs: every run kept, one "Session 1"', async () => {
    let runs = 0;
    for (let round = 0; round < 8; round++) {
      const path = join(dir, `race-${round}.db`);
      const results = await Promise.all(racers(path, 4, 3, Date.now() + 2500));
      for (const r of results) expect(r.code, r.err).toBe(0);
      const db = new Database(path, { readonly: true });
      expect(db.prepare('SELECT COUNT(*) FROM runs').pluck().get()).toBe(12);
      expect(db.prepare('SELECT name FROM sessions').pluck().all()).toEqual(['Session 1']);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.close();
      runs += 12;
    }
    expect(runs).toBe(96);
  }, 300_000);

  it('4 real CLI trainings into one new --db and --session at once: 4 finished runs in that one session', async () => {
    const path = join(dir, 'race-cli.db');
    const results = await Promise.all(
      Array.from(
        { length: 4 },
        (_, i) =>
          cli([
            'train',
            '--per-class',
            '2',
            '--epochs',
            '1',
            '--batch',
            '5',
            '--eval-every',
            '2',
            '--seed',
            String(i + 1),
            '--db',
            path,
            '--session',
            'Big',
            '--json',
            '--quiet',
          ]).done,
      ),
    );
    for (const r of results) {
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).saved).toBe(true);
    }
    const db = new Database(path, { readonly: true });
    const rows = db.prepare('SELECT s.name, r.status FROM runs r JOIN sessions s ON s.id = r.session_id').all() as {
      name: string;
      status: string;
    }[];
    expect(rows).toHaveLength(4);
    for (const r of rows) expect(r).toEqual({ name: 'Big', status: 'finished' });
    db.close();
  }, 300_000);
});
