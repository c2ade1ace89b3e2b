import { expect, test } from './fixtures';
import { startTraining } from './helpers/training-form';

// The Training view's Hidden units panel: one 28 x 28 canvas per hidden unit, drawn from the trainer's
// 'weights' message at every evaluation, during and after the run.

test('a small run shows HL hidden-unit images with ink, live and after the end', async ({ page, harness }) => {
  await startTraining(page, { hidden: '16', batch: '10', epochs: '6', evalEvery: '10', perClass: '30' });

  const panel = page.getByTestId('hidden-units');
  await expect(panel).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('run-status')).toHaveText(/finished/, { timeout: 120_000 });
  const canvases = panel.locator('canvas');
  await expect(canvases).toHaveCount(16);
  await expect(page.getByTestId('hidden-units-caption')).toContainText('iteration 180');
  const stats = await canvases.evaluateAll((els) =>
    els.map((el) => {
      const c = el as HTMLCanvasElement;
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let ink = 0;
      const colours = new Set<number>();
      for (let i = 0; i < d.length; i += 4) {
        if (d[i + 3] > 0 && !(d[i] > 240 && d[i + 1] > 240 && d[i + 2] > 240)) ink++;
        colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
      }
      return { w: c.width, h: c.height, ink, colours: colours.size };
    }),
  );
  for (const s of stats) {
    expect(s.w).toBe(28);
    expect(s.h).toBe(28);
    expect(s.ink).toBeGreaterThan(100);
    expect(s.colours).toBeGreaterThan(10);
  }
  await panel.scrollIntoViewIfNeeded();
  await harness.shot('training-hidden-units');
  await page.getByTestId('hidden-units-scale').selectOption('unit');
  await expect(page.getByTestId('hidden-units-caption')).toContainText('its own colour scale');
});
