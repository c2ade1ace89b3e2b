import { homedir } from 'node:os';
import { join } from 'node:path';

// The lab's own data folder in the browser mode: the same folder Electron
// uses as userData for an app named "momentum-lab", so the desktop app and
// the browser mode share one session database, datasets and exports.

export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (platform === 'win32') return join(env['APPDATA'] ?? join(home, 'AppData', 'Roaming'), 'momentum-lab');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'momentum-lab');
  return join(env['XDG_CONFIG_HOME'] || join(home, '.config'), 'momentum-lab');
}
