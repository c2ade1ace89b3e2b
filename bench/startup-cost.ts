// What a trainer process spends before training (issue 18): each stage timed in fresh processes, several repeats,
// wall time and CPU time (user + system of the process, all its threads). Not a test.
//   npx tsx bench/startup-cost.ts [--repeats 5]
// Bundles bench/startup-cost-child.ts with esbuild into out/bench/ (as scripts/build-cli.mjs bundles the trainer
// worker: zod inside, other packages external) and runs it with the eval-thread entry of out/cli (run
// `npm run build:cli` first). Also times `node -e 0`, the floor of any process. On a shared machine the CPU
// times are the figures to compare; the load average is printed before and after.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const { values } = parseArgs({ options: { repeats: { type: 'string', default: '5' } } });
const repeats = Math.max(1, Math.floor(Number(values.repeats)) || 5);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outCli = join(root, 'out', 'cli');
if (!existsSync(join(outCli, 'eval-thread-worker.mjs'))) throw new Error('out/cli is missing: npm run build:cli');
const outdir = join(root, 'out', 'bench');
await build({
  entryPoints: [join(root, 'bench', 'startup-cost-child.ts')],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outExtension: { '.js': '.mjs' },
  logLevel: 'warning',
  plugins: [
    {
      name: 'external-packages',
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (a) =>
          a.kind === 'entry-point' || a.path.startsWith('node:') || a.path.startsWith('zod')
            ? undefined
            : { path: a.path, external: true },
        );
      },
    },
  ],
});

interface Stage {
  name: string;
  wallMs: number;
  cpuMs: number;
}

/** CPU ms of this process's waited-for children so far (/proc/self/stat cutime + cstime, 10 ms ticks). */
function childCpuMs(): number {
  const f = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return (Number(f[13]) + Number(f[14])) * 10;
}

function once(args: string[]): { stages: Stage[]; wallMs: number; cpuMs: number } {
  const c0 = childCpuMs();
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 120_000 });
  const wallMs = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
  const line = r.stdout.trim().split('\n').pop() ?? '[]';
  return { stages: args[0] === '-e' ? [] : (JSON.parse(line) as Stage[]), wallMs, cpuMs: childCpuMs() - c0 };
}

const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
console.log(`load average before: ${load()}`);
const child = (when: string) => [join(outdir, 'startup-cost-child.mjs'), outCli, when];
once(child('early')); // warm the page cache
const modes = ['late', 'early'];
const runs = new Map(modes.map((m) => [m, [] as ReturnType<typeof once>[]]));
const floor: ReturnType<typeof once>[] = [];
for (let i = 0; i < repeats; i++) {
  floor.push(once(['-e', '0']));
  for (const m of modes) runs.get(m)!.push(once(child(m)));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x: number) => x.toFixed(0);
const whole = (xs: typeof floor) => `${ms(median(xs.map((r) => r.wallMs)))} | ${ms(median(xs.map((r) => r.cpuMs)))}`;
for (const m of modes) {
  const rs = runs.get(m)!;
  const what = m === 'early' ? 'opened before the dataset is read' : 'opened after setUpRun';
  console.log(`\nTrainer start-up stages, eval thread ${what}: ${repeats} fresh processes, interleaved (medians)`);
  console.log('| stage | wall ms | CPU ms (all threads) | CPU ms min..max |');
  console.log('|---|---|---|---|');
  for (const [k, s] of rs[0].stages.entries()) {
    const cpus = rs.map((r) => r.stages[k].cpuMs);
    const range = `${ms(Math.min(...cpus))}..${ms(Math.max(...cpus))}`;
    console.log(`| ${s.name} | ${ms(median(rs.map((r) => r.stages[k].wallMs)))} | ${ms(median(cpus))} | ${range} |`);
  }
  const sum = (r: (typeof rs)[number]) => r.stages.slice(1).reduce((a, s) => a + s.wallMs, 0);
  console.log(`| modules to the thread's first answer (sum) | ${ms(median(rs.map(sum)))} | | |`);
  console.log(`| whole process, start to exit (CPU in 10 ms ticks) | ${whole(rs)} | |`);
}
console.log(`| node -e 0 (the floor), start to exit | ${whole(floor)} | |`);
console.log(`load average after: ${load()}`);
