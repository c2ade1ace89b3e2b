import { describe, expect, it } from 'vitest';
import { SHORTCUTS } from '../../src-core/contracts/commands';
import { ariaAccelerator, commandForKey, displayAccelerator, shortcutHint, type KeyLike } from './shortcuts';

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...mods,
});

describe('keyboard shortcuts in the page', () => {
  it('map Ctrl+Enter to train and Escape to cancel on Linux and Windows', () => {
    expect(commandForKey(key('Enter', { ctrlKey: true }), false)).toEqual({ type: 'run.train' });
    expect(commandForKey(key('Escape'), false)).toEqual({ type: 'run.cancel' });
    expect(commandForKey(key('Enter'), false)).toBeNull();
  });
  it('use Cmd instead of Ctrl on macOS', () => {
    expect(commandForKey(key('Enter', { metaKey: true }), true)).toEqual({ type: 'run.train' });
    expect(commandForKey(key('Enter', { ctrlKey: true }), true)).toBeNull();
  });
  it.each([
    // key, modifiers and physical key, macOS?, the view (null: no command)
    ['2', { ctrlKey: true, code: 'Digit2' }, false, 'momentum'],
    ['5', { ctrlKey: true, code: 'Digit5' }, false, 'studies'],
    ['(', { ctrlKey: true, code: 'Digit5' }, false, 'studies'], // a layout where Shift-less 5 types "("
    ['5', { metaKey: true, code: 'Digit5' }, true, 'studies'],
    ['6', { ctrlKey: true, code: 'Digit6' }, false, null],
    ['&', { ctrlKey: true, code: 'Digit1' }, false, 'training'],
  ] as const)('switch views with Ctrl+1..5, by physical key: %s %o on macOS %s → %s', (k, mods, mac, view) => {
    expect(commandForKey(key(k, mods), mac)).toEqual(view === null ? null : { type: 'view.show', view });
  });
  it('tell Ctrl+E from Ctrl+Shift+E', () => {
    expect(commandForKey(key('e', { ctrlKey: true }), false)).toEqual({ type: 'figure.export' });
    expect(commandForKey(key('E', { ctrlKey: true, shiftKey: true }), false)).toEqual({ type: 'report.export' });
  });
  it('give every shortcut a distinct chord', () => {
    const seen = new Set(SHORTCUTS.map((s) => s.accelerator.toLowerCase()));
    expect(seen.size).toBe(SHORTCUTS.length);
  });
  it('spell shortcuts for people and for aria-keyshortcuts', () => {
    expect(displayAccelerator('CmdOrCtrl+Shift+E', false)).toBe('Ctrl+Shift+E');
    expect(displayAccelerator('CmdOrCtrl+Shift+E', true)).toBe('⇧⌘E');
    expect(displayAccelerator('Escape', false)).toBe('Esc');
    expect(ariaAccelerator('CmdOrCtrl+Enter', false)).toBe('Control+Enter');
    expect(ariaAccelerator('CmdOrCtrl+Enter', true)).toBe('Meta+Enter');
    expect(shortcutHint('Train', { type: 'run.train' }, false)).toEqual({
      title: 'Train (Ctrl+Enter)',
      'aria-keyshortcuts': 'Control+Enter',
    });
    expect(shortcutHint('Reset', { type: 'session.open-recent', sessionId: 1 }, false)).toEqual({ title: 'Reset' });
  });
});
