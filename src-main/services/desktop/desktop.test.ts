import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { invokeService } from '../invoke';
import { DatasetService } from '../training/datasets';
import { createDesktopServices, memoryDesktopState } from './desktop';
import type { RunManager } from '../training/run-manager';
import type { CommandState } from '../../../src-core/contracts/api-desktop';
import { idxBytes } from '../../../src-core/node/idx-test-helpers';

const quad = () => [
  { name: 'train-images-idx3-ubyte', bytes: idxBytes([40, 28, 28], (i) => i % 256) },
  { name: 'train-labels-idx1-ubyte', bytes: idxBytes([40], (i) => i % 10) },
  { name: 't10k-images-idx3-ubyte', bytes: idxBytes([10, 28, 28], (i) => (i * 7) % 256) },
  { name: 't10k-labels-idx1-ubyte', bytes: idxBytes([10], (i) => i % 10) },
];

function setup(active: string[] = []) {
  const datasets = new DatasetService();
  const runs = { activeRunIds: () => active } as unknown as RunManager;
  const store = memoryDesktopState();
  const shown: CommandState[] = [];
  const services = createDesktopServices(datasets, runs, {
    store,
    dropDir: mkdtempSync(join(tmpdir(), 'mlab-desktop-')),
    showCommandState: (state) => shown.push(state),
  });
  return { datasets, services, store, shown };
}

describe('the desktop services', () => {
  it('open four dropped IDX files as the dataset the lab trains on', async () => {
    const { datasets, services } = setup();
    const info = await services.openDatasetFromBytes({ files: quad() });
    expect(info).toMatchObject({ source: 'files', trainCount: 40, testCount: 10, rows: 28, cols: 28 });
    expect(datasets.info().id).toBe(info.id);
  });

  it('refuse a drop while a run trains, and keep the dataset', async () => {
    const { datasets, services } = setup(['run-1']);
    const before = datasets.files;
    await expect(services.openDatasetFromBytes({ files: quad() })).rejects.toMatchObject({ code: 'busy' });
    expect(datasets.files).toBe(before);
  });

  it('refuse payloads that are not four files of bytes, with the field named', async () => {
    const { services } = setup();
    const three = await invokeService(services as never, 'openDatasetFromBytes', { files: quad().slice(0, 3) });
    expect(three).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(!three.ok && three.error.message).toMatch(/openDatasetFromBytes: files: drop exactly four IDX files/);
    const text = await invokeService(services as never, 'openDatasetFromBytes', {
      files: quad().map((f) => ({ ...f, bytes: 'AAAA' })),
    });
    expect(!text.ok && text.error.message).toMatch(/bytes: must be bytes/);
  });

  it('say so when session import is not wired', async () => {
    const { services } = setup();
    await expect(services.importSessionFromBytes({ name: 'a.mlab', bytes: new Uint8Array([1]) })).rejects.toThrow(
      'session import is not available yet',
    );
  });

  it('remember the view shown, and only views the app has', async () => {
    const { services } = setup();
    expect(await services.desktopState()).toEqual({ lastView: null });
    await services.rememberView('compare');
    expect(await services.desktopState()).toEqual({ lastView: 'compare' });
    await expect(services.rememberView('settings')).rejects.toMatchObject({ code: 'invalid-input' });
  });

  it('pass on which commands are enabled, and refuse unknown commands or non-boolean values', async () => {
    const { services, shown } = setup();
    await services.publishCommandState({ 'run.train': false, 'run.cancel': true, 'view.show:studies': true });
    expect(shown).toEqual([{ 'run.train': false, 'run.cancel': true, 'view.show:studies': true }]);
    for (const bad of [
      { 'run.launch': true },
      { 'view.show:settings': false },
      { 'run.train': 'no' },
      { 'session.open-recent': false },
      null,
      ['run.train'],
    ]) {
      const r = await invokeService(services as never, 'publishCommandState', bad);
      expect(r, JSON.stringify(bad)).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
      expect(!r.ok && r.error.message).toMatch(/^publishCommandState/);
    }
    expect(shown).toHaveLength(1);
  });
});
