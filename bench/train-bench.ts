// Training benchmark (issues 5, 18): the standard workload W, W-mom and
// W-fashion (W on Fashion-MNIST, Debian's gzipped IDX files as shipped) with the
// lab's own trainer exactly as the CLI runs it (a whole `node
// bin/momentum-lab.mjs train --json` process), and "study 6xW" (six seeds of W
// as one study through the app's services, bench/study-run.ts; the peers run
// their six seeds two processes at a time, bench/peer-study.mjs), interleaved with the peers in
// ../shared/bench (NumPy, PyTorch), repeated, medians and ratios; plus a chart
// redraw benchmark (thinning 100,000 points) and the streaming overhead (the
// app's observers vs headless). Never part of `npm test`.
//
//   npm run bench                       # table on stdout
//   npm run bench -- --json out.json    # also write the results as JSON
//   options: --repeats N (3), --only W|W-mom|W-fashion|study (comma-separated), --no-peers, --skip-extras,
//            --peers numpy,torch (which peers run; default both),
//            --seeds N (3: every contender also runs N-1 more seeds once, untimed, for the test-loss curves' spread),
//            --timeout S (300: a run taking longer is stopped, and that contender skipped from then on, with a note)
//   env: MOMENTUM_BENCH_PEERS=/path/to/shared/bench (default ../shared/bench next to the repo, or ../../shared/bench)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { freshBundle } from '../bin/fresh-bundle.mjs';
import { useNativeKernels } from '../src-core/mlp/wasm/native-kernels';
import { builtinMnistFiles } from '../src-core/node/mnist';
import { nativeKernelsAbsent, useNativeKernelsIfBuilt } from '../src-core/node/native-kernels';
import { redrawBench, streamingBench } from './extras';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: flags } = parseArgs({
  options: {
    repeats: { type: 'string', default: '3' },
    seeds: { type: 'string', default: '3' },
    timeout: { type: 'string', default: '300' },
    only: { type: 'string' },
    json: { type: 'string' },
    'no-peers': { type: 'boolean', default: false },
    peers: { type: 'string', default: 'numpy,torch' },
    'skip-extras': { type: 'boolean', default: false },
  },
});
const repeats = Math.max(1, Number(flags.repeats));
const seeds = Math.max(1, Math.floor(Number(flags.seeds)) || 1);
// ../shared/bench next to the main checkout; from a worktree under <root>/wt/<name>, <root>/shared/bench.
const peerDirs = [resolve(repo, '..', 'shared', 'bench'), resolve(repo, '..', '..', 'shared', 'bench')];
const peersDir = process.env.MOMENTUM_BENCH_PEERS ?? peerDirs.find((d) => existsSync(d)) ?? peerDirs[0];
const dataDir = dirname(builtinMnistFiles().trainImages);
const PY = '/usr/bin/python3';
const OMP_BLAS = '/usr/lib/x86_64-linux-gnu/openblas-openmp';

interface Workload {
  name: string;
  labArgs: string[];
  peerArgs: string[];
  /** The peers' IDX folder (default: MNIST's). */
  peerData?: string;
  /** Six seeds as one study (the lab: bench/study-run.ts; the peers: bench/peer-study.mjs). */
  study?: boolean;
  /** Run by the lab only (no peer computes it); its cost is stated against the named workload, repeat by repeat. */
  labOnly?: { against: string };
}
const FASHION_DIR = '/usr/share/datasets/fashion-mnist';
const FASHION_FILES = ['train-images-idx3', 'train-labels-idx1', 't10k-images-idx3', 't10k-labels-idx1'].map(
  (f) => `${f}-ubyte`,
);
const only = flags.only ? flags.only.split(',') : null;
const wanted = (name: string) => !only || only.includes(name) || (name === STUDY && only.includes('study'));
const STUDY = 'study 6xW';
const setupNotes: string[] = [];
{
  // Which kernels the lab's trainer processes load (src-core/node/native-kernels.ts): the figures depend on it.
  const native = useNativeKernelsIfBuilt();
  setupNotes.push(
    native
      ? `Momentum Lab kernels: native, ${native.vectors} (first layer and step), WebAssembly for the rest`
      : `Momentum Lab kernels: WebAssembly only (${nativeKernelsAbsent})`,
  );
  useNativeKernels(null);
}
/** Fashion-MNIST decompressed once, before any timing, for the peers (which read plain IDX); null: not installed. */
function fashionForPeers(): string | null {
  if (!FASHION_FILES.every((f) => existsSync(join(FASHION_DIR, `${f}.gz`)))) {
    const how = 'apt-get install dataset-fashion-mnist';
    setupNotes.push(`W-fashion: skipped (Fashion-MNIST is not installed in ${FASHION_DIR}: ${how})`);
    return null;
  }
  const dir = mkdtempSync(join(tmpdir(), 'ml-bench-fashion-'));
  mkdirSync(dir, { recursive: true });
  for (const f of FASHION_FILES) writeFileSync(join(dir, f), gunzipSync(readFileSync(join(FASHION_DIR, `${f}.gz`))));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
const fashionPeerDir = wanted('W-fashion') ? fashionForPeers() : null;
const WORKLOADS: Workload[] = [
  { name: 'W', labArgs: ['--val', '0'], peerArgs: [] },
  {
    name: 'W-mom',
    labArgs: ['--val', '0', '--momentum', '0.9', '--lr', '0.01'],
    peerArgs: ['--momentum', '0.9', '--lr', '0.01'],
  },
  ...(fashionPeerDir
    ? [{ name: 'W-fashion', labArgs: ['--val', '0', '--data', FASHION_DIR], peerArgs: [], peerData: fashionPeerDir }]
    : []),
  // Issue 15's cost: W with sharpness (38 evaluations, so every 200th is the final one only; N = 1,000).
  { name: 'W-sharp', labArgs: ['--val', '0', '--sharpness-every', '200'], peerArgs: [], labOnly: { against: 'W' } },
  { name: STUDY, labArgs: [], peerArgs: [], study: true },
].filter((w) => wanted(w.name));

interface Sample {
  wallS: number;
  /** User + system CPU seconds of the whole process tree (less sensitive than wall time to other load on the machine). */
  cpuS: number;
  trainS: number;
  rssMB: number;
  acc: number;
  curve: CurvePoint[];
}
/** One evaluation of a run: iterations done, full test-set loss and accuracy. */
interface CurvePoint {
  iter: number;
  loss: number;
  acc: number;
}
interface Contender {
  name: string;
  /** The seed of the timed runs, and the arguments that set another one. */
  seed: number;
  seedArgs(seed: number): string[];
  /** One command per variant; a repeat runs every variant and keeps the fastest (e.g. OPENBLAS_CORETYPE as-is and unset). */
  variants: { label: string; cmd: string[]; env: NodeJS.ProcessEnv }[];
  parse(stdout: string): { trainS: number; acc: number; curve: CurvePoint[] };
}

/** The curve of a JSON result, whose points name iterations, test loss and test accuracy with the given keys. */
function curveOf(j: Record<string, unknown>, loss: string, acc: string): CurvePoint[] {
  const c = j.curve;
  if (!Array.isArray(c)) return [];
  return c.map((p: Record<string, unknown>) => ({ iter: Number(p.iter), loss: Number(p[loss]), acc: Number(p[acc]) }));
}

function lastJsonLine(stdout: string): Record<string, unknown> {
  const line = stdout
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .at(-1);
  if (!line) throw new Error(`no JSON line in output: ${stdout.slice(0, 300)}`);
  return JSON.parse(line) as Record<string, unknown>;
}

function blasVariants(env: NodeJS.ProcessEnv): { label: string; env: NodeJS.ProcessEnv }[] {
  const asIs = { label: 'env as-is', env };
  if (env.OPENBLAS_CORETYPE === undefined && env.OPENBLAS_L2_SIZE === undefined) return [asIs];
  const unset = { ...env };
  delete unset.OPENBLAS_CORETYPE;
  delete unset.OPENBLAS_L2_SIZE;
  return [asIs, { label: 'CORETYPE/L2_SIZE unset', env: unset }];
}

function contenders(w: Workload, notes: string[]): Contender[] {
  const lab: Contender = {
    name: 'Momentum Lab',
    seed: 1,
    seedArgs: (seed) => ['--seed', String(seed)],
    variants: [
      w.study
        ? {
            label: 'tsx bench/study-run.ts',
            cmd: [process.execPath, '--import', 'tsx', join(repo, 'bench/study-run.ts')],
            env: process.env,
          }
        : {
            label: 'node bin/momentum-lab.mjs train --json --quiet',
            cmd: [process.execPath, join(repo, 'bin/momentum-lab.mjs'), 'train', '--json', '--quiet', ...w.labArgs],
            env: process.env,
          },
    ],
    parse: (out) => {
      const j = lastJsonLine(out);
      if (j.status !== 'finished') throw new Error(`lab run ended ${String(j.status)}: ${String(j.message)}`);
      return { trainS: Number(j.trainSeconds), acc: Number(j.finalTestAcc), curve: curveOf(j, 'testLoss', 'testAcc') };
    },
  };
  const list = [lab];
  if (flags['no-peers'] || w.labOnly) return list;
  const havePy = existsSync(PY);
  const peer = (
    name: string,
    script: string,
    extraEnv: NodeJS.ProcessEnv,
    extraArgs: string[],
    check: string,
  ): void => {
    const file = join(peersDir, script);
    if (!existsSync(file)) return void notes.push(`${name}: skipped (${file} not found)`);
    if (!havePy) return void notes.push(`${name}: skipped (${PY} not found)`);
    const probe = spawnSync(PY, ['-c', `import ${check}`], { encoding: 'utf8' });
    if (probe.status !== 0) return void notes.push(`${name}: skipped (python module ${check} not importable)`);
    const base = { ...process.env, ...extraEnv };
    list.push({
      name,
      seed: 0,
      seedArgs: (seed) => ['--seed', String(seed)],
      variants: blasVariants(base).map((v) => {
        const one = [PY, file, w.peerData ?? dataDir, ...extraArgs, ...w.peerArgs];
        // A study: six seeds, two processes at a time (one per core), each with one thread.
        const oneThread = one.map((a, i) => (one[i - 1] === '--threads' ? '1' : a));
        const study = [process.execPath, join(repo, 'bench/peer-study.mjs'), '--seeds', '6', '--lanes', '2', '--'];
        const cmd = w.study ? [...study, ...oneThread] : one;
        return { label: v.label, env: v.env, cmd };
      }),
      parse: (out) => {
        const j = lastJsonLine(out);
        return { trainS: Number(j.train_s), acc: Number(j.final_test_acc), curve: curveOf(j, 'test_loss', 'test_acc') };
      },
    });
  };
  const peerNames = flags.peers.split(',');
  if (peerNames.includes('numpy')) {
    peer('NumPy (1 BLAS thread)', 'peer_numpy.py', { OPENBLAS_NUM_THREADS: '1' }, [], 'numpy');
  } else notes.push('NumPy: not run (--peers)');
  if (!peerNames.includes('torch')) {
    notes.push('PyTorch: not run (--peers)');
    return list;
  }
  const torchEnv: NodeJS.ProcessEnv = existsSync(OMP_BLAS)
    ? { LD_LIBRARY_PATH: [OMP_BLAS, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':') }
    : {};
  if (!existsSync(OMP_BLAS)) notes.push(`PyTorch: ${OMP_BLAS} missing, running with the default BLAS`);
  const torchName = w.study ? 'PyTorch (1 thread per run, OpenMP BLAS)' : 'PyTorch (2 threads, OpenMP BLAS)';
  const torchRunEnv = w.study ? { ...torchEnv, OMP_NUM_THREADS: '1' } : torchEnv;
  peer(torchName, 'peer_torch.py', torchRunEnv, ['--threads', '2'], 'torch');
  return list;
}

class TimedOut extends Error {}

/**
 * The CLI runs its precompiled bundle only while no source is newer (bin/fresh-bundle.mjs); other engineers'
 * edits during a long benchmark would silently switch it to tsx. Rebuild it from the current sources first.
 */
let rebuilds = 0;
function ensureFreshCli(): void {
  if (freshBundle('cli') && freshBundle('trainer-worker')) return;
  const r = spawnSync(process.execPath, [join(repo, 'scripts/build-cli.mjs')], { encoding: 'utf8', cwd: repo });
  if (r.status !== 0) throw new Error(`scripts/build-cli.mjs failed: ${r.stderr}`);
  rebuilds++;
}

/** Runs cmd under /usr/bin/time (peak RSS of the largest process of the tree, and CPU time of the tree) and times the whole process. */
function runOnce(
  cmd: string[],
  env: NodeJS.ProcessEnv,
): { wallS: number; cpuS: number; stdout: string; rssMB: number } {
  const tmp = mkdtempSync(join(tmpdir(), 'ml-bench-'));
  const timeFile = join(tmp, 'time');
  const useTime = existsSync('/usr/bin/time');
  const full = useTime ? ['/usr/bin/time', '-f', '%M %U %S', '-o', timeFile, ...cmd] : cmd;
  const t0 = performance.now();
  const r = spawnSync(full[0], full.slice(1), {
    env,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    cwd: repo,
    timeout: Number(flags.timeout) * 1000,
    killSignal: 'SIGKILL',
  });
  const wallS = (performance.now() - t0) / 1000;
  const [rssKB, user, sys] =
    useTime && existsSync(timeFile)
      ? readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number)
      : [NaN, NaN, NaN];
  rmSync(tmp, { recursive: true, force: true });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT')
    throw new TimedOut(`stopped after ${flags.timeout} s`);
  if (r.status !== 0) throw new Error(`${cmd.join(' ')} exited ${r.status}: ${(r.stderr ?? '').slice(-500)}`);
  return { wallS, cpuS: user + sys, stdout: r.stdout, rssMB: rssKB / 1024 };
}

const median = (xs: number[]) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const notes: string[] = [...setupNotes];
const plan = WORKLOADS.map((w) => ({ w, cs: contenders(w, notes) }));
const samples = new Map<string, Sample[]>();
const variantWins = new Map<string, Map<string, number>>();
const key = (w: string, c: string) => `${w}\u0000${c}`;
const gaveUp = new Set<string>();
for (let rep = 0; rep < repeats; rep++) {
  for (const { w, cs } of plan) {
    for (const c of cs) {
      if (gaveUp.has(c.name)) continue;
      let best: (Sample & { label: string }) | null = null;
      try {
        for (const v of c.variants) {
          if (c === cs[0]) ensureFreshCli();
          const r = runOnce(v.cmd, v.env);
          const p = c.parse(r.stdout);
          const s = {
            wallS: r.wallS,
            cpuS: r.cpuS,
            trainS: p.trainS,
            rssMB: r.rssMB,
            acc: p.acc,
            curve: p.curve,
            label: v.label,
          };
          if (!best || s.wallS < best.wallS) best = s;
        }
      } catch (err) {
        if (!(err instanceof TimedOut) || c === cs[0]) throw err;
        gaveUp.add(c.name);
        notes.push(
          `${c.name}: a ${w.name} run took longer than ${flags.timeout} s (repeat ${rep + 1}); skipped from then on`,
        );
        process.stderr.write(`rep ${rep + 1}/${repeats} ${w.name} ${c.name}: timed out\n`);
        continue;
      }
      const k = key(w.name, c.name);
      samples.set(k, [...(samples.get(k) ?? []), best!]);
      const wins = variantWins.get(k) ?? new Map<string, number>();
      wins.set(best!.label, (wins.get(best!.label) ?? 0) + 1);
      variantWins.set(k, wins);
      process.stderr.write(
        `rep ${rep + 1}/${repeats} ${w.name} ${c.name}: wall ${best!.wallS.toFixed(2)} s, train ${best!.trainS.toFixed(2)} s, acc ${best!.acc.toFixed(4)}\n`,
      );
    }
  }
}

// The curves' spread: every contender once more for each further seed (untimed; the first variant only).
const seedCurves = new Map<string, CurvePoint[][]>();
for (const { w, cs } of plan) {
  for (const c of cs) {
    const timed = samples.get(key(w.name, c.name))?.[0]?.curve;
    if (!timed || gaveUp.has(c.name) || w.study) continue;
    const curvesOf = [timed];
    for (let k = 1; k < seeds; k++) {
      const v = c.variants[0];
      try {
        if (c === cs[0]) ensureFreshCli();
        curvesOf.push(c.parse(runOnce([...v.cmd, ...c.seedArgs(c.seed + k)], v.env).stdout).curve);
        process.stderr.write(`seed ${c.seed + k} ${w.name} ${c.name}: done\n`);
      } catch (err) {
        notes.push(
          `${c.name}: the ${w.name} run with seed ${c.seed + k} failed (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`,
        );
      }
    }
    seedCurves.set(key(w.name, c.name), curvesOf);
  }
}

const rows = plan.flatMap(({ w, cs }) =>
  cs.map((c) => {
    const s = samples.get(key(w.name, c.name)) ?? [];
    return {
      workload: w.name,
      contender: c.name,
      runs: s.length,
      wallS: median(s.map((x) => x.wallS)),
      cpuS: median(s.map((x) => x.cpuS)),
      trainS: median(s.map((x) => x.trainS)),
      rssMB: median(s.map((x) => x.rssMB)),
      acc: median(s.map((x) => x.acc)),
      variants: Object.fromEntries(variantWins.get(key(w.name, c.name)) ?? []),
    };
  }),
);
const ratios = plan.flatMap(({ w, cs }) => {
  const lab = rows.find((r) => r.workload === w.name && r.contender === cs[0].name)!;
  return cs.slice(1).map((c) => {
    const peer = rows.find((r) => r.workload === w.name && r.contender === c.name)!;
    return {
      workload: w.name,
      peer: c.name,
      wall: lab.wallS / peer.wallS,
      train: lab.trainS / peer.trainS,
      cpu: lab.cpuS / peer.cpuS,
    };
  });
});

/**
 * The test-loss curves side by side, at the evaluations every run made. The peers' band is the range of their
 * test losses over all their seeds (the spread a user would otherwise get from implementation and initialisation);
 * for each of the lab's seeds: at how many evaluations its curve lies inside that band, and how far outside at
 * most. Also the lab's own seed-to-seed band, and each contender's repeat-to-repeat difference (same seed).
 */
const curves = plan.flatMap(({ w, cs }) => {
  const at = (c: CurvePoint[], iter: number) => c.find((p) => p.iter === iter);
  const labRuns = seedCurves.get(key(w.name, cs[0].name)) ?? [];
  const peerRuns = cs
    .slice(1)
    .flatMap((c) => seedCurves.get(key(w.name, c.name)) ?? [])
    .filter((c) => c.length > 0);
  if (labRuns.length === 0 || peerRuns.length === 0) return [];
  const iters = labRuns[0].map((p) => p.iter).filter((i) => [...labRuns, ...peerRuns].every((c) => at(c, i)));
  const band = (runs: CurvePoint[][], i: number) => {
    const ls = runs.map((c) => at(c, i)!.loss);
    return [Math.min(...ls), Math.max(...ls)] as const;
  };
  let peerBand = 0;
  let labBand = 0;
  const lab = labRuns.map(() => ({ inside: 0, outsideBy: 0 }));
  for (const i of iters) {
    const [lo, hi] = band(peerRuns, i);
    peerBand = Math.max(peerBand, hi - lo);
    const [llo, lhi] = band(labRuns, i);
    labBand = Math.max(labBand, lhi - llo);
    labRuns.forEach((c, k) => {
      const l = at(c, i)!.loss;
      const gap = l < lo ? lo - l : l > hi ? l - hi : 0;
      if (gap === 0) lab[k].inside++;
      else lab[k].outsideBy = Math.max(lab[k].outsideBy, gap);
    });
  }
  const runToRun = cs.map((c) => {
    const all = (samples.get(key(w.name, c.name)) ?? []).map((x) => x.curve);
    let d = 0;
    for (const c2 of all.slice(1))
      for (const p of all[0]) d = Math.max(d, Math.abs((at(c2, p.iter)?.loss ?? NaN) - p.loss));
    return { contender: c.name, runs: all.length, maxLossDiff: d };
  });
  return [
    {
      workload: w.name,
      points: iters.length,
      peerRuns: peerRuns.length,
      peerBand,
      labSeeds: labRuns.length,
      labBand,
      lab,
      runToRun,
    },
  ];
});

const labOnlyCosts: { workload: string; against: string; pairs: number; train: number; wall: number; cpu: number }[] =
  [];
const f = (x: number, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : '-');
/** Each contender's study of six runs against one W run of its own (target for the lab: <= 2). */
const studyRatios = rows
  .filter((r) => r.workload === STUDY)
  .map((r) => {
    const oneW = rows.find((q) => q.workload === 'W' && q.contender.split(' (')[0] === r.contender.split(' (')[0]);
    return { contender: r.contender, wall: r.wallS / (oneW?.wallS ?? NaN), cpu: r.cpuS / (oneW?.cpuS ?? NaN) };
  });
const lines: string[] = [];
lines.push(
  `Training benchmark: medians of ${repeats} interleaved runs (whole-process wall; CPU = user + system of the process tree; in-process training incl. evaluations; peak RSS of the largest process)`,
);
lines.push('');
lines.push('| workload | implementation | runs | wall s | CPU s | train s | peak RSS MB | final test acc |');
lines.push('|---|---|---|---|---|---|---|---|');
for (const r of rows)
  lines.push(
    `| ${r.workload} | ${r.contender} | ${r.runs} | ${f(r.wallS)} | ${f(r.cpuS)} | ${f(r.trainS)} | ${f(r.rssMB, 0)} | ${f(r.acc, 4)} |`,
  );
lines.push('');
if (ratios.length) {
  lines.push('| workload | lab / peer | wall ratio | CPU ratio | train ratio |');
  lines.push('|---|---|---|---|---|');
  for (const q of ratios) lines.push(`| ${q.workload} | ${q.peer} | ${f(q.wall)} | ${f(q.cpu)} | ${f(q.train)} |`);
  lines.push('');
}
if (studyRatios.length) {
  lines.push('| study 6xW / one W run | wall ratio | CPU ratio |');
  lines.push('|---|---|---|');
  for (const q of studyRatios) lines.push(`| ${q.contender} | ${f(q.wall)} | ${f(q.cpu)} |`);
  lines.push('');
}
for (const c of curves) {
  lines.push(
    `Curves ${c.workload} (test loss at ${c.points} evaluations): the peers' ${c.peerRuns} runs (seeds x implementations) span up to ${f(c.peerBand, 4)}; ` +
      `the lab's ${c.labSeeds} seeds span up to ${f(c.labBand, 4)}; inside the peers' band: ` +
      c.lab
        .map(
          (l, k) =>
            `seed ${k + 1} ${l.inside}/${c.points}${l.inside < c.points ? ` (at most ${f(l.outsideBy, 4)} outside)` : ''}`,
        )
        .join(', ') +
      `; repeat to repeat (same seed): ` +
      c.runToRun.map((r) => `${r.contender} ${r.runs > 1 ? f(r.maxLossDiff, 6) : '-'}`).join(', '),
  );
}
if (curves.length) lines.push('');
// A lab-only workload's cost: its run against the other workload's run of the same repeat (they ran one after the
// other, so load that drifts over the benchmark affects both), median of the per-repeat ratios.
for (const w of WORKLOADS) {
  if (!w.labOnly) continue;
  const a = samples.get(key(w.labOnly.against, 'Momentum Lab')) ?? [];
  const b = samples.get(key(w.name, 'Momentum Lab')) ?? [];
  const n = Math.min(a.length, b.length);
  if (n === 0) continue;
  const ratio = (get: (x: Sample) => number) => median(Array.from({ length: n }, (_, i) => get(b[i]) / get(a[i])));
  const cost = {
    workload: w.name,
    against: w.labOnly.against,
    pairs: n,
    train: ratio((x) => x.trainS),
    wall: ratio((x) => x.wallS),
    cpu: ratio((x) => x.cpuS),
  };
  labOnlyCosts.push(cost);
  lines.push(
    `Cost of ${w.name} over ${cost.against} (median of ${n} per-repeat ratios): train ${f(cost.train, 3)}, wall ${f(cost.wall, 3)}, CPU ${f(cost.cpu, 3)}`,
  );
}
if (labOnlyCosts.length) lines.push('');
if (rebuilds > 0)
  notes.push(
    `the CLI bundle was rebuilt ${rebuilds} time(s) from changed sources before a lab run (npm run build:cli)`,
  );
for (const n of new Set(notes)) lines.push(`note: ${n}`);
for (const r of rows)
  if (Object.keys(r.variants).length > 1)
    lines.push(`note: ${r.workload} ${r.contender}: fastest variant per repeat ${JSON.stringify(r.variants)}`);

let extras: Record<string, unknown> = {};
if (!flags['skip-extras']) {
  const redraw = redrawBench();
  lines.push('');
  lines.push(
    `Redraw: thinning ${redraw.points.toLocaleString('en-US')} points to ${redraw.buckets} pixel columns (thinMinMax, src-renderer/lib/thin.ts) and building the d3 line path: median ${f(redraw.medianMs, 2)} ms per redraw (${redraw.thinnedPoints} points drawn; budget 16 ms)`,
  );
  const stream = await streamingBench(repo);
  lines.push(
    `Streaming: W through the app's services (renderer events cloned as over IPC, session recorded to an SQLite file) vs headless (no observers but the run manager): training ${f(stream.streamedS)} s vs ${f(stream.headlessS)} s; throughput ratio ${f(stream.ratio, 3)} (target >= 0.95)`,
  );
  extras = { redraw, streaming: stream };
}
console.log(lines.join('\n'));
if (flags.json) {
  const date = new Date().toISOString();
  const out = { date, repeats, seeds, peersDir, rows, ratios, studyRatios, labOnlyCosts, curves, notes, ...extras };
  writeFileSync(flags.json, JSON.stringify(out, null, 2) + '\n');
  console.log(`\nwrote ${flags.json}`);
}
