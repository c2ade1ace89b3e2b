import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

// The two ways the CLI tests run a command: the real CLI process, or main() in this process with its output kept.

/** Run bin/momentum-lab.mjs in its own Node process with `args`; its exit status, stdout and stderr as text. */
export const runCli = (args: readonly string[], timeout = 120_000) =>
  spawnSync(process.execPath, [resolve('bin/momentum-lab.mjs'), ...args], { encoding: 'utf8', timeout });

/** An io for main() that keeps every line the command writes to stdout and stderr. */
export function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}
