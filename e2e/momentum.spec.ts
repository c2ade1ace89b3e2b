import { expect, test } from './fixtures';

test.describe('the Momentum view', () => {
  test.beforeEach(async ({ page, harness }) => {
    void harness;
    await page.locator('[data-view="momentum"]').click();
    await expect(page.getByTestId('momentum-view')).toBeVisible();
    await expect(page.getByTestId('sim-status')).toBeVisible();
  });

  test('moving d from 0.9 to 1.1 turns the status to diverging and explains why', async ({ page, harness }) => {
    const status = page.getByTestId('sim-status');
    await page.getByTestId('d-slider').fill('0.9');
    await expect(status).toContainText('d = 0.9');
    await expect(page.getByTestId('regime')).toHaveText('oscillating');
    await expect(page.getByTestId('theory-explanation')).not.toContainText('every learning rate');
    await harness.shot('momentum-1d-d0.9');

    await page.getByTestId('d-slider').fill('1.1');
    await expect(status).toContainText('d = 1.1');
    await expect(status).toContainText('diverging');
    await expect(page.getByTestId('regime')).toHaveText('diverging');
    await expect(page.getByTestId('theory-explanation')).toContainText('det M = d');
    await expect(page.getByTestId('theory-explanation')).toContainText('every learning rate');
    await expect(page.locator('svg[data-figure="momentum-x"]')).toHaveAttribute('data-caption', /d: 1\.1/);
    await harness.shot('momentum-1d-d1.1');
  });

  test('clicking a phase-diagram cell loads (lr, d) and changes the trajectories', async ({ page, harness }) => {
    await expect(page.getByTestId('phase-marker').first()).toBeVisible();
    const xPath = page.locator('svg[data-figure="momentum-x"] path').first();
    const timing = page.getByTestId('sim-timing');
    await expect(timing).toContainText('ms');
    const before = await page.locator('svg[data-figure="momentum-x"]').innerHTML();
    const hit = page.getByTestId('phase-hit');
    const box = (await hit.boundingBox())!;
    // h = lr*lambda ~ 1.3, d ~ 0.2: an overdamped, fast setting
    await hit.click({ position: { x: box.width * (1.3 / 5.2), y: box.height * (1 - 0.2 / 1.6) } });
    await expect(page.getByTestId('d-input')).toHaveValue(/^0\.(19|2|21)$/);
    await expect(page.getByTestId('sim-status')).toContainText(/d = 0\.(19|2|21)/);
    await expect.poll(async () => page.locator('svg[data-figure="momentum-x"]').innerHTML()).not.toBe(before);
    await expect(xPath).toBeVisible();
    await harness.shot('momentum-phase-click');
  });

  test('2-D mode draws contours and trajectories, and clicking the plot moves the start', async ({ page, harness }) => {
    await page.getByTestId('mode-2d').click();
    await expect(page.locator('svg[data-figure="momentum-contour"] path.contour').first()).toBeAttached();
    await expect(page.getByTestId('sim-status')).toContainText('d = 0.9');
    const caption = page.locator('svg[data-figure="momentum-contour"]');
    await expect(caption).toHaveAttribute('data-caption', /x0: -2,1/);
    const hit = page.getByTestId('momentum-contour-hit');
    const box = (await hit.boundingBox())!;
    await hit.click({ position: { x: box.width * 0.8, y: box.height * 0.2 } });
    await expect(caption).not.toHaveAttribute('data-caption', /x0: -2,1/);
    await page.getByTestId('scrubber').fill('40');
    await expect(page.getByText('step 40 /')).toBeVisible();
    await page.getByTestId('scrubber').fill('200');
    await harness.shot('momentum-2d');
    await page.getByTestId('objective').selectOption('rosenbrock');
    await expect(caption).toHaveAttribute('data-caption', /rosenbrock/);
    await harness.shot('momentum-2d-rosenbrock');
  });

  test('the linear slope shows the velocity approaching -lr*g/(1-d)', async ({ page, harness }) => {
    await page.getByTestId('objective').selectOption('linear');
    await expect(page.getByTestId('constant-table')).toContainText('∞ (no limit)');
    await expect(page.getByTestId('constant-table')).toContainText('-1');
    await harness.shot('momentum-constant');
  });
});
