import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ASSIGNMENT_SIMULATIONS } from '../../src-core/studies/test-helpers';
import { SessionStore } from '../../src-core/node/store/session-store';

// `momentum-lab assignment` (issue 14, item 9) through the real CLI process: every simulation runs into a new
// session (real workers, real MNIST, a real SQLite file), the runs carry the study fields, and the report holds per
// simulation its figure and galleries with the report-style captions, then the two comparisons.

const dir = mkdtempSync(join(tmpdir(), 'mlab-assign-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cli = (args: string[], timeout = 60_000) =>
  spawnSync(process.execPath, [resolve('bin/momentum-lab.mjs'), 'assignment', ...args], { encoding: 'utf8', timeout });

describe('momentum-lab assignment', () => {
  it('lists the presets', () => {
    const r = cli(['presets']);
    expect(r.status, r.stderr).toBe(0);
    expect(
      r.stdout
        .trimEnd()
        .split('\n')
        .map((l) => l.split(/\s{2,}/)[0]),
    ).toEqual(ASSIGNMENT_SIMULATIONS);
    expect(r.stdout).toContain('Simulation 3 (LR 1, BS 64)   LR 1 · BS 64 · HL 64');
  });

  it('refuses bad input with one line and exit 2, before running anything', () => {
    expect(cli(['run']).stderr).toBe(
      'momentum-lab assignment: --db PATH is required (the session database the assignment runs into)\n',
    );
    expect(cli(['fly']).status).toBe(2);
    const r = cli(['run', '--db', join(dir, 'x.db'), '--workers', 'two']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^momentum-lab assignment: --workers: [^\n]+\n$/);
    expect(cli(['report', '--db', join(dir, 'x.db')]).stderr).toContain('--out FILE.html is required');
  });

  it('runs every simulation into one session and writes the report with every figure', async () => {
    const db = join(dir, 'lab.db');
    const out = join(dir, 'report.html');
    // Asynchronous, so the test process stays responsive while the workers train.
    const child = spawn(
      process.execPath,
      [resolve('bin/momentum-lab.mjs'), 'assignment', 'run', '--db', db, '--small', '--workers', '2', '--out', out],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (b) => (stderr += String(b)));
    child.stdout.on('data', (b) => (stdout += String(b)));
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/^wrote the report of 7 simulations to /);
    expect(stderr.match(/^ {2}Simulation .*: finished, test accuracy \d+\.\d\d\u00a0%$/gm)).toHaveLength(7);

    const store = new SessionStore(db, { readonly: true });
    try {
      const session = store.listSessions().find((s) => s.name === 'Assignment (small settings)')!;
      const runs = store.listRuns(session.id);
      expect(runs.map((r) => r.name).sort()).toEqual(ASSIGNMENT_SIMULATIONS);
      expect(new Set(runs.map((r) => r.study?.id)).size).toBe(1);
      expect(runs.every((r) => r.study?.kind === 'assignment' && r.study.name === 'Assignment (small settings)')).toBe(
        true,
      );
    } finally {
      store.close();
    }

    const html = readFileSync(out, 'utf8');
    const captions = [...html.matchAll(/<figcaption><b>Figure (\d+)\.<\/b> ([^<]*)<\/figcaption>/g)].map(
      (m) => [Number(m[1]), m[2]] as const,
    );
    // Per simulation: the curves, then the galleries; then the two comparisons.
    expect(captions).toHaveLength(7 * 2 + 2);
    expect(captions.map((c) => c[0])).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    expect(captions[2][1]).toBe('Simulation 2; BS:32; LR:0.1; EPOCHS: 1; HL: 64; N: 2000 (200/class).');
    expect(captions[3][1]).toMatch(/^Simulation 2: misclassified test digits \(left; true → predicted/);
    expect(captions[14][1]).toMatch(
      /^Learning rate comparison \(Simulations 2 and 3\).*LR: 0\.1 \/ 0\.01 \/ 1; BS: 32 \/ 64/,
    );
    expect(captions[15][1]).toMatch(
      /^Training-set size comparison \(Simulations 2, 4 and 5\).*N: 2,000 \/ 10 \/ 1,000/,
    );
    // 16 digits a gallery, two galleries a simulation, each a PNG.
    expect(html.match(/<image [^>]*href="data:image\/png;base64,/g)).toHaveLength(7 * 2 * 16);
    expect(html).not.toMatch(/<script/i);

    // The report again, from the session, without running anything.
    const again = cli(['report', '--db', db, '--out', out]);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('already exists; pass --force');
    const forced = cli(['report', '--db', db, '--out', out, '--force', '--session', 'Assignment (small settings)']);
    expect(forced.status, forced.stderr).toBe(0);
    expect(readFileSync(out, 'utf8').match(/<figcaption>/g)).toHaveLength(16);
  }, 400_000);
});
