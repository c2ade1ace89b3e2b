import { expect, type Page } from '@playwright/test';
import { view } from './app';

// The Sessions view's forms as the e2e specs fill them.

/** Create a session named `name` in the Sessions view; new runs go there. */
export async function createSession(page: Page, name: string): Promise<void> {
  await view(page, 'sessions');
  await page.getByLabel('New session name').fill(name);
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByTestId('session-title')).toHaveText(name);
}

export interface SweepForm {
  lr: string;
  bs?: string;
  perClass: string;
  epochs: string;
  evalEvery: string;
  workers: string;
}

/** Open the sweep form, fill it and press "Queue N runs" (N: the number of combinations the form should announce). */
export async function queueSweep(page: Page, s: SweepForm, runs: number): Promise<void> {
  await page.getByText('Sweep: one run per combination of settings').click();
  await page.getByLabel('Sweep values of LR').fill(s.lr);
  if (s.bs !== undefined) await page.getByLabel('Sweep values of BS').fill(s.bs);
  await page.getByLabel('Sweep values of per class').fill(s.perClass);
  await page.getByLabel('epochs').fill(s.epochs);
  await page.getByLabel('evaluate every').fill(s.evalEvery);
  await page.getByLabel('Workers').fill(s.workers);
  await page.getByRole('button', { name: `Queue ${runs} runs` }).click();
}

/** Press "Open" on the first run of the Sessions view's runs table. */
export async function openFirstRun(page: Page): Promise<void> {
  await page
    .locator('tr[data-run-row]')
    .first()
    .getByRole('button', { name: /^Open / })
    .click();
}
