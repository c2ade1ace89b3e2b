import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SweepState } from '../../../src-core/contracts/api-sweeps';
import { nodeLauncher } from '../../workers/node-launcher';
import { createLab, type Lab } from '../services';

// The lab as the sweep and study tests drive it: real worker processes, a fresh session database in a new temporary
// folder, and every sweep state the lab pushes, in order. `stopLabs` (after each test) shuts them down and removes
// their folders.

const started: { lab: Lab; dir: string }[] = [];

export function labRecordingSweeps(prefix: string): { lab: Lab; states: SweepState[] } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const states: SweepState[] = [];
  const lab = createLab(
    {
      launcher: nodeLauncher,
      emit: (e) => e.channel === 'sweep' && states.push(e.sweep),
      pickDatasetFiles: async () => null,
    },
    { dbPath: join(dir, 'lab.db') },
  );
  started.push({ lab, dir });
  return { lab, states };
}

export function stopLabs(): void {
  for (const { lab, dir } of started.splice(0)) {
    lab.shutdown();
    rmSync(dir, { recursive: true, force: true });
  }
}
