// The benchmark's extras: a chart redraw on a long series, and the cost of
// streaming a run to the app's observers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { line, scaleLinear } from 'd3';
import { DEFAULT_TRAIN_CONFIG } from '../src-core/contracts/train-config';
import type { TrainerMessage } from '../src-core/contracts/train-protocol';
import { rngFor } from '../src-core/rng';
import { createLab } from '../src-main/services/services';
import { nodeLauncher } from '../src-main/workers/node-launcher';
// The renderer's own thinning function (pure TypeScript, no DOM).
import { thinMinMax } from '../src-renderer/lib/thin';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** What LineChart.svelte does per redraw of one series: thin to the plot width, scale, build the SVG path. */
export function redrawBench(
  points = 100_000,
  buckets = 800,
  repeats = 60,
): { points: number; buckets: number; thinnedPoints: number; medianMs: number; maxMs: number } {
  const r = rngFor(1, 'redraw');
  const x = new Float64Array(points);
  const y = new Float64Array(points);
  for (let i = 0; i < points; i++) {
    x[i] = i + 1;
    y[i] = 2.3 * Math.exp(-i / 8000) + 0.05 + 0.2 * r.nextFloat();
  }
  const times: number[] = [];
  let kept = 0;
  for (let k = 0; k < repeats; k++) {
    const t0 = performance.now();
    const t = thinMinMax(x, y, points, 1, points, buckets);
    const sx = scaleLinear().domain([1, points]).range([0, buckets]);
    const sy = scaleLinear().domain([0, 2.6]).range([300, 0]);
    const gen = line<number>()
      .defined((i) => Number.isFinite(t.y[i]))
      .x((i) => sx(t.x[i]))
      .y((i) => sy(t.y[i]));
    const d = gen(Array.from({ length: t.x.length }, (_, i) => i)) ?? '';
    times.push(performance.now() - t0);
    kept = t.x.length;
    if (d.length === 0) throw new Error('empty path');
  }
  return { points, buckets, thinnedPoints: kept, medianMs: median(times.slice(5)), maxMs: Math.max(...times.slice(5)) };
}

/** Training seconds of W through createLab (the app's services and worker), with or without the app's observers. */
async function runW(streamed: boolean): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'ml-stream-'));
  let events = 0;
  const lab = createLab(
    {
      launcher: nodeLauncher,
      // Streamed: every renderer event is structured-cloned, as the IPC hop to the renderer does.
      emit: streamed ? (e) => void (structuredClone(e), events++) : () => {},
      pickDatasetFiles: async () => null,
    },
    streamed ? { dbPath: join(dir, 'lab.sqlite') } : {},
  );
  try {
    const end = new Promise<Extract<TrainerMessage, { type: 'end' }>>((resolve) =>
      lab.runs.observe((m) => m.type === 'end' && resolve(m)),
    );
    await lab.services.startTraining(DEFAULT_TRAIN_CONFIG);
    const e = await end;
    if (e.status !== 'finished') throw new Error(`W ended ${e.status}: ${e.message}`);
    if (streamed && events === 0) throw new Error('no events reached the renderer sink');
    return e.elapsedMs / 1000;
  } finally {
    lab.shutdown();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Headless vs streamed W, alternated; ratio = headless time / streamed time (throughput kept while streaming). */
export async function streamingBench(
  _repo: string,
  repeats = 2,
): Promise<{ headlessS: number; streamedS: number; ratio: number }> {
  const h: number[] = [];
  const s: number[] = [];
  for (let i = 0; i < repeats; i++) {
    h.push(await runW(false));
    s.push(await runW(true));
  }
  const headlessS = median(h);
  const streamedS = median(s);
  return { headlessS, streamedS, ratio: headlessS / streamedS };
}
