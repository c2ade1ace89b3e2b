// Light and dark themes. "system" follows the operating system
// (prefers-color-scheme); "light" and "dark" pin the theme. The choice lives
// in localStorage; app.css reads <html data-theme>.

export type ThemePreference = 'system' | 'light' | 'dark';
export const THEME_KEY = 'momentum-lab.theme';

export function loadThemePreference(storage: Pick<Storage, 'getItem'> | null = safeStorage()): ThemePreference {
  const v = storage?.getItem(THEME_KEY);
  return v === 'light' || v === 'dark' || v === 'system' ? v : 'system';
}

export function saveThemePreference(
  pref: ThemePreference,
  storage: Pick<Storage, 'setItem'> | null = safeStorage(),
): void {
  try {
    storage?.setItem(THEME_KEY, pref);
  } catch {
    // Storage full or disabled: the choice lasts for this session only.
  }
}

/** The theme shown for a preference, given whether the OS asks for dark. */
export function effectiveTheme(pref: ThemePreference, systemDark: boolean): 'light' | 'dark' {
  return pref === 'system' ? (systemDark ? 'dark' : 'light') : pref;
}

/** The toggle (menu, Ctrl+Shift+L): pin the opposite of what is shown now. */
export function toggledPreference(pref: ThemePreference, systemDark: boolean): ThemePreference {
  return effectiveTheme(pref, systemDark) === 'dark' ? 'light' : 'dark';
}

export function applyTheme(pref: ThemePreference, root: HTMLElement = document.documentElement): void {
  if (pref === 'system') root.removeAttribute('data-theme');
  else root.setAttribute('data-theme', pref);
}

export function systemPrefersDark(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches;
}

function safeStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}
