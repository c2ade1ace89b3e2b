import type { MenuItemConstructorOptions } from 'electron';
import { APP_VIEW_IDS, type AppCommand } from '../../src-core/contracts/app-command';
import type { CommandState } from '../../src-core/contracts/api-desktop';
import { commandDef, commandKey } from '../../src-core/contracts/commands';

// The application menu as plain data: a pure function of the platform, the
// build kind, the recent sessions, the commands' enabled state and the
// handlers. index.ts passes the result to Menu.buildFromTemplate; tests check
// it without Electron.

export interface RecentSession {
  id: number;
  name: string;
}

export interface MenuHandlers {
  /** Deliver a command to the renderer (pushed as the LabEvent { channel: 'command' }). */
  command(command: AppCommand): void;
  /** Forget the recent sessions. */
  clearRecent(): void;
  /** Show the About box (version, licences). */
  about(): void;
}

export interface MenuInput {
  platform: NodeJS.Platform;
  /** Development build: adds reload and developer tools. */
  isDev: boolean;
  appName: string;
  /** Most recent first. */
  recentSessions: readonly RecentSession[];
  /** Which commands can run now, as the renderer last published it; a command not in it is enabled. */
  commandState?: CommandState;
  handlers: MenuHandlers;
}

type Item = MenuItemConstructorOptions;

/** Show at most this many recent sessions. */
export const MAX_RECENT = 10;

export function buildMenuTemplate(input: MenuInput): Item[] {
  const { platform, isDev, appName, handlers } = input;
  const mac = platform === 'darwin';
  const sep: Item = { type: 'separator' };

  // Items whose shortcut the renderer handles itself (so it works in any
  // focus state and in the browser tests): the menu shows the accelerator but
  // does not register it (Linux/Windows), so a key press fires once. On macOS
  // the page sees the key first and its preventDefault keeps the menu quiet.
  // Label and shortcut come from the one declaration of each command (src-core/contracts/commands.ts); the
  // item's id is the command's key, so applyCommandState can grey it out in the built menu.
  const cmd = (command: AppCommand): Item => {
    const def = commandDef(command);
    if (!def) throw new RangeError(`menu: no declaration for the command ${command.type}`);
    const id = commandKey(command);
    return {
      id,
      label: def.menuLabel,
      enabled: input.commandState?.[id] ?? true,
      click: () => handlers.command(command),
      ...(def.accelerator ? { accelerator: def.accelerator, registerAccelerator: false } : {}),
    };
  };

  const recent = input.recentSessions.slice(0, MAX_RECENT);
  const openRecent: Item = {
    label: 'Open Recent',
    submenu: [
      ...recent.map((s, i): Item => ({
        label: `${i < 9 ? `&${i + 1} ` : ''}${escapeMnemonic(s.name)}`,
        click: () => handlers.command({ type: 'session.open-recent', sessionId: s.id }),
      })),
      ...(recent.length > 0 ? [sep] : []),
      { label: 'Clear Recent', enabled: recent.length > 0, click: () => handlers.clearRecent() },
    ],
  };

  const appMenu: Item = {
    label: appName,
    submenu: [
      { label: `About ${appName}`, click: () => handlers.about() },
      sep,
      { role: 'services' },
      sep,
      { role: 'hide', accelerator: 'Command+H' },
      { role: 'hideOthers', accelerator: 'Command+Alt+H' },
      { role: 'unhide' },
      sep,
      { role: 'quit', accelerator: 'Command+Q' },
    ],
  };

  const fileMenu: Item = {
    label: '&File',
    submenu: [
      cmd({ type: 'session.new' }),
      cmd({ type: 'session.open' }),
      openRecent,
      sep,
      cmd({ type: 'session.import' }),
      cmd({ type: 'session.export' }),
      sep,
      cmd({ type: 'dataset.open' }),
      sep,
      cmd({ type: 'figure.export' }),
      cmd({ type: 'report.export' }),
      sep,
      mac
        ? { role: 'close', accelerator: 'Command+W' }
        : { role: 'quit', label: 'Quit', ...(platform === 'win32' ? {} : { accelerator: 'Ctrl+Q' }) },
    ],
  };

  const editMenu: Item = {
    label: '&Edit',
    submenu: [
      { role: 'undo', accelerator: 'CmdOrCtrl+Z' },
      { role: 'redo', accelerator: mac ? 'Shift+CmdOrCtrl+Z' : 'Ctrl+Y' },
      sep,
      { role: 'cut', accelerator: 'CmdOrCtrl+X' },
      { role: 'copy', accelerator: 'CmdOrCtrl+C' },
      { role: 'paste', accelerator: 'CmdOrCtrl+V' },
      ...(mac
        ? [
            { role: 'pasteAndMatchStyle', accelerator: 'Shift+Alt+CmdOrCtrl+V' } satisfies Item,
            { role: 'delete' } satisfies Item,
          ]
        : [{ role: 'delete' } satisfies Item]),
      sep,
      { role: 'selectAll', accelerator: 'CmdOrCtrl+A' },
    ],
  };

  const viewMenu: Item = {
    label: '&View',
    submenu: [
      ...APP_VIEW_IDS.map((view) => cmd({ type: 'view.show', view })),
      sep,
      cmd({ type: 'theme.toggle' }),
      sep,
      { role: 'resetZoom', accelerator: 'CmdOrCtrl+0' },
      { role: 'zoomIn', accelerator: 'CmdOrCtrl+Plus' },
      { role: 'zoomOut', accelerator: 'CmdOrCtrl+-' },
      sep,
      { role: 'togglefullscreen', accelerator: mac ? 'Ctrl+Command+F' : 'F11' },
      ...(isDev
        ? [
            sep,
            { role: 'reload', accelerator: 'CmdOrCtrl+R' } satisfies Item,
            { role: 'forceReload', accelerator: 'Shift+CmdOrCtrl+R' } satisfies Item,
            { role: 'toggleDevTools', accelerator: mac ? 'Alt+Command+I' : 'Ctrl+Shift+I' } satisfies Item,
          ]
        : []),
    ],
  };

  const runMenu: Item = {
    label: '&Run',
    submenu: [cmd({ type: 'run.train' }), cmd({ type: 'run.cancel' }), sep, cmd({ type: 'run.study' })],
  };

  const windowMenu: Item = { role: 'windowMenu' };

  const helpMenu: Item = {
    label: '&Help',
    role: 'help',
    submenu: [
      cmd({ type: 'help.guide' }),
      cmd({ type: 'help.shortcuts' }),
      ...(mac ? [] : [sep, { label: `About ${appName}`, click: () => handlers.about() } satisfies Item]),
    ],
  };

  return mac
    ? [appMenu, fileMenu, editMenu, viewMenu, runMenu, windowMenu, helpMenu]
    : [fileMenu, editMenu, viewMenu, runMenu, helpMenu];
}

/** What applyCommandState needs of a built menu (Electron's Menu). */
export interface MenuById {
  getMenuItemById(id: string): { enabled: boolean } | null;
}

/**
 * Grey out, in a menu already built from buildMenuTemplate, the commands the
 * renderer says cannot run now (and enable the others it names), in place:
 * a menu the user holds open stays open.
 */
export function applyCommandState(menu: MenuById | null, state: CommandState): void {
  for (const [id, enabled] of Object.entries(state)) {
    const item = menu?.getMenuItemById(id);
    if (item && enabled !== undefined) item.enabled = enabled;
  }
}

/** A session name shown literally: "&" would otherwise start a mnemonic. */
function escapeMnemonic(name: string): string {
  return name.replace(/&/g, '&&');
}

/**
 * The key combination an accelerator means on a platform, in one spelling:
 * modifiers sorted, CmdOrCtrl resolved, key aliases unified. Two accelerators
 * collide when their normal forms are equal.
 */
export function normalizeAccelerator(accelerator: string, platform: NodeJS.Platform): string {
  const mac = platform === 'darwin';
  const parts = accelerator.split(/\+(?!$)/).map((p) => p.trim().toLowerCase());
  const key = parts.pop() ?? '';
  const mods = new Set<string>();
  for (const m of parts) {
    if (m === 'cmdorctrl' || m === 'commandorcontrol') mods.add(mac ? 'cmd' : 'ctrl');
    else if (m === 'cmd' || m === 'command' || m === 'super' || m === 'meta') mods.add('cmd');
    else if (m === 'ctrl' || m === 'control') mods.add('ctrl');
    else if (m === 'alt' || m === 'option' || m === 'altgr') mods.add('alt');
    else if (m === 'shift') mods.add('shift');
    else throw new RangeError(`accelerator ${JSON.stringify(accelerator)}: unknown modifier ${JSON.stringify(m)}`);
  }
  const aliases: Record<string, string> = { return: 'enter', esc: 'escape', plus: '+', '=': '+' };
  return [...[...mods].sort(), aliases[key] ?? key].join('+');
}

/** Every item of a template, depth first (submenus included). */
export function flattenMenu(items: readonly Item[]): Item[] {
  return items.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? flattenMenu(item.submenu) : [])]);
}
