import type { AppCommand } from './app-command';

// The lab's keyboard shortcuts, in Electron's accelerator syntax. One table
// for both sides: the main process shows them in the application menu, the
// renderer matches key presses against them and shows them in tooltips
// (title and aria-keyshortcuts).

export interface ShortcutDef {
  command: AppCommand;
  /** Electron accelerator, e.g. "CmdOrCtrl+Enter". */
  accelerator: string;
  /** What the shortcut does, for the shortcut list. */
  label: string;
}

export const SHORTCUTS: readonly ShortcutDef[] = [
  { command: { type: 'run.train' }, accelerator: 'CmdOrCtrl+Enter', label: 'Train' },
  { command: { type: 'run.cancel' }, accelerator: 'Escape', label: 'Cancel the run' },
  { command: { type: 'run.study' }, accelerator: 'CmdOrCtrl+Shift+Enter', label: 'Run study…' },
  { command: { type: 'figure.export' }, accelerator: 'CmdOrCtrl+E', label: 'Export figure…' },
  { command: { type: 'report.export' }, accelerator: 'CmdOrCtrl+Shift+E', label: 'Export report…' },
  { command: { type: 'session.new' }, accelerator: 'CmdOrCtrl+N', label: 'New session' },
  { command: { type: 'session.open' }, accelerator: 'CmdOrCtrl+O', label: 'Open session…' },
  { command: { type: 'session.import' }, accelerator: 'CmdOrCtrl+I', label: 'Import session…' },
  { command: { type: 'session.export' }, accelerator: 'CmdOrCtrl+Shift+S', label: 'Export session…' },
  { command: { type: 'dataset.open' }, accelerator: 'CmdOrCtrl+Shift+O', label: 'Open dataset…' },
  { command: { type: 'view.show', view: 'training' }, accelerator: 'CmdOrCtrl+1', label: 'Training view' },
  { command: { type: 'view.show', view: 'momentum' }, accelerator: 'CmdOrCtrl+2', label: 'Momentum view' },
  { command: { type: 'view.show', view: 'sessions' }, accelerator: 'CmdOrCtrl+3', label: 'Sessions view' },
  { command: { type: 'view.show', view: 'compare' }, accelerator: 'CmdOrCtrl+4', label: 'Compare view' },
  { command: { type: 'view.show', view: 'studies' }, accelerator: 'CmdOrCtrl+5', label: 'Studies view' },
  { command: { type: 'theme.toggle' }, accelerator: 'CmdOrCtrl+Shift+L', label: 'Toggle light/dark theme' },
  { command: { type: 'help.guide' }, accelerator: 'F1', label: 'Guide' },
  { command: { type: 'help.shortcuts' }, accelerator: 'CmdOrCtrl+/', label: 'Keyboard shortcuts' },
];

/** A string that identifies a command (type plus its argument), e.g. "view.show:momentum". */
export function commandKey(command: AppCommand): string {
  if (command.type === 'view.show') return `${command.type}:${command.view}`;
  if (command.type === 'session.open-recent') return `${command.type}:${command.sessionId}`;
  return command.type;
}

const BY_KEY = new Map(SHORTCUTS.map((s) => [commandKey(s.command), s.accelerator]));

/** The accelerator of a command, if it has one. */
export function acceleratorFor(command: AppCommand): string | undefined {
  return BY_KEY.get(commandKey(command));
}
