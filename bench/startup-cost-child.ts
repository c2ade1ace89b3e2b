// One fresh process of bench/startup-cost.ts (bundled by it into out/bench/; not a test): how much the process
// cost before its first line ran (Node's boot and this small entry), then the trainer's modules, then each stage of
// bench/startup-cost-stages.ts. Arguments: the folder of the bundled eval-thread entry, then 'early' or 'late'. Prints one JSON line of stages (wall and CPU milliseconds).
import { join } from 'node:path';

const bootCpu = process.cpuUsage();
const bootWallMs = performance.now(); // since the process's time origin
const stages = [{ name: 'node boot (to the first line of a small entry)', wallMs: bootWallMs, cpuMs: 0 }];
stages[0].cpuMs = (bootCpu.user + bootCpu.system) / 1000;
const w0 = performance.now();
const c0 = process.cpuUsage();
const { runStages } = await import('./startup-cost-stages');
const c1 = process.cpuUsage(c0);
stages.push({
  name: "load the trainer's modules",
  wallMs: performance.now() - w0,
  cpuMs: (c1.user + c1.system) / 1000,
});
const evalEntry = { file: join(process.argv[2], 'eval-thread-worker.mjs'), source: false };
stages.push(...(await runStages(evalEntry, process.argv[3] === 'early')));
console.log(JSON.stringify(stages));
