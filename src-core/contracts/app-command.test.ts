import { describe, expect, it } from 'vitest';
import { isAppCommand } from './app-command';
import { SHORTCUTS, acceleratorFor, commandKey } from './commands';

describe('menu commands crossing the process boundary', () => {
  it('are accepted when well formed', () => {
    expect(isAppCommand({ type: 'run.train' })).toBe(true);
    expect(isAppCommand({ type: 'view.show', view: 'compare' })).toBe(true);
    expect(isAppCommand({ type: 'session.open-recent', sessionId: 12 })).toBe(true);
  });
  it('are refused when malformed', () => {
    for (const bad of [
      null,
      'run.train',
      {},
      { type: 'rm -rf' },
      { type: 'view.show', view: 'settings' },
      { type: 'session.open-recent', sessionId: '12' },
      { type: 'session.open-recent', sessionId: 0 },
    ]) {
      expect(isAppCommand(bad), JSON.stringify(bad)).toBe(false);
    }
  });
});

describe('the shortcut table', () => {
  it('names each command once and finds its accelerator', () => {
    const keys = SHORTCUTS.map((s) => commandKey(s.command));
    expect(new Set(keys).size).toBe(keys.length);
    expect(acceleratorFor({ type: 'view.show', view: 'sessions' })).toBe('CmdOrCtrl+3');
    expect(acceleratorFor({ type: 'view.show', view: 'studies' })).toBe('CmdOrCtrl+5');
    expect(acceleratorFor({ type: 'session.open-recent', sessionId: 1 })).toBeUndefined();
  });
});
