import { describe, expect, it } from 'vitest';
import { dispatchCommand, onCommand, setFallbackCommandHandler } from './commands';

describe('the command bus', () => {
  it('asks the newest subscriber first and stops at the first that handles it', () => {
    const seen: string[] = [];
    const offA = onCommand((c) => {
      seen.push(`a:${c.type}`);
      return c.type === 'run.train';
    });
    const offB = onCommand((c) => {
      seen.push(`b:${c.type}`);
      return c.type === 'run.cancel';
    });
    expect(dispatchCommand({ type: 'run.cancel' }, 'ui', 0)).toBe(true);
    expect(dispatchCommand({ type: 'run.train' }, 'ui', 1000)).toBe(true);
    expect(seen).toEqual(['b:run.cancel', 'b:run.train', 'a:run.train']);
    offA();
    offB();
  });
  it('falls back to the shell when no view handles a command', () => {
    const got: string[] = [];
    setFallbackCommandHandler((c) => {
      got.push(c.type);
      return true;
    });
    expect(dispatchCommand({ type: 'figure.export' }, 'keyboard', 5000)).toBe(true);
    expect(got).toEqual(['figure.export']);
    setFallbackCommandHandler(null);
    expect(dispatchCommand({ type: 'figure.export' }, 'keyboard', 9000)).toBe(false);
  });
  it('drops the menu echo of a key press the page already handled', () => {
    let n = 0;
    const off = onCommand(() => {
      n++;
      return true;
    });
    dispatchCommand({ type: 'run.train' }, 'keyboard', 20_000);
    dispatchCommand({ type: 'run.train' }, 'menu', 20_100);
    dispatchCommand({ type: 'run.train' }, 'menu', 21_000);
    expect(n).toBe(2);
    off();
  });
});
