import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeLauncher } from '../workers/node-launcher';
import { main } from './main';
import { COMMAND_WORKERS, prestartFor } from './prestart';

const repo = join(import.meta.dirname, '..', '..');
const quiet = { out: () => {}, err: () => {} };

/** Pids of the live (not zombie) processes of a process group, from /proc. */
function liveMembers(pgid: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) === pgid && state !== 'Z') pids.push(Number(entry));
    } catch {
      /* it exited while we looked */
    }
  }
  return pids;
}

/** Runs bin/momentum-lab.mjs as a real process in its own process group; after it exits, waits (up to 5 s) for the group to empty. */
async function runCli(args: string[]): Promise<{ code: number | null; stderr: string; strays: number[] }> {
  const child = spawn(process.execPath, [join(repo, 'bin', 'momentum-lab.mjs'), ...args], {
    cwd: repo,
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const t0 = Date.now();
  let strays = liveMembers(child.pid!);
  while (strays.length > 0 && Date.now() - t0 < 5000) {
    await new Promise((r) => setTimeout(r, 50));
    strays = liveMembers(child.pid!);
  }
  for (const pid of strays) process.kill(pid, 'SIGKILL');
  return { code, stderr, strays };
}

afterEach(() => nodeLauncher.killSpares());

describe('CLI prestart', () => {
  it('names only commands that exist', async () => {
    for (const command of Object.keys(COMMAND_WORKERS)) expect(await main([command, '--help'], quiet), command).toBe(0);
  });

  it('prestarts the worker of a command that will start one, and nothing otherwise', () => {
    for (const argv of [
      [],
      ['sessions', 'list'],
      ['toString'],
      ['train', '--help'],
      ['simulate', '-h'],
      ['simulate', '--list'],
      ['nope'],
    ]) {
      expect(prestartFor(argv), argv.join(' ')).toBeNull();
    }
    expect(prestartFor(['train', '--epochs', '1'])).toBe('trainer');
    expect(prestartFor(['simulate'])).toBe('simulator');
  });

  it('bad arguments exit 2 with one line and leave no worker process behind', async () => {
    for (const args of [
      ['train', '--lr', 'nope'],
      ['train', '--bogus'],
      ['simulate', '--steps', '0'],
    ]) {
      const r = await runCli(args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
      expect(r.strays, `processes left by ${args.join(' ')}`).toEqual([]);
    }
  });
});
