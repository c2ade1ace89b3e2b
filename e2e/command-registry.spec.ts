import type { Page } from '@playwright/test';
import type { AppCommand } from '../src-core/contracts/app-command';
import type { LabEvent } from '../src-core/contracts/lab-api';
import { expect, test, type LabHarness } from './fixtures';
import { fillTrainForm } from './helpers/training-form';

// One command, three ways in: the application menu (a LabEvent 'command', as the main process
// sends it), its keyboard shortcut and its button all run the same registry entry, with the same
// effect. A command its owner disables does nothing from any of them.

const mod = process.platform === 'darwin' ? 'Meta' : 'Control';

type Way = 'menu' | 'shortcut' | 'button';
const WAYS: Way[] = ['menu', 'shortcut', 'button'];

/** Trigger a command one way. */
async function trigger(page: Page, harness: LabHarness, way: Way, command: AppCommand, keys: string, button: string) {
  // The same command from the menu and the keyboard within 250 ms counts once (the macOS menu repeats a key
  // press the page already handled); a person does not switch ways faster than that.
  await page.waitForTimeout(300);
  if (way === 'menu') await harness.emit({ channel: 'command', command } as LabEvent);
  else if (way === 'shortcut') {
    // The shortcut from wherever the focus is not a text field (the page's body).
    await page.locator('h1').click();
    await page.keyboard.press(keys);
  } else await page.locator(button).click();
}

const runCount = async (harness: LabHarness) => (await harness.lab.services.currentSession()).session.runCount;

test('Train and Cancel: menu, shortcut and button start and stop the same run; disabled means disabled', async ({
  page,
  harness,
}) => {
  await expect(page.getByTestId('dataset-name')).toContainText('MNIST');
  const status = page.getByTestId('run-status');
  const train = page.getByTestId('train-button');
  // The button's tooltip and aria-keyshortcuts come from the command's declaration.
  await expect(train).toHaveAttribute('title', /^Train \((Ctrl\+Enter|⌘Enter)\)$/);
  await expect(train).toHaveAttribute('aria-keyshortcuts', /^(Control|Meta)\+Enter$/);
  await expect(page.getByTestId('cancel-button')).toHaveAttribute('aria-keyshortcuts', 'Escape');

  // A tiny run: 10 images per class, 1 epoch.
  await fillTrainForm(page, { perClass: '10', epochs: '1' });
  for (const way of WAYS) {
    const before = await runCount(harness);
    await trigger(page, harness, way, { type: 'run.train' }, `${mod}+Enter`, '[data-testid="train-button"]');
    await expect(status).toHaveAttribute('data-status', 'finished', { timeout: 60_000 });
    await expect.poll(() => runCount(harness), { message: `Train by ${way}` }).toBe(before + 1);
  }

  // Cancel, three ways, on a long run (all images, 20 epochs).
  await page.getByRole('radio', { name: /^All/ }).check();
  await page.getByLabel('Epochs').fill('20');
  for (const way of WAYS) {
    const before = await runCount(harness);
    await train.click();
    await expect(status).toHaveAttribute('data-status', 'running', { timeout: 30_000 });
    // The trainer has begun (the run is in the session), so there is a run to cancel.
    await expect.poll(() => runCount(harness)).toBe(before + 1);
    // Train is disabled while a run trains: from the menu and the shortcut it starts nothing.
    await expect(train).toBeDisabled();
    await trigger(page, harness, 'menu', { type: 'run.train' }, '', '');
    await trigger(page, harness, 'shortcut', { type: 'run.train' }, `${mod}+Enter`, '');
    await trigger(page, harness, way, { type: 'run.cancel' }, 'Escape', '[data-testid="cancel-button"]');
    await expect(status, `Cancel by ${way}`).toHaveAttribute('data-status', 'cancelled', { timeout: 30_000 });
    const runs = (await harness.lab.services.currentSession()).runs;
    await expect.poll(async () => (await harness.lab.services.currentSession()).runs.at(-1)?.status).toBe('cancelled');
    expect(runs).toHaveLength(before + 1);
  }
  // Nothing more was started by the blocked Train commands, even later.
  await page.waitForTimeout(1000);
  expect(await runCount(harness)).toBe(6);
  await harness.shot('commands-train-cancel');
});

test('views, the shortcut list and the guide: menu, shortcut and button have the same effect', async ({
  page,
  harness,
}) => {
  await expect(page.getByTestId('dataset-name')).toContainText('MNIST');
  const tab = (view: string) => page.locator(`nav button[data-view="${view}"]`);
  const views = [
    { view: 'momentum', key: '2' },
    { view: 'compare', key: '4' },
    { view: 'sessions', key: '3' },
  ] as const;
  for (const way of WAYS) {
    for (const { view, key } of views) {
      const button = `nav button[data-view="${view}"]`;
      await trigger(page, harness, way, { type: 'view.show', view }, `${mod}+${key}`, button);
      await expect(tab(view), `${view} by ${way}`).toHaveAttribute('aria-current', 'page');
    }
    const home = 'nav button[data-view="training"]';
    await trigger(page, harness, way, { type: 'view.show', view: 'training' }, `${mod}+1`, home);
    await expect(tab('training')).toHaveAttribute('aria-current', 'page');
  }

  const dialog = page.getByTestId('shortcuts-dialog');
  for (const way of WAYS) {
    const keysButton = 'button[aria-label="Keyboard shortcuts"]';
    await trigger(page, harness, way, { type: 'help.shortcuts' }, `${mod}+/`, keysButton);
    await expect(dialog, `shortcut list by ${way}`).toBeVisible();
    // The list reads the registry: in the Training view with no run, Train is available and Cancel is not.
    await expect(dialog.locator('tr[data-command="run.train"]')).not.toContainText('not available');
    await expect(dialog.locator('tr[data-command="run.cancel"]')).toContainText('not available now');
    if (way === 'button') await harness.shot('commands-shortcut-list');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(dialog).toBeHidden();
  }

  const guide = page.getByTestId('guide');
  for (const way of WAYS) {
    await trigger(page, harness, way, { type: 'help.guide' }, 'F1', '[data-testid="open-guide"]');
    await expect(guide, `guide by ${way}`).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(guide).toBeHidden();
  }
});
