import { expect, test } from './fixtures';
import { startTraining } from './helpers/training-form';

// The validation set in the app: the form shows it, the live charts draw the validation curve and mark where early
// stopping stopped, the analysis panel stops at the same iteration by the same rule and says the test set is only
// reported; a run that learned nothing reads "collapsed: accuracy at chance".

test('a run with its validation curve and the early-stopping point, the same in the live charts and the analysis', async ({
  page,
  harness,
}) => {
  const val = page.getByLabel('Validation images');
  await expect(val).toHaveValue('5000');
  await expect(page.locator('#h-validation')).toContainText('the test set is only reported');
  // Early stopping without a validation set is refused in the form.
  await val.fill('0');
  await page.getByLabel('Early stop (patience)').fill('3');
  await expect(page.locator('#e-earlyStop')).toContainText('needs a validation set');
  await val.fill('5000');

  await startTraining(page, {
    hidden: '32',
    batch: '10',
    lr: '0.3',
    epochs: '25',
    momentum: '0',
    evalEvery: '5',
    perClass: '10',
    earlyStop: '3',
  });
  const status = page.getByTestId('run-status');
  await expect(status).toHaveText(/^stopped early at iteration [\d,]+ in/, { timeout: 120_000 });
  const stopIter = Number((await status.textContent())!.match(/iteration ([\d,]+)/)![1].replace(/,/g, ''));

  const loss = page.locator('svg[data-figure="training-loss"]');
  await expect(loss).toContainText('validation (chooses the stop and the best point)');
  await expect(loss).toContainText('test (full test set)');
  await expect(loss).toContainText(`early stop at ${stopIter}`);
  await expect(loss).toHaveAttribute('data-caption', /VAL: 5000/);

  const panel = page.getByTestId('early-stopping');
  await expect(panel.getByTestId('test-reported-only')).toHaveText(
    'The stopping point, the plateaus and the best point are chosen on the validation set; the test set is only reported.',
  );
  await expect(panel.getByTestId('early-stop-sentence')).toContainText(
    `Early stopping with patience 3 on the validation loss stops at iteration ${stopIter.toLocaleString('en-US')}`,
  );
  await expect(panel.locator('line[data-stop-iter]')).toHaveAttribute('data-stop-iter', String(stopIter));

  await page.getByTestId('training-loss').scrollIntoViewIfNeeded();
  await harness.shot('training-validation-early-stop');
  await panel.scrollIntoViewIfNeeded();
  await panel.screenshot({ path: 'e2e/screenshots/training-validation-panel.png' });
});

test('a run that learned nothing reads "collapsed: accuracy at chance" with the iteration', async ({
  page,
  harness,
}) => {
  await startTraining(page, {
    hidden: '64',
    batch: '32',
    lr: '2',
    epochs: '10',
    momentum: '0.9',
    evalEvery: '20',
    perClass: '100',
    earlyStop: '',
  });
  const status = page.getByTestId('run-status');
  await expect(status).toHaveText(
    /^collapsed: accuracy at chance since iteration \d+ \(validation accuracy [\d.]+\s% at the end; chance 10\.00\s%, margin 2 pp; (it had reached [\d.]+\s% at iteration \d+|it never rose above chance)\)$/,
    { timeout: 120_000 },
  );
  await expect(status).toHaveAttribute('data-status', 'collapsed');
  await expect(status).toHaveClass(/bad/);
  const at = Number((await status.textContent())!.match(/since iteration (\d+)/)![1]);
  await expect(page.locator('svg[data-figure="training-accuracy"]')).toContainText(`collapsed (at chance) from ${at}`);
  await page.getByTestId('training-accuracy').scrollIntoViewIfNeeded();
  await harness.shot('training-collapsed');
});
