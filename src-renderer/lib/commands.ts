import type { AppCommand } from '../../src-core/contracts/app-command';
import { commandKey } from '../../src-core/contracts/shortcuts';

// Where commands are delivered: menu commands (pushed from the main process),
// keyboard shortcuts and buttons all go through dispatchCommand, which drops
// a key press seen twice (keyboard and menu) and asks the handlers. No view
// subscribes with onCommand today: the shell's fallback handler (App.svelte)
// carries out every command.

export type CommandSource = 'menu' | 'keyboard' | 'ui';
/** Return true when the command was handled; anything else passes it on. */
export type CommandHandler = (command: AppCommand, source: CommandSource) => boolean | void;

const handlers: CommandHandler[] = [];
let fallback: CommandHandler | null = null;
let last: { key: string; source: CommandSource; at: number } | null = null;

/** The same command from the keyboard and from the menu within this time is one key press seen twice (macOS menus). */
export const DUPLICATE_WINDOW_MS = 250;

/** Subscribe; the newest subscriber is asked first. Returns the unsubscribe function (return it from $effect). */
export function onCommand(handler: CommandHandler): () => void {
  handlers.unshift(handler);
  return () => {
    const i = handlers.indexOf(handler);
    if (i >= 0) handlers.splice(i, 1);
  };
}

/** The shell's handler, asked after every subscriber declined. */
export function setFallbackCommandHandler(handler: CommandHandler | null): void {
  fallback = handler;
}

/** Deliver a command; true if someone handled it. */
export function dispatchCommand(command: AppCommand, source: CommandSource = 'ui', now: number = performance.now()): boolean {
  const key = commandKey(command);
  if (last && last.key === key && last.source !== source && source !== 'ui' && last.source !== 'ui' && now - last.at < DUPLICATE_WINDOW_MS) {
    last = null;
    return true;
  }
  last = { key, source, at: now };
  for (const h of [...handlers]) if (h(command, source) === true) return true;
  return fallback?.(command, source) === true;
}
