import { describe, expect, it } from 'vitest';
import {
  APP_VIEW_IDS,
  SIMPLE_COMMAND_TYPES,
  isAppCommand,
  type AppCommand,
} from '../../src-core/contracts/app-command';
import { COMMAND_DEFS, COMMAND_KEYS, commandDef } from '../../src-core/contracts/commands';
import { commandState, getCommand, onRegistryChange, ownerOf, registerCommands, runCommand } from './command-registry';

describe('the command registry', () => {
  it('runs the newest registration of a command, and the older one again once the newer is gone', () => {
    const seen: string[] = [];
    const offShell = registerCommands('shell', { 'run.train': { perform: () => void seen.push('shell') } });
    const offView = registerCommands('training', {
      'run.train': { perform: (c, src) => void seen.push(`view:${src}`) },
    });
    expect(ownerOf('run.train')).toBe('training');
    expect(runCommand({ type: 'run.train' }, 'ui', 0)).toBe('done');
    offView();
    expect(ownerOf('run.train')).toBe('shell');
    expect(runCommand({ type: 'run.train' }, 'menu', 1000)).toBe('done');
    offShell();
    expect(runCommand({ type: 'run.train' }, 'keyboard', 2000)).toBe('unserved');
    expect(seen).toEqual(['view:ui', 'shell']);
  });

  it('does not run a command its owner disables, and does not pass it down to an older registration', () => {
    let running = false;
    const seen: string[] = [];
    const offShell = registerCommands('shell', { 'run.cancel': { perform: () => void seen.push('shell') } });
    const offView = registerCommands('training', {
      'run.cancel': { enabled: () => running, perform: () => void seen.push('view') },
    });
    expect(getCommand({ type: 'run.cancel' }).enabled).toBe(false);
    expect(runCommand({ type: 'run.cancel' }, 'keyboard', 10_000)).toBe('disabled');
    running = true;
    expect(getCommand({ type: 'run.cancel' }).enabled).toBe(true);
    expect(runCommand({ type: 'run.cancel' }, 'keyboard', 11_000)).toBe('done');
    expect(seen).toEqual(['view']);
    offView();
    offShell();
  });

  it('gives each command its declared name, label and shortcut, and the tooltip spelled from them', () => {
    const c = getCommand({ type: 'view.show', view: 'compare' });
    expect(c.name).toBe('view.show:compare');
    expect(c.label).toBe('Compare view');
    expect(c.shortcut).toBe('CmdOrCtrl+4');
    expect(c.hint.title).toMatch(/^Compare view \((Ctrl\+4|⌘4)\)$/);
    expect(c.owner).toBeNull();
    expect(c.enabled).toBe(false);
  });

  it('drops the menu echo of a key press the page already handled, but not a later one nor a button', () => {
    let n = 0;
    const off = registerCommands('t', { 'figure.export': { perform: () => void n++ } });
    expect(runCommand({ type: 'figure.export' }, 'keyboard', 20_000)).toBe('done');
    expect(runCommand({ type: 'figure.export' }, 'menu', 20_100)).toBe('echo');
    expect(runCommand({ type: 'figure.export' }, 'menu', 21_000)).toBe('done');
    expect(runCommand({ type: 'figure.export' }, 'ui', 21_010)).toBe('done');
    expect(n).toBe(3);
    off();
  });

  it("gives every declared command's enabled state by key, as the newest registration says now", () => {
    // Nobody serves anything: nothing can run.
    expect(Object.keys(commandState())).toEqual(COMMAND_KEYS);
    expect(Object.values(commandState()).every((on) => on === false)).toBe(true);
    let running = false;
    const offShell = registerCommands('shell', {
      'view.show': { perform: () => {} },
      'run.train': { perform: () => {} },
      'run.cancel': { enabled: () => false, perform: () => {} },
    });
    const offView = registerCommands('training', {
      'run.train': { enabled: () => !running, perform: () => {} },
      'run.cancel': { enabled: () => running, perform: () => {} },
    });
    expect(commandState()).toMatchObject({ 'run.train': true, 'run.cancel': false, 'view.show:studies': true });
    expect(commandState()['figure.export']).toBe(false);
    running = true;
    expect(commandState()).toMatchObject({ 'run.train': false, 'run.cancel': true });
    offView();
    // The shell's own registration again: Train (it says where to train), no Cancel.
    expect(commandState()).toMatchObject({ 'run.train': true, 'run.cancel': false });
    offShell();
    expect(commandState()['view.show:training']).toBe(false);
  });

  it('tells listeners when registrations come and go', () => {
    let calls = 0;
    const stop = onRegistryChange(() => void calls++);
    const off = registerCommands('t', { 'help.guide': { perform: () => {} } });
    off();
    off();
    stop();
    registerCommands('t', {})();
    expect(calls).toBe(2);
  });
});

describe('the command declarations', () => {
  it('declare every command the menu can send except a recent session, each once, with a valid shape', () => {
    const simple: AppCommand[] = [
      ...APP_VIEW_IDS.map((view): AppCommand => ({ type: 'view.show', view })),
      ...SIMPLE_COMMAND_TYPES.map((type): AppCommand => ({ type })),
    ];
    for (const c of simple) expect(commandDef(c), c.type).toBeDefined();
    expect(COMMAND_DEFS).toHaveLength(simple.length);
    for (const d of COMMAND_DEFS) expect(isAppCommand(d.command)).toBe(true);
    expect(commandDef({ type: 'session.open-recent', sessionId: 3 })).toBeUndefined();
  });
});
