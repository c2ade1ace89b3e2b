import { expect, type Page } from '@playwright/test';

// The Training form as the e2e specs fill it: each setting given is typed into its field, the others keep what the
// form shows. One place for the labels, so a renamed field is one edit.

export interface TrainSettings {
  hidden?: string;
  batch?: string;
  lr?: string;
  epochs?: string;
  momentum?: string;
  evalEvery?: string;
  /** Examples per class; also picks the "Per class" subset. */
  perClass?: string;
  /** Validation images. */
  validation?: string;
  earlyStop?: string;
  /** The "Train loss" mode, e.g. 'full'. */
  trainLoss?: string;
}

const TEXT_FIELDS = [
  ['hidden', 'Hidden units (HL)'],
  ['batch', 'Batch size (BS)'],
  ['lr', 'Learning rate (LR)'],
  ['epochs', 'Epochs'],
  ['momentum', 'Momentum d'],
  ['evalEvery', 'Evaluate every'],
] as const;

export async function fillTrainForm(page: Page, s: TrainSettings): Promise<void> {
  for (const [key, label] of TEXT_FIELDS) {
    const value = s[key];
    if (value !== undefined) await page.getByLabel(label).fill(value);
  }
  if (s.perClass !== undefined) {
    await page.getByRole('radio', { name: 'Per class' }).check();
    await page.getByLabel('Examples per class').fill(s.perClass);
  }
  if (s.validation !== undefined) await page.getByLabel('Validation').fill(s.validation);
  if (s.earlyStop !== undefined) await page.getByLabel('Early stop (patience)').fill(s.earlyStop);
  if (s.trainLoss !== undefined) await page.getByLabel('Train loss').selectOption(s.trainLoss);
}

/** Fill the form with `s` and press Train (no waiting). */
export async function startTraining(page: Page, s: TrainSettings): Promise<void> {
  await fillTrainForm(page, s);
  await page.getByTestId('train-button').click();
}

/** Fill the form with `s`, press Train and wait until the status line says the run finished. */
export async function trainToEnd(page: Page, s: TrainSettings, timeout = 120_000): Promise<void> {
  await startTraining(page, s);
  await expect(page.getByTestId('run-status')).toHaveText(/finished/, { timeout });
}
