import type { Page } from '@playwright/test';
import type { TestProbsRequest } from '../src-core/contracts/api-training';
import { expect, test } from './fixtures';

// Issue 14, item 1 and the Training view's state: the run stream leaves the class probabilities out (the digit
// dialog asks for the digit's ten when it opens), the charts' caption follows the form before a run, and a run
// cancelled before its trainer started is recorded as cancelled. Real trainer processes, real Chromium.

const status = (page: Page) => page.getByTestId('run-status');
const lossCaption = (page: Page) => page.locator('svg[data-figure="training-loss"]').getAttribute('data-caption');

test('the stream carries no probabilities; the digit dialog asks for its own and shows them', async ({
  page,
  harness,
}) => {
  const asked: TestProbsRequest[] = [];
  const services = harness.lab.services;
  const testProbs = services.testProbs;
  services.testProbs = async (payload) => {
    asked.push(payload as TestProbsRequest);
    return testProbs(payload);
  };
  await page.getByRole('radio', { name: 'Per class' }).check();
  await page.getByLabel('Examples per class').fill('30');
  await page.getByLabel('Batch size (BS)').fill('10');
  await page.getByLabel('Epochs').fill('3');
  await page.getByLabel('Evaluate every').fill('10');
  await page.getByTestId('train-button').click();
  await expect(status(page)).toHaveText(/finished/, { timeout: 120_000 });

  const evals = harness.events.flatMap((e) => (e.channel === 'train' && e.message.type === 'eval' ? [e.message] : []));
  const details = evals.flatMap((m) => (m.detail ? [m.detail] : []));
  expect(details.length).toBeGreaterThan(0);
  for (const d of details) expect(Object.keys(d).sort()).toEqual(['confidence', 'confusion', 'predicted']);
  expect(asked).toEqual([]);

  const wrong = page.getByTestId('gallery-wrong');
  await wrong.locator('[data-testid="digit-tile"][data-loaded="true"]').first().click();
  const dialog = page.getByTestId('digit-dialog');
  await expect(dialog).toBeVisible();
  const bars = dialog.locator('svg[data-figure="digit-probabilities"] rect');
  await expect(bars).toHaveCount(10);
  await expect(dialog.getByTestId('probs-note')).toHaveCount(0);
  const last = evals.at(-1)!;
  const index = Number(/#(\d+)/.exec((await dialog.locator('h3').textContent()) ?? '')![1]);
  expect(asked).toEqual([{ runId: last.runId, iter: last.point.iter, index }]);

  // The bars are the model's probabilities: the tallest is the predicted class, its value the confidence the
  // stream's detail gave for that image (a different field of the trainer's output), and they sum to 1.
  const probs = await testProbs({ runId: last.runId, iter: last.point.iter, index });
  expect(probs).not.toBeNull();
  const p = Array.from(probs!.probs);
  expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
  const detail = details.at(-1)!;
  expect(p.indexOf(Math.max(...p))).toBe(detail.predicted[index]);
  expect(Math.max(...p)).toBeCloseTo(detail.confidence[index], 5);
  const heights = await bars.evaluateAll((els) => els.map((e) => Number(e.getAttribute('height'))));
  expect(heights.indexOf(Math.max(...heights))).toBe(detail.predicted[index]);
  const predicted = Number(await dialog.locator('dd').nth(1).textContent());
  expect(predicted).toBe(detail.predicted[index]);
  await harness.shot('training-digit-dialog-on-demand');

  // Stepping to the next digit asks for that one.
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => asked.length).toBe(2);
  expect(asked[1].index).not.toBe(index);
  await expect(bars).toHaveCount(10);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});

test('before a run, the charts’ caption follows the form: a preset, then a typed value', async ({ page, harness }) => {
  await expect.poll(() => lossCaption(page)).toContain('EPOCHS: 4;');
  await page.getByTestId('assignment').getByLabel('Assignment preset').selectOption({ label: 'Simulation 4' });
  await expect(page.getByLabel('Epochs')).toHaveValue('1000');
  await expect.poll(() => lossCaption(page)).toMatch(/^BS:32; LR:0\.1; EPOCHS: 1000; HL: 64; N: 10 \(1\/class\)/);
  await page.getByLabel('Epochs').fill('7');
  await expect.poll(() => lossCaption(page)).toContain('EPOCHS: 7;');
  // A value that is not valid keeps the caption of the last valid settings.
  await page.getByLabel('Epochs').fill('x');
  await expect(page.getByTestId('form-refusal')).toBeVisible();
  expect(await lossCaption(page)).toContain('EPOCHS: 7;');
  await page.getByLabel('Epochs').fill('7');
  await harness.shot('training-caption-follows-form');
});

test.describe('a trainer slow to start', () => {
  // Its requests reach it 3 s late, so the cancel always comes first (as on a busy machine).
  test.use({ workerDelayMs: 3000 });

  test('a run cancelled before its trainer started is recorded as cancelled', async ({ page, harness }) => {
    await page.getByTestId('train-button').click();
    await page.getByTestId('cancel-button').click();
    await expect(status(page)).toHaveText(/cancelled/, { timeout: 30_000 });
    const trains = harness.events.flatMap((e) => (e.channel === 'train' ? [e.message] : []));
    const end = trains.find((m) => m.type === 'end')!;
    expect(end.status).toBe('cancelled');
    // The case under test: the trainer never said 'started'.
    expect(trains.filter((m) => m.type === 'started')).toEqual([]);
    const recorded = () => {
      try {
        return harness.lab.store.run(end.runId).status;
      } catch (e) {
        return e instanceof Error ? e.message : String(e);
      }
    };
    await expect.poll(recorded).toBe('cancelled');
    await expect(page.locator('svg[data-figure="training-loss"]')).toContainText(
      'The run ended (cancelled) before its first iteration',
    );
    await harness.shot('training-cancelled-before-start');
  });
});
