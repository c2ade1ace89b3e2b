// A change to a saved record (rename, notes, delete) from the Sessions tables: the table refreshes after it, and a
// failure goes to the view's error line.

export function recordAction(onchange: () => void, onerror: (message: string) => void) {
  return async (fn: () => Promise<unknown>): Promise<void> => {
    try {
      await fn();
      onchange();
    } catch (e) {
      onerror(e instanceof Error ? e.message : String(e));
    }
  };
}
