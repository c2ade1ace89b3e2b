import type { Page } from '@playwright/test';
import { expect, test, type LabHarness } from './fixtures';
import { enter } from './helpers/app';

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
    // formulas typeset as math, never in a terminal's notation
    await expect(page.getByTestId('theory-explanation')).toContainText('ρ = √d = ');
    await expect(page.getByTestId('theory-explanation')).toContainText('C·ρᵗ');
    await expect(page.getByTestId('theory-explanation')).not.toContainText(/rho|sqrt|x_0|\*[\w(]/);
    // the ball rolls: the scrubber moves it back to step 15
    await page.getByTestId('scrubber').fill('15');
    await expect(page.getByText('step 15 /')).toBeVisible();
    await harness.shot('momentum-1d-d0.9');
    await page.getByTestId('scrubber').fill('200');

    await page.getByTestId('d-slider').fill('1.1');
    await expect(status).toContainText('d = 1.1');
    await expect(status).toContainText('diverging');
    await expect(page.getByTestId('regime')).toHaveText('diverging');
    await expect(page.getByTestId('theory-explanation')).toContainText('det M = d = μ₁·μ₂');
    await expect(page.getByTestId('theory-explanation')).toContainText('every learning rate');
    await expect(page.locator('svg[data-figure="momentum-x"]')).toHaveAttribute('data-caption', /d: 1\.1/);
    await harness.shot('momentum-1d-d1.1');
    // a click on the path chart moves the start
    const pathHit = page.getByTestId('path-hit');
    const pb = (await pathHit.boundingBox())!;
    await pathHit.click({ position: { x: pb.width * 0.25, y: pb.height * 0.5 } });
    await expect(page.getByTestId('x0')).not.toHaveValue('1');
    await expect(page.locator('svg[data-figure="momentum-x"]')).toHaveAttribute('data-caption', /x0: -0\.7/);
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
    // hovering a cell shows its measured rate beside the theory's rho
    await hit.hover({ position: { x: box.width * 0.5, y: box.height * 0.5 } });
    await expect(page.getByTestId('phase-tip')).toContainText('theory: ρ =');
    await page.getByTestId('phase-colour').selectOption('steps');
    await expect(page.locator('svg[data-figure="momentum-phase"]')).toContainText('not reached');
    await harness.shot('momentum-phase-click');
    // the keyboard reaches the same setting: focus the map, arrow up raises d by one cell
    await page.locator('svg[data-figure="momentum-phase"]').focus();
    const dBefore = Number(await page.getByTestId('d-input').inputValue());
    await page.keyboard.press('ArrowUp');
    await expect.poll(async () => Number(await page.getByTestId('d-input').inputValue())).toBeGreaterThan(dBefore);
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
    await expect(page.locator('svg[data-figure="momentum-directions"]')).toContainText('flat, ρ=');
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

/** A close-up of one part of the page next to the full-page shot. */
async function closeUp(page: Page, selector: string, name: string) {
  await page
    .locator(selector)
    .first()
    .screenshot({ path: `e2e/screenshots/${name}.png` });
}

/** The main run's learning rate and d, typed and committed as a user does. */
async function setLrD(page: Page, lr: string, d: string) {
  await enter(page.getByTestId('lr-input'), lr);
  await enter(page.getByTestId('d-input'), d);
}

/** A screenshot of the whole page, NAME, and a close-up of one panel, NAME-panel. */
async function shotWithPanel(page: Page, harness: LabHarness, selector: string, name: string) {
  await harness.shot(name);
  await closeUp(page, selector, `${name}-panel`);
}

test.describe('the Momentum view tells the truth (issue 17)', () => {
  test.beforeEach(async ({ page, harness }) => {
    void harness;
    await page.locator('[data-view="momentum"]').click();
    await expect(page.getByTestId('sim-status')).toBeVisible();
  });

  test('lr 0.1, d 0.5: the dashed envelope is C*rho^t with C = 2.236 and the peaks touch it', async ({
    page,
    harness,
  }) => {
    await setLrD(page, '0.1', '0.5');
    await expect(page.getByTestId('sim-status')).toContainText('d = 0.5');
    // sqrt(1 + c^2), c = (1 - d - h)/sqrt(4d - (1 + d - h)^2)
    const c = 0.4 / Math.sqrt(2 - 1.4 ** 2);
    await expect(page.getByTestId('envelope-sentence')).toContainText(
      `C = ${Number(Math.sqrt(1 + c * c).toPrecision(4))}`,
    );
    await expect(page.getByTestId('envelope-sentence')).toContainText('the peaks touch it');
    // what the view drew comes from the simulate answer: the envelope bounds the trajectory and touches it
    const ratio = await page.evaluate(async () => {
      type Answer = { value: { runs: { x: Float64Array; theory: { envelope: Float64Array } }[] } };
      const lab = (window as unknown as { lab: { simulate(r: unknown): Promise<Answer> } }).lab;
      const { value: res } = await lab.simulate({
        objective: { name: 'quadratic', params: { lambda: 1 } },
        start: [1],
        steps: 200,
        runs: [{ kind: 'heavy-ball', lr: 0.1, d: 0.5 }],
      });
      const r = res.runs[0];
      return Math.max(...Array.from(r.x, (x, t) => Math.abs(x) / r.theory.envelope[t]));
    });
    expect(ratio).toBeLessThanOrEqual(1);
    expect(ratio).toBeGreaterThan(0.99);
    await shotWithPanel(page, harness, 'section.theory', 'momentum-envelope-d0.5');
  });

  test('critical damping lr 0.01, d 0.81: the envelope is (|a| + |b| t) rho^t and the sentence names the linear transient', async ({
    page,
    harness,
  }) => {
    await setLrD(page, '0.01', '0.81');
    await enter(page.getByTestId('steps'), '1000');
    await expect(page.getByTestId('regime')).toHaveText('critically-damped');
    await expect(page.getByTestId('theory-explanation')).toContainText('transient that grows linearly');
    // a = |x0| = 1, b = e1/mu - e0 = 0.99/0.9 - 1 = 0.1
    await expect(page.getByTestId('envelope-sentence')).toContainText('a = 1, b = 0.1, ρ = 0.9');
    await shotWithPanel(page, harness, 'section.theory', 'momentum-critical');
  });

  test('h = 2(1 + d): lr 3.8, d 0.9 neither grows nor dies out; d = 1, h = 4 is unstable and not "running"', async ({
    page,
    harness,
  }) => {
    await setLrD(page, '3.8', '0.9');
    await expect(page.getByTestId('sim-status')).toContainText('d = 0.9');
    await expect(page.getByTestId('theory-explanation')).toContainText('neither grows nor dies out');
    await expect(page.getByTestId('theory-explanation')).not.toContainText('overshoots');
    await shotWithPanel(page, harness, 'section.theory', 'momentum-edge');
    await setLrD(page, '4', '1');
    await expect(page.getByTestId('theory-explanation')).toContainText('polynomial growth');
    await expect(page.getByTestId('sim-status')).toContainText('diverging');
  });

  test('Rosenbrock: the marker uses the local curvature and says where; the saddle says why a curvature has no marker', async ({
    page,
    harness,
  }) => {
    await page.getByTestId('mode-2d').click();
    await page.getByTestId('objective').selectOption('rosenbrock');
    await expect(page.getByTestId('marker-sentence')).toContainText('at the minimum (1, 1)');
    // lr 0.001: h = 0.001*(501 -+ sqrt(301^2 + 400^2))
    const hi = 0.001 * (501 + Math.hypot(301, 400));
    await expect(page.getByTestId('marker-sentence')).toContainText(
      `h = ${Number((0.001 * (501 - Math.hypot(301, 400))).toPrecision(4))} and ${Number(hi.toPrecision(4))}`,
    );
    // the flat direction's h = 0.0004 is left of the map (h >= 0.02): one marker, and the sentence says so
    await expect(page.getByTestId('marker-sentence')).toContainText('outside the map');
    await expect(page.getByTestId('phase-marker')).toHaveCount(1);
    await shotWithPanel(page, harness, 'aside.right', 'momentum-rosenbrock-marker');
    await page.getByTestId('curvature-at').selectOption('start');
    await expect(page.getByTestId('marker-sentence')).toContainText('at the start (-1.2, 1)');
    await page.getByTestId('objective').selectOption('saddle');
    await page.getByTestId('curvature-at').selectOption('start');
    await expect(page.getByTestId('marker-sentence')).toContainText('< 0 has no place on this map');
    await expect(page.getByTestId('phase-marker')).toHaveCount(1);
    await closeUp(page, 'aside.right', 'momentum-saddle-marker-panel');
  });

  test('the sign strip panel shows |v_t| against lr|g|/(1+d) and lr|g|/(1-d), one sentence per run', async ({
    page,
    harness,
  }) => {
    await setLrD(page, '0.5', '0.9');
    await expect(page.getByTestId('cancel-sentences').locator('li')).toHaveCount(5);
    await expect(page.getByTestId('cancel-sentences')).toContainText('d = 0 keeps no memory');
    await expect(page.locator('svg[data-figure="momentum-cancel"]')).toBeVisible();
    await shotWithPanel(page, harness, '[data-testid="cancel-panel"]', 'momentum-cancel');
    await page.getByTestId('objective').selectOption('linear');
    await expect(page.getByTestId('cancel-sentences')).toContainText('the pushes add up');
  });

  test('2-D "use these" loads the exact optimum; the phase legend states its rule', async ({ page, harness }) => {
    await page.getByTestId('mode-2d').click();
    await enter(page.getByTestId('kappa'), '1000');
    await page.getByTestId('use-optimum').click();
    const k = 1000;
    const rho = (Math.sqrt(k) - 1) / (Math.sqrt(k) + 1);
    await expect(page.getByTestId('rho')).toContainText(String(Number(rho.toPrecision(5))));
    await expect(page.getByTestId('phase-rule')).toContainText('measured rate > 1.0005');
    await closeUp(page, 'aside.right', 'momentum-2d-optimum-panel');
    await harness.shot('momentum-2d-optimum');
  });
});

test('a slider move redraws every chart quickly (measured, logged; asserted only loosely)', async ({
  page,
  harness,
}) => {
  void harness;
  await page.locator('[data-view="momentum"]').click();
  await expect(page.getByTestId('sim-status')).toContainText('d = 0.9');
  const times = await page.evaluate(async () => {
    const slider = document.querySelector('[data-testid="d-slider"]') as HTMLInputElement;
    const status = document.querySelector('[data-testid="sim-status"]')!;
    const out: number[] = [];
    // The bare call, as the view sends it, for comparison (window.lab is frozen, so it is timed directly).
    const calls: number[] = [];
    const req = {
      objective: { name: 'quadratic', params: { lambda: 1 } },
      start: [1],
      steps: 200,
      runs: [0.9, 0, 0.5, 1, 1.1].map((d) => ({ kind: 'heavy-ball', lr: 0.1, d })),
    };
    for (let k = 0; k < 15; k++) {
      const t = performance.now();
      await (window as unknown as { lab: { simulate(r: unknown): Promise<unknown> } }).lab.simulate(req);
      calls.push(performance.now() - t);
    }
    for (let k = 0; k < 15; k++) {
      const before = status.textContent;
      const t0 = performance.now();
      slider.value = (0.8 + k * 0.01).toFixed(2); // the range's step is 0.01
      slider.dispatchEvent(new Event('input', { bubbles: true }));
      await new Promise<void>((resolve) => {
        setTimeout(resolve, 5000);
        const obs = new MutationObserver(() => {
          if (status.textContent !== before) {
            obs.disconnect();
            resolve();
          }
        });
        obs.observe(status, { subtree: true, childList: true, characterData: true });
      });
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      out.push(performance.now() - t0);
    }
    return { out, calls };
  });
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const median = med(times.out);
  console.log(
    `slider move -> simulate (5 runs x 200 steps + the 4-optimizer comparison) -> every chart redrawn: median ${median.toFixed(1)} ms, ` +
      `min ${Math.min(...times.out).toFixed(1)} ms; of which one window.lab.simulate call over the WebSocket: median ${med(times.calls).toFixed(1)} ms`,
  );
  expect(median).toBeLessThan(1000);
});

test('the phase diagram and the sign strip export as self-contained figures with their captions', async ({
  page,
  harness,
}) => {
  const { mkdtempSync, readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'momentum-export-'));
  await page.locator('[data-view="momentum"]').click();
  await expect(page.locator('svg[data-figure="momentum-phase"] image')).toBeAttached();
  await page.getByTestId('figure-choice').selectOption('momentum-phase');
  harness.nextSavePath = join(dir, 'phase.svg');
  await page.getByRole('button', { name: 'Export the momentum-phase chart as SVG' }).click();
  await expect(page.getByTestId('figure-export').getByRole('status')).toContainText('phase.svg');
  const svg = readFileSync(join(dir, 'phase.svg'), 'utf8');
  // The heat map's cells travel inside the SVG (built by the main process: rects, diverged ones marked).
  expect(svg).toMatch(/<rect [^>]*data-diverged="\d+"/);
  expect(svg).toContain('Phase diagram; heavy-ball');
  expect(svg).not.toContain('var(--');
  expect(svg).not.toMatch(/<script|onclick/i);
  const page2 = await page.context().newPage();
  await page2.setContent(`<body style="margin:0;background:#888">${svg.replace(/^<\?xml[^>]*>/, '')}</body>`);
  await page2.screenshot({ path: join('e2e/screenshots', 'momentum-export-phase.png') });
  await page2.close();

  await page.getByTestId('figure-choice').selectOption('momentum-signs');
  harness.nextSavePath = join(dir, 'signs.png');
  await page.getByRole('button', { name: 'Export the momentum-signs chart as PNG' }).click();
  await expect(page.getByTestId('figure-export').getByRole('status')).toContainText('signs.png');
  // Show the exported PNG in the page so the screenshot lets a person look at it.
  const b64 = readFileSync(join(dir, 'signs.png')).toString('base64');
  await page.setContent(`<body style="margin:0;background:#888"><img src="data:image/png;base64,${b64}"></body>`);
  await harness.shot('momentum-export-signs');
});
