import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comparisonCaption } from '../../src-core/contracts/session-legend';
import type { RunSummary } from '../../src-core/contracts/session-types';
import { SessionStore } from '../../src-core/node/store/session-store';
import { checkSvg } from '../services/export/export-check';
import { invokeService } from '../services/invoke';
import { createLab } from '../services/services';
import { nodeLauncher } from '../workers/node-launcher';

// `momentum-lab figure` through the real CLI process, against the app's export service (the path Compare's SVG / PNG
// buttons take) on the same session file: the same selection must give the same bytes.

const CLI = resolve('bin/momentum-lab.mjs');
const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });
let dir = '';
let db = '';
let runs: RunSummary[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mlab-figure-'));
  db = join(dir, 'lab.db');
  for (const lr of ['0.1', '0.5']) {
    const r = cli(
      'train',
      '--per-class',
      '50',
      '--epochs',
      '2',
      '--hidden',
      '16',
      '--eval-every',
      '4',
      '--lr',
      lr,
      '--db',
      db,
      '--session',
      'Figures',
      '--quiet',
    );
    expect(r.status, r.stderr).toBe(0);
  }
  const store = new SessionStore(db);
  // Named as a user would in the Sessions view (train names runs by all their settings).
  for (const r of store.listRuns(store.listSessions().find((s) => s.name === 'Figures')!.id))
    store.updateRun(r.id, { name: `LR ${r.config.lr}` });
  runs = store.listRuns(store.listSessions().find((s) => s.name === 'Figures')!.id);
  store.close();
}, 240_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What Compare's export button sends for the loss chart (CompareView.saveFigure), written where the dialog says. */
async function appExport(file: string, format: 'svg' | 'png', scale: number, figure: Record<string, unknown>) {
  const lab = createLab(
    { launcher: nodeLauncher, emit: () => {}, pickDatasetFiles: async () => null, pickSavePath: async () => file },
    { dbPath: db },
  );
  try {
    const name = figure.metrics && String(figure.metrics).includes('acc') ? 'compare-accuracy' : 'compare-loss';
    const res = await invokeService(lab.services, 'exportCompareFigure', { figure, format, scale, name });
    expect(res.ok, JSON.stringify(res)).toBe(true);
  } finally {
    lab.shutdown();
  }
  return readFileSync(file);
}

describe('momentum-lab figure (the real CLI process)', () => {
  it("writes the app's Compare export byte for byte: SVG with the legend from what differs and the report caption", async () => {
    const out = join(dir, 'cli-loss.svg');
    const r = cli(
      'figure',
      'Figures',
      '--runs',
      'LR 0.1,LR 0.5',
      '--metric',
      'test-loss,train-loss',
      '--x',
      'iteration',
      '--smooth',
      '0.3',
      '--out',
      out,
      '--db',
      db,
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^wrote .*cli-loss\.svg \(compare-loss, 2 runs, \d+ bytes\)\n$/);
    // The view's caption: comparisonCaption of the shown runs' settings, as CompareView builds it.
    const caption = comparisonCaption(
      'Test and train loss',
      runs.map((x) => x.config),
    );
    const app = await appExport(join(dir, 'app-loss.svg'), 'svg', 2, {
      runIds: runs.map((x) => x.id),
      metrics: ['test-loss', 'train-loss'],
      x: 'iteration',
      smooth: 0.3,
      caption,
      yLog: false,
      accFull: false,
    });
    const mine = readFileSync(out);
    expect(mine.equals(app)).toBe(true);

    const svg = mine.toString('utf8');
    checkSvg(svg); // the allow-list every exported SVG passes
    expect(caption).toBe('Test and train loss; LR: 0.1 / 0.5; BS:32; EPOCHS: 2; HL: 16; N: 500 (50/class).');
    expect(svg).toContain(`data-caption="${caption}"`);
    expect([...svg.matchAll(/data-legend="([^"]*)"/g)].map((m) => m[1])).toEqual(['LR 0.1', 'LR 0.5']);
    // Every evaluation is a vertex of its run's test curve (smoothed: the faint raw curve is drawn too).
    const store = new SessionStore(db);
    const points = store.curves(runs[0].id).points.length;
    store.close();
    const test = new RegExp(`<path d="([^"]*)"[^>]*data-run="${runs[0].id}" data-metric="test"`).exec(svg)![1];
    expect(test.split(/[ML]/).filter(Boolean)).toHaveLength(points);
    expect(svg.match(/stroke-opacity="0\.25"/g)).toHaveLength(2);
  }, 120_000);

  it('PNG: the same rasteriser as the app, the same bytes, scale times the figure in pixels', async () => {
    const out = join(dir, 'cli-acc.png');
    const r = cli(
      'figure',
      'Figures',
      '--runs',
      runs[1].id,
      '--runs',
      'LR 0.1',
      '--metric',
      'test-acc',
      '--x',
      'epoch',
      '--caption',
      'My <b>caption</b>',
      '--out',
      out,
      '--scale',
      '3',
      '--db',
      db,
      '--json',
    );
    expect(r.status, r.stderr).toBe(0);
    const res = JSON.parse(r.stdout) as { width: number; height: number; caption: string; runs: { name: string }[] };
    expect(res.runs.map((x) => x.name)).toEqual(['LR 0.5', 'LR 0.1']);
    const app = await appExport(join(dir, 'app-acc.png'), 'png', 3, {
      runIds: [runs[1].id, runs[0].id],
      metrics: ['test-acc'],
      x: 'epoch',
      smooth: 0,
      caption: 'My <b>caption</b>',
      yLog: false,
      accFull: false,
    });
    const png = readFileSync(out);
    expect(png.equals(app)).toBe(true);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) }).toEqual({
      width: res.width,
      height: res.height,
    });
    expect(res.width).toBe(720 * 3);
    // The SVG behind it holds the caption as text, escaped.
    const svgOut = join(dir, 'cli-acc.svg');
    expect(
      cli(
        'figure',
        'Figures',
        '--runs',
        'all',
        '--metric',
        'test-acc',
        '--caption',
        'My <b>caption</b>',
        '--out',
        svgOut,
        '--db',
        db,
      ).status,
    ).toBe(0);
    const svg = readFileSync(svgOut, 'utf8');
    expect(svg).toContain('My &lt;b&gt;caption&lt;/b&gt;');
    expect(svg).not.toContain('<b>');
  }, 120_000);

  it('bad input: one line naming the problem, exit 2, nothing written', () => {
    const existing = join(dir, 'existing.svg');
    writeFileSync(existing, 'keep me');
    const base = ['figure', 'Figures', '--db', db];
    for (const [args, pattern] of [
      [
        [...base, '--runs', 'LR 9', '--out', join(dir, 'a.svg')],
        /--runs: no run "LR 9" in this session \(runs: LR 0\.1, LR 0\.5\)/,
      ],
      [
        [...base, '--runs', 'all', '--metric', 'test-loss,test-acc', '--out', join(dir, 'a.svg')],
        /loss and accuracy do not share a y axis/,
      ],
      [
        [...base, '--runs', 'all', '--metric', 'test-los', '--out', join(dir, 'a.svg')],
        /--metric: "test-los" is not one of/,
      ],
      [[...base, '--runs', 'all', '--x', 'steps', '--out', join(dir, 'a.svg')], /--x: "steps" is not one of/],
      [[...base, '--runs', 'all', '--smooth', '1', '--out', join(dir, 'a.svg')], /smooth: must be <= 0\.95/],
      [[...base, '--runs', 'all', '--out', join(dir, 'a.jpg')], /must end in \.svg or \.png/],
      [[...base, '--runs', 'all', '--out', join(dir, 'a.png'), '--scale', '5'], /--scale: 5 is not 1, 2, 3 or 4/],
      [[...base, '--runs', 'all', '--out', existing], /already exists; pass --force/],
      [
        [...base, '--runs', 'all', '--out', join(dir, 'lab.db-wal.svg').replace('-wal.svg', '-wal'), '--force'],
        /must end in \.svg or \.png/,
      ],
      [[...base, '--runs', 'all', '--out', join(dir, 'nofolder', 'a.svg')], /does not exist/],
      [['figure', 'Nope', '--db', db, '--runs', 'all', '--out', join(dir, 'a.svg')], /no session "Nope"/],
      [
        ['figure', 'Figures', '--db', join(dir, 'missing.db'), '--runs', 'all', '--out', join(dir, 'a.svg')],
        /no session database/,
      ],
      [['figure', 'Figures', '--db', db, '--out', join(dir, 'a.svg')], /--runs is required/],
      [[...base, '--runs', 'all', '--out', join(dir, 'a.svg'), '--bogus'], /bogus/],
    ] as const) {
      const r = cli(...args);
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(pattern);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(readFileSync(existing, 'utf8')).toBe('keep me');
    expect(() => readFileSync(join(dir, 'a.svg'))).toThrow();
  }, 240_000);

  it('--help is generated from the option table that parses the flags: every flag once', () => {
    const r = cli('figure', '--help');
    expect(r.status).toBe(0);
    const flags = [...r.stdout.matchAll(/^ {2}--([a-z-]+)/gm)].map((m) => m[1]);
    expect(flags).toEqual([
      'runs',
      'metric',
      'x',
      'smooth',
      'log',
      'acc-full',
      'caption',
      'out',
      'scale',
      'force',
      'sim',
      'chart',
      'phase',
      'path',
      'h-scale',
      'colour-by',
      'mark',
      'db',
      'json',
      'help',
    ]);
  });

  it('--sim draws a saved simulation: each path is x_t of heavy-ball (a float64 recursion in the test), affinely mapped', () => {
    const sdb = join(dir, 'sims.db');
    const sim = cli(
      'simulate',
      '--objective',
      'quadratic',
      '--lambda',
      '1',
      '--lr',
      '0.1',
      '--d',
      '0.5,1.05',
      '--x0',
      '2',
      '--steps',
      '60',
      '--db',
      sdb,
      '--session',
      'Sims',
    );
    expect(sim.status, sim.stderr).toBe(0);
    const out = join(dir, 'sim.svg');
    const r = cli('figure', 'Sims', '--sim', 'Simulation 1', '--out', out, '--db', sdb);
    expect(r.status, r.stderr).toBe(0);
    const svg = readFileSync(out, 'utf8');
    checkSvg(svg);
    // The legend names the runs as the Momentum view does (the first one is the view's highlighted run).
    expect([...svg.matchAll(/data-legend="([^"]*)"/g)].map((m) => m[1])).toEqual(['d = 0.5 ◆', 'd = 1.05 (diverged)']);
    expect(svg).toContain('data-caption="Momentum 1-D; quadratic λ=1; LR:0.1; d: 0.5, 1.05; x0: 2; STEPS: 60."');
    const vertices = (k: number) =>
      new RegExp(`<path d="([^"]+)"[^>]*data-run="${k}"`)
        .exec(svg)![1]
        .split(/[ML]/)
        .filter(Boolean)
        .map((p) => p.split(',').map(Number) as [number, number]);
    const heavyBall = (d: number) => {
      let x = 2;
      let v = 0;
      const xs = [x];
      for (let t = 0; t < 60; t++) {
        v = d * v - 0.1 * x;
        x += v;
        xs.push(x);
      }
      return xs;
    };
    // Screen (px, py) is (a + c * t, b + e * x_t): the mapping from the converging run, whose 61 points are all drawn.
    const conv = vertices(0);
    const xs0 = heavyBall(0.5);
    expect(conv).toHaveLength(61);
    const c = (conv[60][0] - conv[0][0]) / 60;
    const e = (conv[10][1] - conv[0][1]) / (xs0[10] - xs0[0]);
    for (const [k, d] of [
      [0, 0.5],
      [1, 1.05],
    ] as const) {
      const xs = heavyBall(d);
      const drawn = vertices(k);
      // The diverged run is cut where it leaves the others' range; every point it does draw is on the recursion.
      expect(drawn.length, `d ${d}`).toBeGreaterThan(k === 0 ? 60 : 5);
      for (const [px, py] of drawn) {
        const t = Math.round((px - conv[0][0]) / c);
        expect(Math.abs(conv[0][0] + c * t - px), `d ${d}: x of step ${t}`).toBeLessThan(0.02);
        expect(Math.abs(conv[0][1] + e * (xs[t] - xs0[0]) - py), `d ${d} t ${t}`).toBeLessThan(0.03);
      }
    }
    const bad = cli('figure', 'Sims', '--sim', 'Simulation 9', '--out', join(dir, 'x.svg'), '--db', sdb);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--sim: no simulation "Simulation 9" in this session \(Simulation 1\)/);
  }, 120_000);

  it('--phase: the diverged area matches the theory (h > 2(1 + d) for d <= 1, every h for d > 1) to a grid cell', () => {
    const out = join(dir, 'phase.svg');
    const r = cli('figure', '--phase', '--out', out, '--json');
    expect(r.status, r.stderr).toBe(0);
    const svg = readFileSync(out, 'utf8');
    checkSvg(svg);
    const diverged = [...svg.matchAll(/data-diverged="(\d+)"/g)].reduce((n, m) => n + Number(m[1]), 0);
    // The box [0.02, 5.2] x [0, 1.6]: the diverged area is the integral of (5.2 - 2(1 + d)) over d in [0, 1] plus
    // 5.18 * 0.6 above d = 1, over the box's area.
    const share = (3.2 - 1 + 5.18 * 0.6) / (5.18 * 1.6);
    expect(Math.abs(diverged / (208 * 160) - share)).toBeLessThan(0.01);
    expect(svg).toContain('data-line="stability"');
    expect(svg).toContain('data-line="critical"');
    expect(cli('figure', 'S', '--phase', '--out', out, '--force').stderr).toMatch(/--phase takes no SESSION/);
    // The flags of the Momentum view's settings: bad values are one line each, exit 2, nothing written.
    for (const [args, pattern] of [
      [['--mark', '0.1'], /--mark: "0\.1" is not H,D or H1,H2,D/],
      [['--mark', '0.1,9'], /mark\.d: must be <= 3/],
      [['--colour-by', 'speed'], /colour/],
      [['--chart', 'plane'], /--chart applies to --sim/],
    ] as const) {
      const bad = cli('figure', '--phase', ...args, '--out', join(dir, 'bad.svg'));
      expect(bad.status, bad.stderr).toBe(2);
      expect(bad.stderr).toMatch(pattern);
    }
    expect(() => readFileSync(join(dir, 'bad.svg'))).toThrow();
    // The setting ringed where the axes put (h, d) = (1, 0.5): x from the "1" and "2" tick labels, y from "0" and "1".
    const marked = join(dir, 'phase-mark.svg');
    expect(cli('figure', '--phase', '--mark', '1,0.5', '--colour-by', 'steps', '--out', marked).status).toBe(0);
    const m = readFileSync(marked, 'utf8');
    const tick = (label: string, axis: 'x' | 'y') =>
      Number(
        new RegExp(
          axis === 'x'
            ? `<text x="([\\d.]+)" y="[\\d.]+" text-anchor="middle"[^>]*>${label}<`
            : `<text x="-6" y="([\\d.]+)"[^>]*>${label}<`,
        ).exec(m)![1],
      );
    const ring = /<circle cx="([\d.]+)" cy="([\d.]+)"[^>]*data-mark="0"/.exec(m)!;
    expect(Math.abs(Number(ring[1]) - tick('1', 'x'))).toBeLessThan(0.02);
    expect(Math.abs(Number(ring[2]) - (tick('0', 'y') + tick('1', 'y')) / 2 + 4)).toBeLessThan(0.02);
    expect(m).toContain('steps until |x| ≤ 1e-6: 1 to 500 (log scale)');
  }, 120_000);

  it('--phase --path: a saved heavy-ball run at h = lr·λ_max per sharpness measurement, on the log h axis', () => {
    const mdb = join(dir, 'map.db');
    const small = ['--per-class', '30', '--batch', '10', '--epochs', '4', '--eval-every', '10', '--val', '0'];
    const train = (...args: string[]) => {
      const r = cli('train', ...small, ...args, '--db', mdb, '--session', 'Map', '--quiet');
      expect(r.status, r.stderr).toBe(0);
    };
    train('--lr', '0.02', '--momentum', '0.9', '--sharpness-every', '5');
    train('--lr', '0.001', '--optimizer', 'adam', '--sharpness-every', '5');
    train('--lr', '0.05', '--momentum', '0.5');
    const raw = new Database(mdb, { readonly: true });
    const ids = (raw.prepare('SELECT id FROM runs ORDER BY rowid').all() as { id: string }[]).map((r) => r.id);
    // The oracle: the measurements as SQLite holds them, h = lr · λ_max.
    const measured = raw
      .prepare('SELECT iter, sharpness FROM evals WHERE run_id = ? AND sharpness IS NOT NULL ORDER BY iter')
      .all(ids[0]) as { iter: number; sharpness: number }[];
    raw.close();
    expect(measured.length).toBe(3); // the 5th and 10th evaluations, and the last
    const hs = measured.map((m) => 0.02 * m.sharpness);

    const out = join(dir, 'map.svg');
    const r = cli('figure', 'Map', '--phase', '--path', ids[0], '--db', mdb, '--out', out, '--json');
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).caption).toBe(
      'Phase diagram; heavy-ball on λx²/2, x0 = 1, 500 steps; h on a log axis. Orange: the training run LR 0.02, ' +
        `d 0.9, BS 10, HL 64, 300 images, points 1–3 = (lr·λ_max, d) at its sharpness measurements (iterations ${measured[0].iter}–${measured[2].iter}).`,
    );
    const svg = readFileSync(out, 'utf8');
    checkSvg(svg);
    const group = svg.slice(svg.indexOf('<g data-run-path="LR 0.02, d 0.9, BS 10, HL 64, 300 images">'));
    const points = [...group.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)" r="4"/g)].slice(0, 3);
    const tick = (label: string, axis: 'x' | 'y') =>
      Number(
        new RegExp(
          axis === 'x'
            ? `<text x="([\\d.]+)" y="[\\d.]+" text-anchor="middle"[^>]*>${label}<`
            : `<text x="-6" y="([\\d.]+)"[^>]*>${label}<`,
        ).exec(svg)![1],
      );
    // A log axis: one decade from the "0.1" tick to the "1" tick; d = 0.9 halfway between the "0.8" and "1" ticks.
    const decade = tick('1', 'x') - tick('0.1', 'x');
    points.forEach(([, cx, cy], i) => {
      expect(
        Math.abs(Number(cx) - (tick('0.1', 'x') + decade * Math.log10(hs[i] / 0.1))),
        `point ${i + 1}`,
      ).toBeLessThan(0.02);
      expect(Math.abs(Number(cy) - (tick('0.8', 'y') + tick('1', 'y')) / 2 + 4)).toBeLessThan(0.02);
    });
    expect(points).toHaveLength(3);
    // --h-scale linear: the view's linear map (0.02 to 5.2), the same points.
    const lin = join(dir, 'map-linear.svg');
    expect(
      cli('figure', 'Map', '--phase', '--path', ids[0], '--h-scale', 'linear', '--db', mdb, '--out', lin).status,
    ).toBe(0);
    expect(readFileSync(lin, 'utf8')).not.toContain('h on a log axis');

    // No path to draw: one line each, exit 2, nothing written.
    for (const [args, pattern] of [
      [
        ['Map', '--phase', '--path', ids[1]],
        /--path: run ".*Adam.*" has no path on the map: the momentum map is heavy-ball's; this run used Adam/,
      ],
      [['Map', '--phase', '--path', ids[2]], /--path: run ".*" has no path on the map: no sharpness was measured/],
      [['Map', '--phase', '--path', 'LR 9'], /--path: no run "LR 9" in this session/],
      [['Map', '--path', ids[0]], /--path and --h-scale apply to --phase/],
      [['Map', '--phase', '--path', ids[0], '--h-scale', 'ln'], /--h-scale: "ln" is not log or linear/],
      [['Map', '--phase', '--path', ids[0], '--runs', 'all'], /--runs, --sim and --phase draw different figures/],
      [['--phase', '--path', ids[0]], /name the session/],
    ] as const) {
      const bad = cli('figure', ...args, '--db', mdb, '--out', join(dir, 'no-map.svg'));
      expect(bad.status, bad.stderr).toBe(2);
      expect(bad.stderr).toMatch(pattern);
    }
    expect(() => readFileSync(join(dir, 'no-map.svg'))).toThrow();
  }, 180_000);
});
