import Database from 'better-sqlite3';
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTROL_CHARS, nameProblem, printable, printableJson, printed } from '../../src-core/contracts/text-rules';
import { appendEval, insertRun } from '../../src-core/node/store/record';
import { SessionStore } from '../../src-core/node/store/session-store';
import { detail, newRun, point, tempDirEachTest } from '../../src-core/node/store/test-helpers';
import { sessionsCommand } from './sessions';
import { requestFromFlags } from './simulate';
import { configFromFlags } from './train';

// Terminal injection: a name from a database can hold escape sequences that
// set the window title or clear the screen, and newlines that fake lines of
// output. The CLI prints every stored text through printable() (one
// function); --session follows the app's name rules (nameSchema).

let dir: string;
tempDirEachTest('mlab-tty-', (d) => (dir = d));

/** Any byte a terminal acts on: C0 (ESC, BEL, CR, LF, BS...), DEL, C1 (CSI U+009B, OSC U+009D), separators, direction overrides. */
const TERMINAL_ACTIVE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

const HOSTILE = [
  '\u001b]0;pwned\u0007', // set the window title
  '\u001b[2J\u001b[H', // clear the screen
  'ok\nr9  finished  final 99.99%', // a fake line
  'bell\u0007\u0008\u0008', // bell and backspaces
  '\u009b31m red via C1 CSI', // one-byte CSI
  'abc\u202eevil.exe', // right-to-left override
  'cr\roverwrite',
  'tab\there',
];

describe('printable: the one function for text on a terminal', () => {
  it('leaves no character a terminal acts on, and keeps every other character (property, 3000 strings)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (s) => {
        const p = printable(s);
        expect(TERMINAL_ACTIVE.test(p)).toBe(false);
        expect(p.includes('\n')).toBe(false);
        // Nothing else is touched: removing the escapes of the controls and backslashes gives back the other characters in order.
        const kept = [...s].filter((c) => !CONTROL_CHARS.test(c) && c !== '\\').join('');
        expect(p.replace(/\\(x[0-9a-f]{2}|u[0-9a-f]{4}|[nrt\\])/g, '')).toBe(kept);
      }),
      { numRuns: 3000 },
    );
  });

  it('is unambiguous: distinct strings print distinctly (property, 3000 pairs)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 12 }),
        fc.string({ unit: 'binary', maxLength: 12 }),
        (a, b) => {
          if (a !== b) expect(printable(a)).not.toBe(printable(b));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("printed`` escapes values but keeps the template's own newlines; printableJson stays valid JSON", () => {
    expect(printed`${'a\nb'} ok\n`).toBe('a\\nb ok\n');
    for (const h of HOSTILE) {
      const j = printableJson(JSON.stringify({ name: h }));
      expect(TERMINAL_ACTIVE.test(j)).toBe(false);
      expect(JSON.parse(j)).toEqual({ name: h });
    }
  });
});

describe('sessions list/show of a database holding hostile names (real CLI processes)', () => {
  const cli = resolve('bin/momentum-lab.mjs');
  const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 60_000 });

  function hostileDb(): string {
    const path = join(dir, 'lab.db');
    const store = new SessionStore(path);
    const sid = store.createSession('Plain').id;
    insertRun(store.db, newRun('r1', sid));
    appendEval(store.db, 'r1', point(4), detail(), null);
    store.close();
    // Written by another tool (or a lab before the name rules): the raw names go straight into the file.
    const db = new Database(path);
    HOSTILE.forEach((h, i) =>
      db
        .prepare('INSERT INTO sessions (name, created_at, updated_at) VALUES (?, ?, ?)')
        .run(`${h} #${i}`, 1_700_000_000_000, 1_700_000_000_000 + i),
    );
    db.prepare('UPDATE runs SET name = ?').run(HOSTILE[0] + HOSTILE[2]);
    db.close();
    return path;
  }

  it('list prints one line per session with no terminal control, in text and JSON', () => {
    const db = hostileDb();
    const text = run('sessions', 'list', '--db', db);
    expect(text.status).toBe(0);
    expect(TERMINAL_ACTIVE.test(text.stdout)).toBe(false);
    expect(text.stdout.trimEnd().split('\n')).toHaveLength(HOSTILE.length + 2); // + 'Session 1' (made on open) and 'Plain';
    // Each hostile session is listed (as damaged, with the rule it breaks) so it can be found and deleted.
    expect(text.stdout).toContain('(damaged)');
    const json = run('sessions', 'list', '--db', db, '--json');
    expect(json.status).toBe(0);
    expect(TERMINAL_ACTIVE.test(json.stdout)).toBe(false);
    expect(JSON.parse(json.stdout)).toHaveLength(HOSTILE.length + 2); // + 'Session 1' (made on open) and 'Plain';
  }, 120_000);

  it('show of a session whose run name breaks the rules fails with one escaped line naming the column, exit 1', () => {
    const db = hostileDb();
    const r = run('sessions', 'show', 'Plain', '--db', db);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(TERMINAL_ACTIVE.test(r.stderr)).toBe(false);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/runs\.name of run r1: must follow the name rules: must not contain control characters/);
  }, 120_000);

  it('names that keep the rules but look like markup or SQL print as they are', async () => {
    const db = join(dir, 'ok.db');
    const store = new SessionStore(db);
    store.createSession(`<b>x</b> '; DROP TABLE runs; --`);
    store.close();
    const out: string[] = [];
    const code = await sessionsCommand(['list', '--db', db], {
      out: (s: string) => out.push(s),
      err: () => {},
    } as never);
    expect(code).toBe(0);
    expect(out.join('')).toContain(`<b>x</b> '; DROP TABLE runs; --`);
  });
});

describe("--session follows the app's name rules", () => {
  const bad = [...HOSTILE, 'x'.repeat(201), '   ', ''];

  it('train and simulate refuse a hostile or overlong --session before anything is opened (in process)', () => {
    for (const name of bad) {
      expect(() => configFromFlags(['--db', join(dir, 'x.db'), '--session', name]), JSON.stringify(name)).toThrow(
        /--session must/,
      );
      expect(
        () => requestFromFlags(['--objective', 'quadratic', '--db', join(dir, 'x.db'), '--session', name]),
        JSON.stringify(name),
      ).toThrow(/--session must/);
      expect(nameProblem(name)).not.toBeNull();
    }
    expect(configFromFlags(['--db', join(dir, 'x.db'), '--session', '  LR study  ']).session).toBe('LR study');
  });

  it('a real CLI process: exit 2, one escaped line, and no database created', () => {
    const path = join(dir, 'never.db');
    const r = spawnSync(
      process.execPath,
      [resolve('bin/momentum-lab.mjs'), 'train', '--db', path, '--session', HOSTILE[0]],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(r.status).toBe(2);
    expect(TERMINAL_ACTIVE.test(r.stderr)).toBe(false);
    expect(r.stderr).toContain('--session must not contain control characters');
    expect(existsSync(path)).toBe(false);
  }, 120_000);
});
