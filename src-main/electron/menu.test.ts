import { describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import type { CommandState } from '../../src-core/contracts/api-desktop';
import { COMMAND_DEFS, COMMAND_KEYS, SHORTCUTS } from '../../src-core/contracts/commands';
import {
  applyCommandState,
  buildMenuTemplate,
  flattenMenu,
  normalizeAccelerator,
  type MenuHandlers,
  type RecentSession,
} from './menu';

const PLATFORMS: NodeJS.Platform[] = ['darwin', 'linux', 'win32'];

function template(
  platform: NodeJS.Platform,
  isDev: boolean,
  recentSessions: RecentSession[] = [],
  handlers?: MenuHandlers,
) {
  return buildMenuTemplate({
    platform,
    isDev,
    appName: 'Momentum Lab',
    recentSessions,
    handlers: handlers ?? { command: vi.fn(), clearRecent: vi.fn(), about: vi.fn() },
  });
}

const labels = (items: MenuItemConstructorOptions[]) => items.map((i) => (i.label ?? i.role ?? '').replace(/&/g, ''));
const submenu = (item: MenuItemConstructorOptions | undefined) => (Array.isArray(item?.submenu) ? item.submenu : []);
const find = (items: MenuItemConstructorOptions[], label: string) =>
  flattenMenu(items).find((i) => i.label?.replace(/&/g, '') === label);

describe('the application menu', () => {
  for (const platform of PLATFORMS) {
    for (const isDev of [false, true]) {
      const recent = [
        { id: 1, name: 'LR sweep & friends' },
        { id: 2, name: 'Momentum d=0.9' },
      ];
      const items = flattenMenu(template(platform, isDev, recent));

      it(`gives every item on ${platform}${isDev ? ' (dev)' : ''} a role, a click handler or a submenu`, () => {
        for (const item of items) {
          if (item.type === 'separator') continue;
          const ok = item.role !== undefined || typeof item.click === 'function' || Array.isArray(item.submenu);
          expect(ok, `menu item ${JSON.stringify(item.label)} does nothing`).toBe(true);
        }
      });

      it(`has no two items with the same key combination on ${platform}${isDev ? ' (dev)' : ''}`, () => {
        const seen = new Map<string, string>();
        for (const item of items) {
          if (!item.accelerator) continue;
          const key = normalizeAccelerator(item.accelerator, platform);
          const who = String(item.label ?? item.role);
          expect(seen.get(key), `${who} and ${seen.get(key)} both use ${key}`).toBeUndefined();
          seen.set(key, who);
        }
        expect(seen.size).toBeGreaterThan(15);
      });
    }

    it(`offers developer tools and reload only in development builds on ${platform}`, () => {
      const roles = (isDev: boolean) => flattenMenu(template(platform, isDev)).map((i) => i.role);
      expect(roles(false)).not.toContain('toggleDevTools');
      expect(roles(false)).not.toContain('reload');
      expect(roles(false)).not.toContain('forceReload');
      expect(roles(true)).toContain('toggleDevTools');
      expect(roles(true)).toContain('reload');
    });
  }

  it('has File, Edit, View, Run and Help menus, with the app menu and Window menu on macOS', () => {
    expect(labels(template('linux', false))).toEqual(['File', 'Edit', 'View', 'Run', 'Help']);
    expect(labels(template('win32', false))).toEqual(['File', 'Edit', 'View', 'Run', 'Help']);
    expect(labels(template('darwin', false))).toEqual([
      'Momentum Lab',
      'File',
      'Edit',
      'View',
      'Run',
      'windowMenu',
      'Help',
    ]);
  });

  it('lists the File items the issue asks for, with Quit in File except on macOS', () => {
    const file = labels(submenu(template('linux', false)[0])).filter((l) => l !== '');
    expect(file).toEqual([
      'New Session',
      'Open Session…',
      'Open Recent',
      'Import Session…',
      'Export Session…',
      'Open Dataset…',
      'Export Figure…',
      'Export Report…',
      'Quit',
    ]);
    const macFile = flattenMenu(submenu(template('darwin', false)[1])).map((i) => i.role);
    expect(macFile).not.toContain('quit');
    expect(flattenMenu(template('darwin', false)).filter((i) => i.role === 'quit')).toHaveLength(1);
  });

  it('uses the standard roles for editing and zoom', () => {
    const roles = flattenMenu(template('linux', false)).map((i) => i.role);
    for (const role of [
      'undo',
      'redo',
      'cut',
      'copy',
      'paste',
      'selectAll',
      'resetZoom',
      'zoomIn',
      'zoomOut',
      'togglefullscreen',
    ] as const) {
      expect(roles).toContain(role);
    }
  });

  it('sends the command of an item to the renderer when clicked', () => {
    const handlers = { command: vi.fn(), clearRecent: vi.fn(), about: vi.fn() };
    const t = template('linux', false, [{ id: 7, name: 'Run A' }], handlers);
    const click = (label: string) => (find(t, label)?.click as () => void)();
    click('Train');
    click('Cancel');
    click('Momentum');
    click('Export Figure…');
    click('1 Run A');
    click('Clear Recent');
    click('About Momentum Lab');
    expect(handlers.command.mock.calls.map((c) => c[0])).toEqual([
      { type: 'run.train' },
      { type: 'run.cancel' },
      { type: 'view.show', view: 'momentum' },
      { type: 'figure.export' },
      { type: 'session.open-recent', sessionId: 7 },
    ]);
    expect(handlers.clearRecent).toHaveBeenCalledOnce();
    expect(handlers.about).toHaveBeenCalledOnce();
  });

  it('shows the shared shortcuts on their commands, without registering what the renderer handles', () => {
    const t = template('linux', false);
    expect(find(t, 'Train')?.accelerator).toBe('CmdOrCtrl+Enter');
    expect(find(t, 'Cancel')?.accelerator).toBe('Escape');
    expect(find(t, 'Export Figure…')?.accelerator).toBe('CmdOrCtrl+E');
    expect(find(t, 'Compare')?.accelerator).toBe('CmdOrCtrl+4');
    expect(find(t, 'Studies')?.accelerator).toBe('CmdOrCtrl+5');
    expect(find(t, 'Train')?.registerAccelerator).toBe(false);
    const shown = new Set(flattenMenu(t).map((i) => i.accelerator));
    for (const s of SHORTCUTS) expect(shown, `${s.label} is missing from the menu`).toContain(s.accelerator);
  });

  it('escapes & in session names and disables Clear Recent when there is nothing to clear', () => {
    const t = template('linux', false, [{ id: 3, name: 'A & B' }]);
    expect(find(t, 'Open Recent') && submenu(find(t, 'Open Recent'))[0].label).toBe('&1 A && B');
    expect(find(template('linux', false), 'Clear Recent')?.enabled).toBe(false);
  });
});

describe("the menu and the commands' enabled state", () => {
  const withState = (platform: NodeJS.Platform, commandState?: CommandState) =>
    buildMenuTemplate({
      platform,
      isDev: false,
      appName: 'Momentum Lab',
      recentSessions: [{ id: 4, name: 'Run B' }],
      commandState,
      handlers: { command: vi.fn(), clearRecent: vi.fn(), about: vi.fn() },
    });
  const byId = (items: MenuItemConstructorOptions[]) =>
    new Map(flattenMenu(items).flatMap((i) => (i.id ? [[i.id, i] as const] : [])));

  for (const platform of PLATFORMS) {
    it(`gives every declared command exactly one item on ${platform}, its id the command's key`, () => {
      const ids = flattenMenu(withState(platform)).flatMap((i) => (i.id ? [i.id] : []));
      expect([...ids].sort()).toEqual([...COMMAND_KEYS].sort());
      const items = byId(withState(platform));
      COMMAND_DEFS.forEach((def, k) => expect(items.get(COMMAND_KEYS[k])?.label).toBe(def.menuLabel));
    });
  }

  it('enables every command until the renderer says otherwise', () => {
    for (const item of byId(withState('linux')).values()) expect(item.enabled, item.label).toBe(true);
  });

  it('greys out exactly the commands the state disables, and leaves the rest enabled', () => {
    // A run is training: Train and Open Dataset… cannot run, Cancel can.
    const state = { 'run.train': false, 'run.cancel': true, 'dataset.open': false };
    for (const platform of PLATFORMS) {
      const items = byId(withState(platform, state));
      const off = [...items.values()].filter((i) => i.enabled === false).map((i) => i.id);
      expect(off.sort(), platform).toEqual(['dataset.open', 'run.train']);
      expect(items.get('run.cancel')?.enabled).toBe(true);
      expect(items.get('view.show:studies')?.enabled).toBe(true);
    }
    // Open Recent's sessions and Clear Recent are not commands of the registry: the state leaves them alone.
    const recent = submenu(find(withState('linux', { 'session.open': false }), 'Open Recent'));
    expect(recent.map((i) => i.enabled)).toEqual([undefined, undefined, true]);
  });

  it('updates a built menu in place: the named items follow the state, the others keep theirs', () => {
    const items = byId(withState('darwin'));
    const menu = { getMenuItemById: (id: string) => (items.get(id) as { enabled: boolean } | undefined) ?? null };
    applyCommandState(menu, { 'run.train': false, 'run.cancel': true, 'figure.export': false });
    expect(items.get('run.train')?.enabled).toBe(false);
    expect(items.get('figure.export')?.enabled).toBe(false);
    applyCommandState(menu, { 'run.train': true, 'run.cancel': false });
    expect(items.get('run.train')?.enabled).toBe(true);
    expect(items.get('run.cancel')?.enabled).toBe(false);
    expect(items.get('figure.export')?.enabled).toBe(false);
    expect(() => applyCommandState(null, { 'run.train': false })).not.toThrow();
  });
});

describe('accelerator normal forms', () => {
  it('resolve CmdOrCtrl per platform and ignore modifier order and case', () => {
    expect(normalizeAccelerator('CmdOrCtrl+Shift+E', 'linux')).toBe(normalizeAccelerator('shift+ctrl+e', 'linux'));
    expect(normalizeAccelerator('CmdOrCtrl+E', 'darwin')).toBe('cmd+e');
    expect(normalizeAccelerator('CmdOrCtrl+E', 'darwin')).not.toBe(normalizeAccelerator('Ctrl+E', 'darwin'));
    expect(normalizeAccelerator('CmdOrCtrl+Plus', 'win32')).toBe('ctrl++');
    expect(normalizeAccelerator('Return', 'linux')).toBe('enter');
  });
  it('reject unknown modifiers', () => {
    expect(() => normalizeAccelerator('Hyper+X', 'linux')).toThrow(RangeError);
  });
});
