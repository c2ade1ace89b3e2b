// Runs picked for comparison, shared by the Sessions panel ("Compare
// selected") and the Compare view, for as long as the page lives.

export const compareSelection = $state<{ runIds: string[] }>({ runIds: [] });

/** Switch to another top-level view through the app's navigation. */
export function showView(id: string): void {
  document.querySelector<HTMLButtonElement>(`nav button[data-view="${id}"]`)?.click();
}
