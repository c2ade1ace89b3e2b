// Simulator benchmark (not a test): npx tsx bench/simulator-bench.ts
//
// 1. The 256 x 256 phase diagram of 500 steps per cell, in-process (the pure
//    core) and through the simulator worker (what the view waits for).
// 2. One trajectory update as the view sends it on a slider move (5 heavy-ball
//    runs x 200 steps, and 5 x 5000), in-process and as a service round trip.
// 3. A peer: the same phase diagram in NumPy (bench/phase_peer_numpy.py),
//    when /usr/bin/python3 has NumPy.
// Prints medians; docs/SIMULATOR.md records a run.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { PhaseDiagramRequestSchema, SimulateRequestSchema } from '../src-core/contracts/sim-config';
import { phaseDiagram } from '../src-core/momentum/phase-diagram';
import { simulateBatch } from '../src-core/momentum/simulate-batch';
import { createSimulatorServices } from '../src-main/services/simulator/simulator';
import { SimulatorClient } from '../src-main/services/simulator/simulator-client';
import { nodeLauncher } from '../src-main/workers/node-launcher';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (v: number) => `${v.toFixed(v < 10 ? 2 : 1)} ms`;

async function time(label: string, reps: number, fn: () => unknown | Promise<unknown>): Promise<number> {
  await fn(); // warm-up (JIT, worker start)
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  const m = median(times);
  console.log(`${label.padEnd(58)} median ${ms(m).padStart(10)}  (min ${ms(Math.min(...times))}, ${reps} runs)`);
  return m;
}

const phaseRaw = { hMin: 0, hMax: 5.2, dMin: 0, dMax: 1.6, nh: 256, nd: 256, steps: 500 };
const phaseReq = PhaseDiagramRequestSchema.parse(phaseRaw);
const traj = (steps: number) => ({
  objective: { name: 'quadratic', params: { lambda: 1 } },
  start: [1],
  steps,
  runs: [0.9, 0, 0.5, 1, 1.1].map((d) => ({ kind: 'heavy-ball', lr: 0.1, d })),
});

console.log(`Node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}`);
const cells = phaseReq.nh * phaseReq.nd;
const pdCore = await time('phase diagram 256x256x500, in-process (core)', 7, () => phaseDiagram(phaseReq));
console.log(`  = ${((cells * phaseReq.steps) / (pdCore / 1000) / 1e6).toFixed(0)} M cell-steps/s`);

const client = new SimulatorClient(nodeLauncher);
const services = createSimulatorServices(client);
try {
  await time('phase diagram 256x256x500, service -> worker -> back', 7, () => services.simPhaseDiagram(phaseRaw));
  const r200 = SimulateRequestSchema.parse(traj(200));
  const r5k = SimulateRequestSchema.parse(traj(5000));
  await time('trajectory update 5 runs x 200 steps, in-process', 200, () => simulateBatch(r200));
  await time('trajectory update 5 runs x 200 steps, service round trip', 100, () => services.simulate(traj(200)));
  await time('trajectory update 5 runs x 5000 steps, in-process', 50, () => simulateBatch(r5k));
  await time('trajectory update 5 runs x 5000 steps, service round trip', 30, () => services.simulate(traj(5000)));
} finally {
  client.shutdown();
}

const peer = new URL('./phase_peer_numpy.py', import.meta.url).pathname;
if (existsSync('/usr/bin/python3')) {
  try {
    const out = execFileSync('/usr/bin/python3', [peer, '256', '256', '500', '5'], {
      encoding: 'utf8',
      env: { ...process.env, OPENBLAS_NUM_THREADS: '1' },
    });
    const res = JSON.parse(out) as { peer: string; median_s: number };
    console.log(
      `${`peer: ${res.peer}, same phase diagram (vectorised)`.padEnd(58)} median ${ms(res.median_s * 1000).padStart(10)}`,
    );
    console.log(`  core is ${((res.median_s * 1000) / pdCore).toFixed(1)}x the peer's speed`);
  } catch (err) {
    console.log(`peer skipped: ${(err as Error).message.split('\n')[0]}`);
  }
}
