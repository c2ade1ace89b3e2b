import type { HiddenWeights } from '../src-core/contracts/api-training';
import { expect, test } from './fixtures';
import { startTraining } from './helpers/training-form';

// The Training view's Hidden units panel: one 28 x 28 canvas per hidden unit. The run stream only says which
// iteration the lab's newest weights are from; the panel asks for them (lab.hiddenWeights) while it is on screen,
// during and after the run, and says which iteration the weights it draws are from.

test('a small run shows HL hidden-unit images with ink, live and after the end', async ({ page, harness }) => {
  await startTraining(page, { hidden: '16', batch: '10', epochs: '6', evalEvery: '10', perClass: '30' });

  const panel = page.getByTestId('hidden-units');
  await expect(panel).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('run-status')).toHaveText(/finished/, { timeout: 120_000 });
  const canvases = panel.locator('canvas');
  await expect(canvases).toHaveCount(16);
  await panel.scrollIntoViewIfNeeded();
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

test('the stream carries no weights; the panel asks for them when on screen and draws the iteration it got', async ({
  page,
  harness,
}) => {
  const answers: (HiddenWeights | null)[] = [];
  const services = harness.lab.services;
  const hiddenWeights = services.hiddenWeights;
  services.hiddenWeights = async (payload) => {
    const w = await hiddenWeights(payload);
    answers.push(w);
    return w;
  };
  // A short window: the panel, below the charts and the galleries, is far off screen.
  await page.setViewportSize({ width: 1280, height: 300 });
  await startTraining(page, { hidden: '16', batch: '10', epochs: '6', evalEvery: '10', perClass: '30' });
  await page.evaluate(() => window.scrollTo(0, 0));
  await expect(page.getByTestId('run-status')).toHaveText(/finished/, { timeout: 120_000 });

  const notices = harness.events.flatMap((e) =>
    e.channel === 'train' && e.message.type === 'weights' ? [e.message] : [],
  );
  expect(notices.length).toBeGreaterThan(0);
  for (const n of notices) expect(Object.keys(n).sort()).toEqual(['hidden', 'inputs', 'iter', 'runId', 'type']);
  const pending = page.getByTestId('hidden-units-pending');
  await expect(pending).toContainText(`iteration ${notices.at(-1)!.iter}`);
  expect(answers, 'nothing asked while the panel is off screen').toEqual([]);

  await pending.scrollIntoViewIfNeeded();
  const caption = page.getByTestId('hidden-units-caption');
  await expect(caption).toContainText(`iteration ${notices.at(-1)!.iter}`);
  expect(answers.length).toBe(1);
  const got = answers[0]!;
  expect([got.iter, got.hidden, got.inputs]).toEqual([notices.at(-1)!.iter, 16, 784]);

  // The images are these weights: with the shared scale, a pixel whose weight is strongly positive is blue, a
  // strongly negative one red (the colour map's two ends), in each unit.
  let max = 0;
  for (const v of got.w1) max = Math.max(max, Math.abs(v));
  const pixels = await page
    .getByTestId('hidden-units')
    .locator('canvas')
    .evaluateAll((els) =>
      els.map((el) => {
        const c = el as HTMLCanvasElement;
        return Array.from(c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data);
      }),
    );
  let strong = 0;
  for (let j = 0; j < got.hidden; j++) {
    for (let i = 0; i < got.inputs; i++) {
      const w = got.w1[j * got.inputs + i];
      if (Math.abs(w) < 0.4 * max) continue;
      const [r, , b] = pixels[j].slice(i * 4, i * 4 + 3);
      if (w > 0) expect(b, `unit ${j} pixel ${i}: w = ${w}`).toBeGreaterThan(r + 40);
      else expect(r, `unit ${j} pixel ${i}: w = ${w}`).toBeGreaterThan(b + 40);
      strong++;
    }
  }
  expect(strong).toBeGreaterThan(50);
  await harness.shot('training-hidden-units-on-demand');
});
