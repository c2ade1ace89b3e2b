import type { AppCommand } from './app-command';

// Every command of the lab, declared once: what it is called in the shortcut
// list and in tooltips, what the application menu calls it, and its keyboard
// shortcut (Electron's accelerator syntax). The main process builds the menu
// from this table (src-main/electron/menu.ts); the renderer's command registry
// (src-renderer/lib/command-registry.ts) adds each command's enabled state and
// effect, and its keyboard handler, tooltips and shortcut list read it too.

export interface CommandDef {
  command: AppCommand;
  /** Sentence case, for the shortcut list and tooltips: "Export figure…". */
  label: string;
  /** Title case, for the application menu: "Export Figure…". */
  menuLabel: string;
  /** Electron accelerator, e.g. "CmdOrCtrl+Enter"; none for commands without a shortcut. */
  accelerator?: string;
}

export const COMMAND_DEFS: readonly CommandDef[] = [
  { command: { type: 'run.train' }, label: 'Train', menuLabel: 'Train', accelerator: 'CmdOrCtrl+Enter' },
  { command: { type: 'run.cancel' }, label: 'Cancel the run', menuLabel: 'Cancel', accelerator: 'Escape' },
  {
    command: { type: 'run.study' },
    label: 'Run study…',
    menuLabel: 'Run Study…',
    accelerator: 'CmdOrCtrl+Shift+Enter',
  },
  {
    command: { type: 'figure.export' },
    label: 'Export figure…',
    menuLabel: 'Export Figure…',
    accelerator: 'CmdOrCtrl+E',
  },
  {
    command: { type: 'report.export' },
    label: 'Export report…',
    menuLabel: 'Export Report…',
    accelerator: 'CmdOrCtrl+Shift+E',
  },
  { command: { type: 'session.new' }, label: 'New session', menuLabel: 'New Session', accelerator: 'CmdOrCtrl+N' },
  { command: { type: 'session.open' }, label: 'Open session…', menuLabel: 'Open Session…', accelerator: 'CmdOrCtrl+O' },
  {
    command: { type: 'session.import' },
    label: 'Import session…',
    menuLabel: 'Import Session…',
    accelerator: 'CmdOrCtrl+I',
  },
  {
    command: { type: 'session.export' },
    label: 'Export session…',
    menuLabel: 'Export Session…',
    accelerator: 'CmdOrCtrl+Shift+S',
  },
  {
    command: { type: 'dataset.open' },
    label: 'Open dataset…',
    menuLabel: 'Open Dataset…',
    accelerator: 'CmdOrCtrl+Shift+O',
  },
  {
    command: { type: 'view.show', view: 'training' },
    label: 'Training view',
    menuLabel: 'Training',
    accelerator: 'CmdOrCtrl+1',
  },
  {
    command: { type: 'view.show', view: 'momentum' },
    label: 'Momentum view',
    menuLabel: 'Momentum',
    accelerator: 'CmdOrCtrl+2',
  },
  {
    command: { type: 'view.show', view: 'sessions' },
    label: 'Sessions view',
    menuLabel: 'Sessions',
    accelerator: 'CmdOrCtrl+3',
  },
  {
    command: { type: 'view.show', view: 'compare' },
    label: 'Compare view',
    menuLabel: 'Compare',
    accelerator: 'CmdOrCtrl+4',
  },
  {
    command: { type: 'view.show', view: 'studies' },
    label: 'Studies view',
    menuLabel: 'Studies',
    accelerator: 'CmdOrCtrl+5',
  },
  {
    command: { type: 'theme.toggle' },
    label: 'Toggle light/dark theme',
    menuLabel: 'Toggle Theme',
    accelerator: 'CmdOrCtrl+Shift+L',
  },
  { command: { type: 'help.guide' }, label: 'Guide', menuLabel: 'Guide', accelerator: 'F1' },
  {
    command: { type: 'help.shortcuts' },
    label: 'Keyboard shortcuts',
    menuLabel: 'Keyboard Shortcuts',
    accelerator: 'CmdOrCtrl+/',
  },
];

/** A command that has a keyboard shortcut. */
export type ShortcutDef = CommandDef & { accelerator: string };

/** The commands with a keyboard shortcut, in the order of COMMAND_DEFS. */
export const SHORTCUTS: readonly ShortcutDef[] = COMMAND_DEFS.filter(
  (d): d is ShortcutDef => d.accelerator !== undefined,
);

/** A string that identifies a command (type plus its argument), e.g. "view.show:momentum". */
export function commandKey(command: AppCommand): string {
  if (command.type === 'view.show') return `${command.type}:${command.view}`;
  if (command.type === 'session.open-recent') return `${command.type}:${command.sessionId}`;
  return command.type;
}

const BY_KEY = new Map(COMMAND_DEFS.map((d) => [commandKey(d.command), d]));

/** The keys of the declared commands ("run.train", "view.show:momentum", …), in the order of COMMAND_DEFS. */
export const COMMAND_KEYS = [...BY_KEY.keys()] as [string, ...string[]];

/** The declaration of a command (none for parametrised ones such as a recent session). */
export function commandDef(command: AppCommand): CommandDef | undefined {
  return BY_KEY.get(commandKey(command));
}

/** The accelerator of a command, if it has one. */
export function acceleratorFor(command: AppCommand): string | undefined {
  return commandDef(command)?.accelerator;
}
