import type { AppCommand, AppCommandType } from '../../src-core/contracts/app-command';
import type { CommandState } from '../../src-core/contracts/api-desktop';
import { COMMAND_DEFS, commandDef, commandKey } from '../../src-core/contracts/commands';
import { shortcutHint } from './shortcuts';

// The command registry. Each command is one object: its name, label and
// shortcut (declared once in src-core/contracts/commands.ts, which the
// application menu reads too), whether it can run now, and what it does. The
// shell registers the app-wide effects (views, theme, sessions, …); each view
// registers the effects of the commands it serves (Train, Cancel, Export
// report, …) while it is mounted, and its registration wins over the shell's.
// The menu (a LabEvent 'command'), the keyboard handler and the buttons
// (CommandButton.svelte) all run commands through runCommand(); the native
// menu greys out what commandState() says cannot run now
// (lib/command-state.svelte.ts publishes it).
//
//   const off = registerCommands('training', {
//     'run.train': { enabled: () => !running, perform: () => start() },
//   });
//   onDestroy(off);

export type CommandSource = 'menu' | 'keyboard' | 'ui';

type CommandOf<T extends AppCommandType> = Extract<AppCommand, { type: T }>;

/** The part of a command a view or the shell supplies: its enabled state and its effect. */
export interface CommandImpl<C extends AppCommand = AppCommand> {
  /** Whether the command can run now (read reactively by buttons); absent = always. */
  enabled?: () => boolean;
  perform: (command: C, source: CommandSource) => void | Promise<unknown>;
}

export type CommandImpls = { [T in AppCommandType]?: CommandImpl<CommandOf<T>> };

/** A command as the registry knows it at this moment. */
export interface Command {
  name: string;
  label: string;
  /** Electron accelerator, if the command has a shortcut. */
  shortcut?: string;
  /** Tooltip text with the shortcut spelled for this platform, and aria-keyshortcuts. */
  hint: { title: string; 'aria-keyshortcuts'?: string };
  /** Who serves it now ('shell', 'training', …); null when nobody does. */
  owner: string | null;
  enabled: boolean;
}

interface Layer {
  owner: string;
  impls: CommandImpls;
}

const layers: Layer[] = [];
const listeners = new Set<() => void>();
let last: { key: string; source: CommandSource; at: number } | null = null;

/** The same command from the keyboard and from the menu within this time is one key press seen twice (macOS menus). */
export const DUPLICATE_WINDOW_MS = 250;

const changed = () => {
  for (const l of [...listeners]) l();
};

/** Register effects for some commands; the newest registration of a command wins. Returns the unregister function. */
export function registerCommands(owner: string, impls: CommandImpls): () => void {
  const layer: Layer = { owner, impls };
  layers.unshift(layer);
  changed();
  return () => {
    const i = layers.indexOf(layer);
    if (i >= 0) {
      layers.splice(i, 1);
      changed();
    }
  };
}

/** Called whenever a registration comes or goes (for buttons' enabled state). Returns the unsubscribe function. */
export function onRegistryChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function serving(type: AppCommandType): { owner: string; impl: CommandImpl } | null {
  for (const layer of layers) {
    const impl = layer.impls[type] as CommandImpl | undefined;
    if (impl) return { owner: layer.owner, impl };
  }
  return null;
}

/** Whether a command can run now: somebody serves it and its owner does not say no. */
function isEnabled(found: { impl: CommandImpl } | null): boolean {
  return found !== null && (found.impl.enabled?.() ?? true);
}

/** The command object: declaration plus the current registration's enabled state. */
export function getCommand(command: AppCommand): Command {
  const def = commandDef(command);
  const label = def?.label ?? command.type;
  const found = serving(command.type);
  return {
    name: commandKey(command),
    label,
    shortcut: def?.accelerator,
    hint: shortcutHint(label, command),
    owner: found?.owner ?? null,
    enabled: isEnabled(found),
  };
}

/** Every declared command's enabled state now, by command key (what the native menu shows). */
export function commandState(): CommandState {
  return Object.fromEntries(COMMAND_DEFS.map((d) => [commandKey(d.command), isEnabled(serving(d.command.type))]));
}

/** Who serves a command now, or null. */
export function ownerOf(type: AppCommandType): string | null {
  return serving(type)?.owner ?? null;
}

/**
 * Run a command from the menu, the keyboard or a button. Answers 'done' when
 * it ran, 'disabled' when its owner says it cannot run now, 'unserved' when
 * nobody registered it, 'echo' for the menu's repeat of a key press.
 */
export function runCommand(
  command: AppCommand,
  source: CommandSource = 'ui',
  now: number = performance.now(),
): 'done' | 'disabled' | 'unserved' | 'echo' {
  const key = commandKey(command);
  if (last && last.key === key && last.source !== source && source !== 'ui' && last.source !== 'ui') {
    if (now - last.at < DUPLICATE_WINDOW_MS) {
      last = null;
      return 'echo';
    }
  }
  last = { key, source, at: now };
  const found = serving(command.type);
  if (!found) return 'unserved';
  if (found.impl.enabled && !found.impl.enabled()) return 'disabled';
  void Promise.resolve(found.impl.perform(command, source)).catch((e: unknown) => {
    console.error(`command ${key} failed:`, e);
  });
  return 'done';
}
