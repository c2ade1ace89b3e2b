import { describe, expect, it } from 'vitest';
import { effectiveTheme, loadThemePreference, saveThemePreference, toggledPreference, THEME_KEY } from './theme';

const memory = () => {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v) };
};

describe('themes', () => {
  it('follow the system unless one is pinned', () => {
    expect(effectiveTheme('system', true)).toBe('dark');
    expect(effectiveTheme('system', false)).toBe('light');
    expect(effectiveTheme('light', true)).toBe('light');
  });
  it('toggle to the opposite of what is shown', () => {
    expect(toggledPreference('system', true)).toBe('light');
    expect(toggledPreference('system', false)).toBe('dark');
    expect(toggledPreference('dark', false)).toBe('light');
  });
  it('are remembered, and a junk value means system', () => {
    const s = memory();
    expect(loadThemePreference(s)).toBe('system');
    saveThemePreference('dark', s);
    expect(loadThemePreference(s)).toBe('dark');
    s.setItem(THEME_KEY, 'purple');
    expect(loadThemePreference(s)).toBe('system');
  });
});
