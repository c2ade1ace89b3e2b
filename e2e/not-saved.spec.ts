import type { Page } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { holdWriteLock } from '../src-main/services/shared/test-processes';
import { expect, test } from './fixtures';
import { startTraining } from './helpers/training-form';
import { view } from './helpers/app';

// What the app says about saving: a run whose points could not all be saved
// (the database held by another process past the memory bound) reads "not
// saved: …" in the Training view's status line and in the Sessions runs
// table; a run past the evaluation budget says what was kept.

const dir = mkdtempSync(join(tmpdir(), 'ml-e2e-notsaved-'));
const dbPath = join(dir, 'lab.db');
test.use({ labOptions: { dbPath, maxPendingBytes: 300_000 } });

const train = (page: Page, s: { bs: string; evalEvery: string; epochs: string; perClass: string; hl: string }) =>
  startTraining(page, { hidden: s.hl, batch: s.bs, epochs: s.epochs, evalEvery: s.evalEvery, perClass: s.perClass });

test('a run the database could not take says "not saved: …" in the Training view and the Sessions table', async ({
  page,
  harness,
}) => {
  test.setTimeout(180_000);
  await train(page, { hl: '16', bs: '5', evalEvery: '2', epochs: '8', perClass: '10' });
  await expect
    .poll(() => harness.events.some((e) => e.channel === 'train' && e.message.type === 'eval'), { timeout: 60_000 })
    .toBe(true);
  const lock = await holdWriteLock(dbPath, 120_000);
  try {
    const state = page.getByTestId('run-save-state');
    await expect(state).toHaveAttribute('data-state', 'not-saved', { timeout: 90_000 });
    await expect(state).toContainText(/^not saved: the database stayed unavailable .* in use by another process/);
    await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'finished', { timeout: 90_000 });
    await harness.shot('training-not-saved');
  } finally {
    lock.child.kill('SIGKILL');
    await lock.released;
  }
  expect(await harness.lab.recorder.settle(30_000)).toBe(true);
  await view(page, 'sessions');
  const badge = page.getByTestId('run-not-saved');
  await expect(badge).toHaveCount(1, { timeout: 30_000 });
  await expect(badge).toHaveAttribute('title', /^not saved: the database stayed unavailable/);
  await harness.shot('sessions-not-saved');
});

test('a run past the evaluation budget says what it kept', async ({ page, harness }) => {
  test.setTimeout(180_000);
  await train(page, { hl: '16', bs: '1', evalEvery: '1', epochs: '6', perClass: '5' });
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'finished', { timeout: 150_000 });
  const state = page.getByTestId('run-save-state');
  await expect(state).toContainText(/^saved; kept \d+ of 300 evaluations/);
  await harness.shot('training-kept');
  await view(page, 'sessions');
  await expect(page.getByTestId('run-kept').first()).toContainText(/^kept \d+ of 300 evaluations$/);
  await harness.shot('sessions-kept');
});
