import { test as base, expect } from '@playwright/test';
import { resolve } from 'node:path';
import { LAB_CHANNELS, type LabEvent } from '../src-core/contracts/lab-api';
import type { DatasetFiles } from '../src-core/contracts/train-protocol';
import { invokeService } from '../src-main/services/invoke';
import { createLab, type Lab, type LabOptions } from '../src-main/services/services';
import { nodeLauncher } from '../src-main/workers/node-launcher';
import { installLabBridge } from './bridge-page';
import { decode, encode } from './codec';
import { serveDir } from './static-server';

// The e2e harness: the built renderer in Debian's Chromium, with window.lab
// backed by the real services table in this process (real workers, real
// files), exactly as the preload backs it with IPC in the app.

export interface LabHarness {
  lab: Lab;
  /** Every event pushed to the page so far. */
  events: LabEvent[];
  /** What the next "Open dataset…" picks (null: the user cancels). */
  nextDataset: DatasetFiles | null;
  /** What the next save dialog answers (null: the user cancels); every answer is recorded in savePrompts. */
  nextSavePath: string | null;
  /** What the next open dialog answers (session import). */
  nextOpenPath: string | null;
  savePrompts: { title: string; defaultName: string }[];
  /** Reload the page (the services and their state stay, like a renderer reload in the app). */
  reload(): Promise<void>;
  /** Save a screenshot under e2e/screenshots/NAME.png. */
  shot(name: string): Promise<void>;
}

export const test = base.extend<{ harness: LabHarness; labOptions: LabOptions }, { rendererUrl: string }>({
  labOptions: [{}, { option: true }],
  rendererUrl: [
    async ({}, use) => {
      const { url, server } = await serveDir(resolve('out/renderer'));
      await use(url);
      server.close();
    },
    { scope: 'worker' },
  ],
  harness: async ({ page, rendererUrl, labOptions }, use) => {
    let chain: Promise<unknown> = Promise.resolve();
    const events: LabEvent[] = [];
    const harness: LabHarness = {
      lab: undefined as unknown as Lab,
      events,
      nextDataset: null,
      nextSavePath: null,
      nextOpenPath: null,
      savePrompts: [],
      reload: async () => {
        await page.reload();
      },
      shot: async (name) => {
        await page.screenshot({ path: resolve('e2e/screenshots', `${name}.png`), fullPage: true });
      },
    };
    harness.lab = createLab(
      {
        launcher: nodeLauncher,
        emit: (event) => {
          events.push(event);
          const wire = encode(event);
          chain = chain.then(() => page.evaluate((e) => (window as unknown as { __labEmit?: (x: unknown) => void }).__labEmit?.(e), wire)).catch(() => {});
        },
        pickDatasetFiles: async () => harness.nextDataset,
        pickSavePath: async (req) => {
          harness.savePrompts.push({ title: req.title, defaultName: req.defaultName });
          return harness.nextSavePath;
        },
        pickOpenPath: async () => harness.nextOpenPath,
      },
      labOptions,
    );
    await page.exposeBinding('__labInvoke', async (_source, channel: unknown, payload: unknown) =>
      encode(await invokeService(harness.lab.services, channel, decode(payload))),
    );
    await page.addInitScript(installLabBridge, [...LAB_CHANNELS]);
    page.on('pageerror', (err) => console.error('page error:', err.message));
    await page.goto(rendererUrl);
    await use(harness);
    harness.lab.shutdown();
  },
});

export { expect };
