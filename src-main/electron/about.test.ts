import { describe, expect, it } from 'vitest';
import { aboutText, recentSessions } from './about';

describe('the About box', () => {
  it('names the version, the runtime and the licences of what ships inside', () => {
    const a = aboutText('Momentum Lab', '0.1.0', { electron: '45.5.0', chrome: '140.0', node: '22.1.0' });
    expect(a.message).toBe('Momentum Lab 0.1.0');
    expect(a.detail).toContain('Electron 45.5.0');
    expect(a.detail).toMatch(/Momentum Lab: MIT/);
    expect(a.detail).toMatch(/MNIST.*CC BY-SA 3\.0/);
    expect(a.detail).toMatch(/d3: ISC/);
  });
});

describe('Open Recent', () => {
  const sessions = [
    { id: 1, name: 'old', updatedAt: 100 },
    { id: 2, name: 'newest', updatedAt: 300 },
    { id: 3, name: 'middle', updatedAt: 200 },
  ];
  it('lists the newest sessions first', () => {
    expect(recentSessions(sessions, 0)).toEqual([
      { id: 2, name: 'newest' },
      { id: 3, name: 'middle' },
      { id: 1, name: 'old' },
    ]);
    expect(recentSessions(sessions, 0, 2)).toHaveLength(2);
  });
  it('forgets sessions not touched since Clear Recent', () => {
    expect(recentSessions(sessions, 200)).toEqual([{ id: 2, name: 'newest' }]);
  });
});
