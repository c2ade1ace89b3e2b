import { test as base, expect } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CommandState } from '../src-core/contracts/api-desktop';
import type { LabEvent } from '../src-core/contracts/lab-api';
import type { DatasetFiles } from '../src-core/contracts/train-protocol';
import { startLabServer, type LabServer } from '../src-main/server/lab-server';
import type { Lab, LabOptions } from '../src-main/services/services';
import { nodeLauncher } from '../src-main/workers/node-launcher';
import { lateStartLauncher } from '../src-main/workers/late-start-launcher';

// The e2e harness: the built renderer in Debian's Chromium, talking to the
// real lab server (`momentum-lab serve`'s server, in this process) over its
// real transport: the page is opened at the URL with the token, its
// window.lab is the browser bridge over the WebSocket (devalue codec, cookie
// auth, Host/Origin checks), and events reach it as the server sends them.
// The one test seam: the server's file pickers are answered from here
// (nextDataset, nextSavePath, nextOpenPath) unless a test sets
// `browserFiles: true`, which gives the product's upload/download mode.

export interface LabHarness {
  /** The services behind the server; assign a new Lab to restart the lab under the open page. */
  lab: Lab;
  /** The server (its URL with the token: server.tokenUrl). */
  server: LabServer;
  /** Every event pushed to the page(s) so far. */
  events: LabEvent[];
  /** Each enabled state of the commands the page published (the desktop menu greys out from it), oldest first. */
  commandStates: CommandState[];
  /** What the next "Open dataset…" picks (null: the user cancels). */
  nextDataset: DatasetFiles | null;
  /** What the next save dialog answers (null: the user cancels); every answer is recorded in savePrompts. */
  nextSavePath: string | null;
  /** What the next open dialog answers (session import). */
  nextOpenPath: string | null;
  savePrompts: { title: string; defaultName: string }[];
  /** Push an event to every open tab through the server, as the desktop menu sends commands. */
  emit(event: LabEvent): void;
  /** Reload the page (the services and their state stay, like a renderer reload in the app). */
  reload(): Promise<void>;
  /** Save a screenshot under e2e/screenshots/NAME.png. */
  shot(name: string): Promise<void>;
}

export const test = base.extend<{
  harness: LabHarness;
  labOptions: LabOptions;
  browserFiles: boolean;
  /** > 0: worker requests reach the (real) workers this many ms late (lateStartLauncher). */
  workerDelayMs: number;
}>({
  labOptions: [{}, { option: true }],
  workerDelayMs: [0, { option: true }],
  browserFiles: [false, { option: true }],
  harness: async ({ page, labOptions, browserFiles, workerDelayMs }, use) => {
    const events: LabEvent[] = [];
    const commandStates: CommandState[] = [];
    const dataDir = mkdtempSync(join(tmpdir(), 'mlab-e2e-data-'));
    const answers = {
      nextDataset: null as DatasetFiles | null,
      nextSavePath: null as string | null,
      nextOpenPath: null as string | null,
      savePrompts: [] as { title: string; defaultName: string }[],
    };
    const server = await startLabServer({
      rendererDir: resolve('out/renderer'),
      dataDir,
      launcher: workerDelayMs > 0 ? lateStartLauncher(workerDelayMs) : nodeLauncher,
      labOptions,
      onEvent: (event) => events.push(event),
      onCommandState: (state) => commandStates.push(state),
      pickers: browserFiles
        ? undefined
        : {
            pickDatasetFiles: async () => harness.nextDataset,
            pickSavePath: async (req) => {
              harness.savePrompts.push({ title: req.title, defaultName: req.defaultName });
              return harness.nextSavePath;
            },
            pickOpenPath: async () => harness.nextOpenPath,
          },
    });
    const harness: LabHarness = {
      get lab() {
        return server.lab;
      },
      set lab(next: Lab) {
        server.lab = next;
      },
      server,
      events,
      commandStates,
      ...answers,
      emit: (event) => server.emit(event),
      reload: async () => {
        await page.reload();
      },
      shot: async (name) => {
        await page.screenshot({ path: resolve('e2e/screenshots', `${name}.png`), fullPage: true });
      },
    };
    page.on('pageerror', (err) => console.error('page error:', err.message));
    await page.goto(server.tokenUrl);
    await use(harness);
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  },
});

export { expect };
