// Commands the application menu (and the renderer's own keyboard shortcuts)
// deliver to the renderer. The main process pushes them as the LabEvent
// { channel: 'command', command }; the renderer's command bus hands them to
// the shell or to the active view.

/** The top-level views a command can switch to, in menu order (Ctrl/Cmd+1..5). */
export const APP_VIEW_IDS = ['training', 'momentum', 'sessions', 'compare', 'studies'] as const;
export type AppViewId = (typeof APP_VIEW_IDS)[number];

export type AppCommand =
  // File
  | { type: 'session.new' }
  | { type: 'session.open' }
  | { type: 'session.open-recent'; sessionId: number }
  | { type: 'session.import' }
  | { type: 'session.export' }
  | { type: 'dataset.open' }
  | { type: 'figure.export' }
  | { type: 'report.export' }
  // View
  | { type: 'view.show'; view: AppViewId }
  | { type: 'theme.toggle' }
  // Run
  | { type: 'run.train' }
  | { type: 'run.cancel' }
  | { type: 'run.study' }
  // Help
  | { type: 'help.guide' }
  | { type: 'help.shortcuts' };

export type AppCommandType = AppCommand['type'];

/** The command types that carry no argument (all but view.show and session.open-recent). */
export const SIMPLE_COMMAND_TYPES = [
  'session.new',
  'session.open',
  'session.import',
  'session.export',
  'dataset.open',
  'figure.export',
  'report.export',
  'theme.toggle',
  'run.train',
  'run.cancel',
  'run.study',
  'help.guide',
  'help.shortcuts',
] as const satisfies readonly AppCommandType[];

const SIMPLE: ReadonlySet<string> = new Set(SIMPLE_COMMAND_TYPES);

/** Is this untrusted value a well-formed AppCommand? (Events cross a process boundary.) */
export function isAppCommand(value: unknown): value is AppCommand {
  if (!value || typeof value !== 'object') return false;
  const o = value as Record<string, unknown>;
  if (typeof o['type'] !== 'string') return false;
  if (SIMPLE.has(o['type'])) return true;
  if (o['type'] === 'view.show') return (APP_VIEW_IDS as readonly unknown[]).includes(o['view']);
  if (o['type'] === 'session.open-recent')
    return Number.isSafeInteger(o['sessionId']) && (o['sessionId'] as number) > 0;
  return false;
}
