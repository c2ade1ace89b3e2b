// Whether the first-run guide was seen (finished or skipped), in localStorage.

export const GUIDE_SEEN_KEY = 'momentum-lab.guide-seen';

export function guideSeen(storage: Pick<Storage, 'getItem'> | null = safe()): boolean {
  return storage?.getItem(GUIDE_SEEN_KEY) === '1';
}

export function markGuideSeen(storage: Pick<Storage, 'setItem'> | null = safe()): void {
  try {
    storage?.setItem(GUIDE_SEEN_KEY, '1');
  } catch {
    // Storage unavailable: the guide shows again next start.
  }
}

/**
 * Open the guide on its own at the first start, except under browser
 * automation (navigator.webdriver: the end-to-end tests), where a dialog over
 * the app would get in the way of every other test.
 */
export function shouldAutoOpenGuide(seen: boolean, automated: boolean): boolean {
  return !seen && !automated;
}

function safe(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}
