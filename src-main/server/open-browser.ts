import { spawn } from 'node:child_process';

// Opens a URL in the system's browser (xdg-open, open, start). Failing to is
// not an error: the URL is printed anyway.

export function browserCommand(platform: NodeJS.Platform, url: string): { cmd: string; args: string[] } {
  if (platform === 'darwin') return { cmd: 'open', args: [url] };
  if (platform === 'win32') return { cmd: 'cmd', args: ['/c', 'start', '""', url] };
  return { cmd: 'xdg-open', args: [url] };
}

/** Resolves with null when the opener started and did not fail within a moment, else with the reason. */
export function openBrowser(url: string, platform: NodeJS.Platform = process.platform): Promise<string | null> {
  const { cmd, args } = browserCommand(platform, url);
  return new Promise((resolve) => {
    let settled = false;
    const settle = (v: string | null) => {
      if (!settled) {
        settled = true;
        resolve(v);
      }
    };
    try {
      const child = spawn(cmd, args, {
        stdio: 'ignore',
        detached: true,
        windowsVerbatimArguments: platform === 'win32',
      });
      child.on('error', (err) =>
        settle(`${cmd}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not installed' : err.message}`),
      );
      child.on('exit', (code) => settle(code === 0 ? null : `${cmd} exited with code ${code}`));
      child.unref();
      setTimeout(() => settle(null), 3000).unref();
    } catch (err) {
      settle(`${cmd}: ${(err as Error).message}`);
    }
  });
}
