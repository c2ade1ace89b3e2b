import type { CommandState } from '../src-core/contracts/api-desktop';
import { COMMAND_KEYS } from '../src-core/contracts/commands';
import { expect, test, type LabHarness } from './fixtures';

// The desktop menu greys out what cannot run now. The page publishes every declared command's enabled state
// (publishCommandState) whenever it changes; in the app the main process sets the menu items from it, here the
// server hands it to the harness (harness.commandStates), after the same zod check on the same channel.

const latest = (harness: LabHarness): CommandState | undefined => harness.commandStates.at(-1);

/** The newest published state comes to say this of Train, Cancel and Open dataset. */
async function expectRunCommands(harness: LabHarness, train: boolean, cancel: boolean, dataset: boolean) {
  const run = () => {
    const s = latest(harness);
    return { train: s?.['run.train'], cancel: s?.['run.cancel'], dataset: s?.['dataset.open'] };
  };
  await expect.poll(run).toEqual({ train, cancel, dataset });
}

test('the page publishes which commands can run: Train and Open dataset off while a run trains, Cancel on', async ({
  page,
  harness,
}) => {
  await expect(page.getByTestId('dataset-name')).toContainText('MNIST');
  // Idle in the Training view: Train and Open dataset can run, Cancel cannot; every declared command is named.
  await expectRunCommands(harness, true, false, true);
  expect(Object.keys(latest(harness) ?? {}).sort()).toEqual([...COMMAND_KEYS].sort());
  expect(latest(harness)?.['view.show:studies']).toBe(true);

  // A form the lab cannot train from: Train goes grey, and comes back with the form.
  await page.getByLabel('Epochs').fill('0');
  await expect.poll(() => latest(harness)?.['run.train']).toBe(false);
  await page.getByLabel('Epochs').fill('20');
  await expect.poll(() => latest(harness)?.['run.train']).toBe(true);

  // A long run (all images, 20 epochs): Train and Open dataset off, Cancel on, while it trains.
  await page.getByRole('radio', { name: /^All/ }).check();
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'running', { timeout: 30_000 });
  await expectRunCommands(harness, false, true, false);
  await harness.shot('menu-state-running');
  await page.getByTestId('cancel-button').click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'cancelled', { timeout: 30_000 });
  await expectRunCommands(harness, true, false, true);

  // Another view serves neither Cancel nor Open dataset itself: the shell's registration says what the menu shows.
  await page.locator('nav button[data-view="momentum"]').click();
  await expectRunCommands(harness, true, false, true);

  // Coalesced and without repeats: no state is sent twice in a row, and nothing is sent while nothing changes.
  const states = harness.commandStates.map((s) => JSON.stringify(s));
  for (let i = 1; i < states.length; i++) expect(states[i], `state ${i}`).not.toBe(states[i - 1]);
  const count = harness.commandStates.length;
  await page.waitForTimeout(1000);
  expect(harness.commandStates.length).toBe(count);
});

test('the main process refuses a command state that names an unknown command or is not a map of booleans', async ({
  page,
  harness,
}) => {
  await expect(page.getByTestId('dataset-name')).toContainText('MNIST');
  await expect.poll(() => harness.commandStates.length).toBeGreaterThan(0);
  const count = harness.commandStates.length;
  const answers = await page.evaluate(async () => {
    type Answer = { ok: true } | { ok: false; error: { code: string; message: string } };
    const lab = (window as unknown as { lab: { publishCommandState(s: unknown): Promise<Answer> } }).lab;
    const send = (state: unknown) => lab.publishCommandState(state);
    return [await send({ 'run.launch': true }), await send({ 'run.train': 'yes' }), await send('run.train')];
  });
  for (const a of answers) expect(a).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  expect(answers.map((a) => (a.ok ? '' : a.error.message))).toEqual([
    expect.stringMatching(/^publishCommandState: .*run\.launch/),
    expect.stringMatching(/^publishCommandState: run\.train: /),
    expect.stringMatching(/^publishCommandState: /),
  ]);
  expect(harness.commandStates.length).toBe(count);
});

test('files dragged over the window show what the lab opens; leaving hides it', async ({ page, harness }) => {
  await expect(page.getByTestId('dataset-name')).toContainText('MNIST');
  const drag = (type: 'dragenter' | 'dragleave') =>
    page.evaluate((t) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array([1])], 'week3.mlab'));
      window.dispatchEvent(new DragEvent(t, { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, type);
  await drag('dragenter');
  await expect(page.getByTestId('drop-overlay')).toContainText('four IDX files (a dataset) or a session file (.mlab)');
  await harness.shot('drop-overlay');
  await drag('dragleave');
  await expect(page.getByTestId('drop-overlay')).toBeHidden();
  // The header's symbol buttons keep their names and shortcuts.
  await expect(page.getByRole('button', { name: 'Keyboard shortcuts' })).toHaveAttribute('aria-keyshortcuts', /\+\//);
  await expect(page.getByTestId('open-guide')).toHaveAttribute('aria-keyshortcuts', 'F1');
});
