import { APP_VIEW_IDS, type AppCommand } from './app-command';

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

/** A row of the table below: the command, its label, its menu label and its accelerator (if it has one). */
type CommandRow = readonly [command: AppCommand, label: string, menuLabel: string, accelerator?: string];

const row = ([command, label, menuLabel, accelerator]: CommandRow): CommandDef =>
  accelerator === undefined ? { command, label, menuLabel } : { command, label, menuLabel, accelerator };

/** "training" -> "Training". */
const capitalized = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const ROWS: readonly CommandRow[] = [
  [{ type: 'run.train' }, 'Train', 'Train', 'CmdOrCtrl+Enter'],
  [{ type: 'run.cancel' }, 'Cancel the run', 'Cancel', 'Escape'],
  [{ type: 'run.study' }, 'Run study…', 'Run Study…', 'CmdOrCtrl+Shift+Enter'],
  [{ type: 'figure.export' }, 'Export figure…', 'Export Figure…', 'CmdOrCtrl+E'],
  [{ type: 'report.export' }, 'Export report…', 'Export Report…', 'CmdOrCtrl+Shift+E'],
  [{ type: 'session.new' }, 'New session', 'New Session', 'CmdOrCtrl+N'],
  [{ type: 'session.open' }, 'Open session…', 'Open Session…', 'CmdOrCtrl+O'],
  [{ type: 'session.import' }, 'Import session…', 'Import Session…', 'CmdOrCtrl+I'],
  [{ type: 'session.export' }, 'Export session…', 'Export Session…', 'CmdOrCtrl+Shift+S'],
  [{ type: 'dataset.open' }, 'Open dataset…', 'Open Dataset…', 'CmdOrCtrl+Shift+O'],
  // The views, in menu order: "Training view", menu "Training", Ctrl/Cmd+1; … "Studies view", Ctrl/Cmd+5.
  ...APP_VIEW_IDS.map((view, i): CommandRow => [
    { type: 'view.show', view },
    `${capitalized(view)} view`,
    capitalized(view),
    `CmdOrCtrl+${i + 1}`,
  ]),
  [{ type: 'theme.toggle' }, 'Toggle light/dark theme', 'Toggle Theme', 'CmdOrCtrl+Shift+L'],
  [{ type: 'help.guide' }, 'Guide', 'Guide', 'F1'],
  [{ type: 'help.shortcuts' }, 'Keyboard shortcuts', 'Keyboard Shortcuts', 'CmdOrCtrl+/'],
];

export const COMMAND_DEFS: readonly CommandDef[] = ROWS.map(row);

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
