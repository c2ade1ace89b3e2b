import { expect, test } from './fixtures';

// The training form refuses hostile hyperparameters before anything starts:
// the Train button is disabled, the field says why, and no run is started.

const FIELDS: { label: string; short: string; zeroOk: boolean }[] = [
  { label: 'Hidden units (HL)', short: 'HL', zeroOk: false },
  { label: 'Batch size (BS)', short: 'BS', zeroOk: false },
  { label: 'Learning rate (LR)', short: 'LR', zeroOk: false },
  { label: 'Epochs', short: 'Epochs', zeroOk: false },
  { label: 'Momentum d', short: 'Momentum d', zeroOk: true },
  { label: 'Seed', short: 'Seed', zeroOk: true },
  { label: 'Evaluate every', short: 'Eval every', zeroOk: false },
  { label: 'Examples per class', short: 'Per class', zeroOk: false },
];
// '0x10', '0b101', '0o17', '1_000': JavaScript's Number() reads them (16, 5, 15, NaN); the form reads decimal notation only.
const VALUES = [
  'NaN',
  'Infinity',
  '-Infinity',
  '-0',
  '-1',
  '0',
  '1e308',
  'abc',
  '1e',
  '1,5',
  '0x10',
  '0b101',
  '0o17',
  '1_000',
];

test('every numeric field refuses NaN, Infinity, -0, negative, zero and absurd values: Train disabled, the reason shown, nothing started', async ({
  page,
  harness,
}) => {
  await page.getByRole('radio', { name: 'Per class' }).check();
  const train = page.getByTestId('train-button');
  await expect(train).toBeEnabled();
  let cases = 0;
  for (const f of FIELDS) {
    const input = page.getByLabel(f.label, { exact: true });
    const valid = await input.inputValue();
    for (const v of VALUES) {
      if (v === '0' && f.zeroOk) continue;
      await input.fill(v);
      await expect(train, `${f.label} = ${v}`).toBeDisabled();
      await expect(input).toHaveAttribute('aria-invalid', 'true');
      await expect(page.getByTestId('form-refusal')).toContainText(f.short);
      // Submitting anyway (Enter in the field) starts nothing.
      await input.press('Enter');
      cases++;
    }
    await input.fill(valid);
    await expect(train).toBeEnabled();
  }
  await page.getByLabel('Learning rate (LR)', { exact: true }).fill('-0');
  await expect(page.getByTestId('form-refusal')).toBeVisible();
  await harness.shot('hostile-form');
  await page.getByLabel('Learning rate (LR)', { exact: true }).fill('0.1');
  await page.getByLabel('Hidden units (HL)', { exact: true }).fill('0x10');
  await expect(page.getByTestId('form-refusal')).toContainText('HL');
  await harness.shot('hostile-form-hex');
  expect(harness.lab.runs.activeRunIds()).toEqual([]);
  expect(harness.events.filter((e) => e.channel === 'train')).toEqual([]);
  expect(harness.lab.store.listRuns(harness.lab.store.currentSessionId())).toEqual([]);
  console.log(`hostile form: ${cases} refused values, no run started`);
});
