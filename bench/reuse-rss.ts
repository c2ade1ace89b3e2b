// Memory of one reused trainer process (issue 18, "Trainer processes reused across a study's runs"): runs one
// after another on a pool of one process (the sweep's pool, trainer-pool.ts), first runs that reuse the packed
// images (W's settings, one epoch, seeds 1..N), then runs that alternate the hidden size (each packs anew), and
// prints the process's resident set size after each run (from /proc, the children of this process). Not a test.
//   npx tsx bench/reuse-rss.ts [--same 10] [--alternating 6]
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from '../src-core/contracts/train-config';
import { builtinMnistFiles } from '../src-core/node/mnist';
import { RunManager } from '../src-main/services/training/run-manager';
import { nodeLauncher } from '../src-main/workers/node-launcher';

const { values } = parseArgs({
  options: { same: { type: 'string', default: '10' }, alternating: { type: 'string', default: '6' } },
});
const runs = new RunManager(nodeLauncher);
const pool = runs.pool();
const files = builtinMnistFiles();

/** Resident set of this process's children (the trainer process), MB. */
function childRss(): number {
  const out = execFileSync('ps', ['--ppid', String(process.pid), '-o', 'pid='], { encoding: 'utf8' });
  let kb = 0;
  for (const pid of out.split(/\s+/).filter(Boolean)) {
    let status: string;
    try {
      status = readFileSync(`/proc/${pid}/status`, 'utf8');
    } catch {
      continue; // ps itself, gone by now
    }
    const m = /VmRSS:\s+(\d+)/.exec(status);
    if (m) kb += Number(m[1]);
  }
  return kb / 1024;
}

function run(config: TrainConfig): Promise<string> {
  return new Promise((resolve) => {
    let id = '';
    const stop = runs.observe((m) => {
      if (m.runId === id && m.type === 'end') {
        stop();
        resolve(m.status);
      }
    });
    id = runs.start(config, files, 'sweep', pool).runId;
  });
}

console.log(
  `load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
const w: TrainConfig = { ...DEFAULT_TRAIN_CONFIG, validation: 0, epochs: 1 };
const plan: [string, TrainConfig][] = [
  ...Array.from({ length: Number(values.same) }, (_, i): [string, TrainConfig] => [
    `W 1 epoch, seed ${i + 1}`,
    { ...w, seed: i + 1 },
  ]),
  ...Array.from({ length: Number(values.alternating) }, (_, i): [string, TrainConfig] => [
    `hidden ${i % 2 ? 48 : 64}, validation 5000, seed ${i + 1}`,
    { ...w, hidden: i % 2 ? 48 : 64, validation: 5000, seed: i + 1 },
  ]),
];
try {
  for (const [k, [label, config]] of plan.entries()) {
    const status = await run(config);
    await new Promise((r) => setTimeout(r, 300)); // its 'ready'
    console.log(`run ${k + 1} (${label}): ${status}, trainer RSS ${childRss().toFixed(0)} MB`);
  }
  console.log(`pool: ${JSON.stringify(pool.counts)}`);
} finally {
  pool.close();
  runs.shutdown();
}
console.log(
  `load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
