#!/usr/bin/env node
// A peer's six-run study for bench/train-bench.ts ("study 6xW"): runs the peer command once per seed, at most
// --lanes processes at a time (2: one per core), and prints one JSON line like a single peer run: train_s (first
// start to last end), final_test_acc (median of the runs'), accs.
//   node bench/peer-study.mjs --seeds 6 --lanes 2 -- /usr/bin/python3 peer_numpy.py DATA [args]
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  options: { seeds: { type: 'string', default: '6' }, lanes: { type: 'string', default: '2' } },
  allowPositionals: true,
});
const [cmd, ...args] = positionals;
const seeds = Number(values.seeds);
const lanes = Number(values.lanes);
const runOne = (seed) =>
  new Promise((resolve, reject) => {
    const p = spawn(cmd, [...args, '--seed', String(seed)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.on('error', reject);
    p.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${cmd} exited ${code}`));
      const line = out
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .at(-1);
      resolve(JSON.parse(line).final_test_acc);
    });
  });
const t0 = performance.now();
const accs = [];
let next = 0;
await Promise.all(
  Array.from({ length: lanes }, async () => {
    while (next < seeds) accs.push(await runOne(next++));
  }),
);
accs.sort((a, b) => a - b);
const finalTestAcc = accs[Math.floor(accs.length / 2)];
console.log(JSON.stringify({ train_s: (performance.now() - t0) / 1000, final_test_acc: finalTestAcc, accs }));
