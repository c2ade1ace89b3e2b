import { HOST_META, type HostInfo } from '../../src-core/contracts/lab-wire';

// Where the renderer runs: in Electron (no host meta: native dialogs), or in
// a browser tab served by `momentum-lab serve`, which fills in a
// <meta name="momentum-lab-host"> with its data folder and how files move.

let cached: HostInfo | null | undefined;

export function hostInfo(): HostInfo | null {
  if (cached !== undefined) return cached;
  cached = null;
  const raw = document.querySelector(`meta[name="${HOST_META}"]`)?.getAttribute('content');
  if (raw) {
    try {
      const v = JSON.parse(raw) as Partial<HostInfo>;
      if (v.kind === 'browser' && (v.files === 'upload' || v.files === 'dialogs') && typeof v.dataDir === 'string')
        cached = { kind: 'browser', files: v.files, dataDir: v.dataDir };
    } catch {
      cached = null;
    }
  }
  return cached;
}

/** True in a browser tab that takes files by upload and gives exports as downloads. */
export function filesByUpload(): boolean {
  return hostInfo()?.files === 'upload';
}

/** A folder under the lab's data folder, as the user should read it (the server's path separator kept). */
export function dataFolder(name: 'datasets' | 'exports'): string {
  const dir = hostInfo()?.dataDir ?? '';
  const sep = dir.includes('\\') && !dir.includes('/') ? '\\' : '/';
  return `${dir.replace(/[\\/]+$/, '')}${sep}${name}`;
}
