import Database from 'better-sqlite3';
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { invokeService } from '../invoke';
import { createLab } from '../services';
import { nodeLauncher } from '../../workers/node-launcher';
import { main } from '../../cli/main';
import type { CliIo } from '../../cli/cli-io';
import { writeFileAtomic, writeVia } from './atomic-file';
import { checkWritePath } from './save-path';
import { LAB_TEMP_PREFIX, sweepStaleTemps } from '../../../src-core/node/store/temp-files';
import { BIN, ROOT } from './test-processes';

// Items 4 and 5: where the lab writes files for the user (CLI --out and the
// app's save dialog share one check), and the temporaries a killed import or
// export leaves behind. Real files, FIFOs, device nodes, real processes.

const dir = mkdtempSync(join(tmpdir(), 'ml-writepath-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const hash = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

function capture() {
  let out = '';
  let err = '';
  const io: CliIo = { out: (s: string) => void (out += s), err: (s: string) => void (err += s) } as CliIo;
  return { io, out: () => out, err: () => err };
}

describe('sessions csv | export | report | weights --out never destroys the database or a special file', () => {
  const db = join(dir, 'lab.db');
  const setup = (async () => {
    const c = capture();
    expect(await main(['simulate', '--objective', 'quadratic', '--db', db, '--session', 'S'], c.io), c.err()).toBe(0);
  })();

  const fifo = join(dir, 'pipe.csv');
  execFileSync('mkfifo', [fifo]);
  const folder = join(dir, 'out-folder');
  mkdirSync(folder);
  const link = join(dir, 'link-to-db');
  symlinkSync(db, link);

  const refusals: [string, string, RegExp][] = [
    ['the live database', db, /is the session database .* the lab has open/],
    ['its -wal', `${db}-wal`, /session database's wal file/],
    ['its -shm', `${db}-shm`, /session database's shm file/],
    ['a link to the database', link, /is the session database/],
    ['a FIFO', fifo, /not a regular file \(a FIFO, device or socket\); it is left as it is/],
    ['a device (/dev/null)', '/dev/null', /not a regular file/],
    ['a folder', folder, /is a folder; name a file/],
  ];

  for (const action of ['csv', 'export', 'report', 'weights']) {
    const args = action === 'weights' ? ['sessions', 'weights', 'S', 'run 1'] : ['sessions', action, 'S'];
    for (const [name, target, reason] of refusals) {
      it(`${action} --out ${name}: refused (exit 2), nothing changed`, async () => {
        await setup;
        // Another connection keeps the database open, so its -wal and -shm exist and are live.
        const other = new Database(db);
        try {
          other.prepare('SELECT COUNT(*) FROM sessions').get(); // a read: now -wal and -shm exist
          expect(existsSync(`${db}-wal`) && existsSync(`${db}-shm`)).toBe(true);
          const before = [db, `${db}-wal`].map(hash);
          for (const force of [false, true]) {
            const c = capture();
            const code = await main([...args, '--out', target, '--db', db, ...(force ? ['--force'] : [])], c.io);
            expect(code, c.err()).toBe(2);
            expect(c.err()).toMatch(reason);
          }
          expect([db, `${db}-wal`].map(hash)).toEqual(before);
          expect(statSync(fifo).isFIFO()).toBe(true);
          expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
          expect(statSync(folder).isDirectory()).toBe(true);
          expect(other.prepare('SELECT COUNT(*) FROM sims').pluck().get()).toBe(1);
        } finally {
          other.close();
        }
      });
    }

    if (action === 'weights') continue; // its existing-file case is in sessions-weights.test.ts (needs a run with weights)
    it(`${action} --out an existing file: refused without --force, replaced with it; a new file is written`, async () => {
      await setup;
      const target = join(dir, `existing-${action}.out`);
      writeFileSync(target, 'my thesis draft');
      const c = capture();
      expect(await main(['sessions', action, 'S', '--out', target, '--db', db], c.io)).toBe(2);
      expect(c.err()).toMatch(/already exists; pass --force to overwrite it/);
      expect(readFileSync(target, 'utf8')).toBe('my thesis draft');
      const c2 = capture();
      expect(await main(['sessions', action, 'S', '--out', target, '--db', db, '--force'], c2.io), c2.err()).toBe(0);
      expect(readFileSync(target, 'utf8')).not.toBe('my thesis draft');
      const fresh = join(dir, `fresh-${action}.out`);
      const c3 = capture();
      expect(await main(['sessions', action, 'S', '--out', fresh, '--db', db], c3.io), c3.err()).toBe(0);
      expect(statSync(fresh).size).toBeGreaterThan(0);
      // No temporary left beside the targets.
      expect(readdirSync(dir).filter((n) => n.includes('.momentum-lab-') || n.includes('.partial-'))).toEqual([]);
    });
  }

  it('as a real process: sessions csv --out the live database exits 2 and leaves it intact', async () => {
    await setup;
    const before = hash(db);
    const res = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [BIN, 'sessions', 'csv', 'S', '--out', db, '--db', db], {
        cwd: ROOT,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr!.on('data', (d) => (stderr += d));
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/--out: .* is the session database/);
    expect(hash(db)).toBe(before);
  }, 60_000);
});

describe("the app's save dialog goes through the same check", () => {
  it('exports refuse the live database, a FIFO and a folder; a regular file picked in the dialog is replaced', async () => {
    const sub = join(dir, 'app');
    mkdirSync(sub);
    const db = join(sub, 'live.html'); // a database whose name a report export could pick
    let picked = '';
    const lab = createLab(
      { launcher: nodeLauncher, emit: () => {}, pickDatasetFiles: async () => null, pickSavePath: async () => picked },
      { dbPath: db },
    );
    try {
      const before = hash(db);
      const fifo = join(sub, 'pipe.html');
      execFileSync('mkfifo', [fifo]);
      mkdirSync(join(sub, 'folder.html'));
      const sessionId = lab.store.currentSessionId();
      for (const [target, reason] of [
        [db, /is the session database/],
        [fifo, /not a regular file/],
        [join(sub, 'folder.html'), /is a folder/],
      ] as const) {
        picked = target;
        const r = await invokeService(lab.services, 'exportReport', { sessionId });
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.error.message).toMatch(reason);
      }
      expect(hash(db)).toBe(before);
      expect(statSync(fifo).isFIFO()).toBe(true);
      picked = join(sub, 'old.html');
      writeFileSync(picked, 'old');
      const ok = await invokeService(lab.services, 'exportReport', { sessionId });
      expect(ok.ok).toBe(true);
      expect(readFileSync(picked, 'utf8')).not.toBe('old');
    } finally {
      lab.shutdown();
    }
  });

  it('the rename replaces only a regular file: a target that became a FIFO after the check is left alone', () => {
    const target = join(dir, 'swapped.csv');
    const path = checkWritePath(target, { force: true });
    expect(() =>
      writeVia(path, (tmp) => {
        writeFileSync(tmp, 'data');
        execFileSync('mkfifo', [target]); // someone puts a FIFO there meanwhile
      }),
    ).toThrow(/not a regular file; it is left as it is/);
    expect(statSync(target).isFIFO()).toBe(true);
    expect(readdirSync(dir).filter((n) => n.startsWith('.swapped.csv'))).toEqual([]);
  });
});

/** The id of a process that has run and exited (a pid no live process holds, until the system reuses it). */
function goneProcessPid(): Promise<number> {
  return new Promise<number>((resolve) => {
    const c = spawn(process.execPath, ['-e', '0']);
    c.on('close', () => resolve(c.pid!));
  });
}

describe("stale temporaries of the lab's own are removed at the next start", () => {
  it("removes the folders of gone processes and old untagged ones; keeps live ones, fresh ones and anything not the lab's", async () => {
    const base = join(dir, 'tmp-sweep');
    mkdirSync(base);
    const gone = await goneProcessPid();
    const make = (name: string, ageMs = 0, file = true) => {
      const p = join(base, name);
      if (file) {
        mkdirSync(p);
        writeFileSync(join(p, 'import.mlab'), Buffer.alloc(4096));
      } else writeFileSync(p, 'not a folder');
      const t = (Date.now() - ageMs) / 1000;
      utimesSync(p, t, t);
      return p;
    };
    const deadPid = make(`${LAB_TEMP_PREFIX}${gone}-AbC123`);
    const livePid = make(`${LAB_TEMP_PREFIX}${process.ppid}-xYz789`);
    const ownPid = make(`${LAB_TEMP_PREFIX}${process.pid}-Q1w2E3`);
    const liveButAncient = make(`${LAB_TEMP_PREFIX}${process.ppid}-OLD000`, 3 * 24 * 3600 * 1000);
    const untaggedOld = make(`${LAB_TEMP_PREFIX}aB3dE6`, 2 * 3600 * 1000);
    const untaggedFresh = make(`${LAB_TEMP_PREFIX}zZ9yY8`);
    const notOurs = [
      make('momentum-lab-sessionX', 1e9),
      make('someone-elses-temp', 1e9),
      make(`${LAB_TEMP_PREFIX}${gone}-notafolder`, 1e9, false),
      make(`${LAB_TEMP_PREFIX}${gone}-AbC123-extra`, 1e9),
    ];
    const removed = sweepStaleTemps(base);
    expect(removed.sort()).toEqual([deadPid, liveButAncient, untaggedOld].sort());
    for (const p of [livePid, ownPid, untaggedFresh, ...notOurs]) expect(existsSync(p), p).toBe(true);
  });

  it('a write into a folder removes the temporaries a gone process left there (its own names only)', async () => {
    const folder = join(dir, 'writes');
    mkdirSync(folder);
    const gone = await goneProcessPid();
    const stale = [`.fig.svg.momentum-lab-${gone}-k3j2.tmp`, `.s.mlab.momentum-lab-${gone}-zz9.tmp.partial-${gone}`];
    const kept = [`.fig.svg.momentum-lab-${process.ppid}-abc.tmp`, '.fig.svg.tmp', 'notes.momentum-lab-1-x.tmp'];
    for (const n of [...stale, ...kept]) writeFileSync(join(folder, n), 'x');
    writeFileAtomic(join(folder, 'new.csv'), 'a,b\n');
    const left = readdirSync(folder).sort();
    expect(left).toEqual([...kept, 'new.csv'].sort());
  });

  it('a CLI import killed (SIGKILL) while its temporary copy exists: the next start removes the copy', async () => {
    const tmp = join(dir, 'tmpdir-kill');
    mkdirSync(tmp);
    const big = join(dir, 'big.mlab');
    const b = new Database(big);
    b.pragma('journal_mode = DELETE');
    b.exec('CREATE TABLE filler (x BLOB); INSERT INTO filler VALUES (zeroblob(400 * 1024 * 1024))');
    b.close();
    const db = join(dir, 'kill.db');
    const env = { ...process.env, TMPDIR: tmp };
    let caught: string | null = null;
    for (let attempt = 0; attempt < 3 && caught === null; attempt++) {
      const child = spawn(process.execPath, [BIN, 'sessions', 'import', big, '--db', db], {
        cwd: ROOT,
        env,
        stdio: 'ignore',
      });
      caught = await new Promise<string | null>((resolve) => {
        const poll = setInterval(() => {
          const hit = readdirSync(tmp).find(
            (n) => n.startsWith(`${LAB_TEMP_PREFIX}${child.pid}-`) && existsSync(join(tmp, n, 'import.mlab')),
          );
          if (hit) {
            process.kill(child.pid!, 'SIGKILL');
            clearInterval(poll);
            resolve(join(tmp, hit));
          }
        }, 2);
        child.on('close', () => (clearInterval(poll), resolve(null)));
      });
      await new Promise<void>((r) =>
        child.exitCode !== null || child.signalCode !== null ? r() : child.on('close', () => r()),
      );
    }
    expect(caught, 'the import was killed while its copy existed').not.toBeNull();
    expect(existsSync(caught!)).toBe(true); // left behind by the kill
    // The next start of the lab (any command that opens the database).
    const res = await new Promise<number | null>((resolve) =>
      spawn(process.execPath, [BIN, 'sessions', 'list', '--db', db], { cwd: ROOT, env, stdio: 'ignore' }).on(
        'close',
        resolve,
      ),
    );
    expect(res).toBe(0);
    expect(existsSync(caught!)).toBe(false);
  }, 180_000);
});
