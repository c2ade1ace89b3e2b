import type { Locator, Page } from '@playwright/test';

// Small moves through the app that many specs make.

/** Click a view's button in the navigation bar. */
export const view = (page: Page, id: string) => page.locator(`nav button[data-view="${id}"]`).click();

/** Type a value into a field that takes it on 'change' (the Momentum view's inputs) and commit it. */
export async function enter(field: Locator, value: string): Promise<void> {
  await field.fill(value);
  await field.dispatchEvent('change');
}

/** Open the Studies view and pick the study `id` (its radio button's data-study). */
export async function pickStudy(page: Page, id: string): Promise<void> {
  await view(page, 'studies');
  await page.locator(`input[data-study="${id}"]`).check();
}
