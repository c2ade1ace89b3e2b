import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// `momentum-lab serve` as a real process: refuses bad flags in one line,
// prints the URL with the token, answers it, and stops cleanly on Ctrl+C.

const dir = mkdtempSync(join(tmpdir(), 'ml-serve-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cli = (args: string[]) =>
  spawnSync(process.execPath, [resolve('bin/momentum-lab.mjs'), 'serve', ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, MOMENTUM_LAB_NO_OPEN: '1' },
  });

describe('momentum-lab serve (the real CLI process)', () => {
  it('refuses a non-loopback --host without --allow-remote, and a bad --port, in one line', () => {
    const remote = cli(['--host', '0.0.0.0', '--data', dir]);
    expect(remote.status).toBe(2);
    expect(remote.stderr.trim().split('\n')).toHaveLength(1);
    expect(remote.stderr).toMatch(/not a loopback address; add --allow-remote/);
    const port = cli(['--port', 'http', '--data', dir]);
    expect(port.status).toBe(2);
    expect(port.stderr).toMatch(/--port: "http" is not a number/);
    const range = cli(['--port', '70000', '--data', dir]);
    expect(range.status).toBe(2);
  });

  it.runIf(existsSync(resolve('out/renderer/browser.html'))).each([
    ['loopback', []],
    ['--allow-remote', ['--host', '0.0.0.0', '--allow-remote']],
  ])('prints the URL with the token, serves it, and stops on SIGINT (%s)', async (what, extra) => {
    const child = spawn(
      process.execPath,
      [resolve('bin/momentum-lab.mjs'), 'serve', '--port', '0', '--no-open', '--data', dir, ...extra],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const url = await new Promise<string>((ok, fail) => {
      const t = setInterval(() => {
        const m = /http:\/\/127\.0\.0\.1:(\d+)\/\?token=[0-9a-f]{64}/.exec(out);
        if (m) {
          clearInterval(t);
          ok(m[0]);
        } else if (child.exitCode !== null) {
          clearInterval(t);
          fail(new Error(out));
        }
      }, 50);
    });
    expect(out).toContain(`data folder: ${dir}`);
    if (what === '--allow-remote') expect(out).toMatch(/warning: listening on 0\.0\.0\.0, not only this machine/);
    else expect(out).not.toMatch(/warning/);
    const status = await new Promise<number>((ok) => request(url, (res) => ok(res.statusCode ?? 0)).end());
    expect(status).toBe(302);
    const code = await new Promise<number | null>((ok) => {
      child.on('exit', (c) => ok(c));
      child.kill('SIGINT');
    });
    expect(code).toBe(0);
    expect(out).toContain('Stopping Momentum Lab');
    expect(out).not.toMatch(/^\s+at /m);
  });
});
