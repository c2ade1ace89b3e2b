import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

// Where a program that runs apart (a worker process, or a worker thread) is,
// and how Node must start it. One rule for every host: the entry sits beside
// the module that starts it, in the same form.
//   - From the sources (tsx, vitest, Playwright): `<dir>/<name>-entry.ts`,
//     started through tsx (a process: its loader in execArgv; a thread: tsx's
//     tsImport, since a loader given to a worker thread's execArgv is not
//     applied to the thread in Node 20).
//   - From a bundle (out/cli by scripts/build-cli.mjs, out/main by
//     electron-vite): `<dir>/<name>-worker.mjs|.js`, plain JavaScript, no loader.
// `beside` is the starting module's own path, `import.meta.filename`: the real
// file that runs (a bundle keeps it; scripts/build-cli.mjs rewrites only
// import.meta.url). The starting module must therefore sit in its bundle's
// top folder: a worker entry (an entry point is never moved into a chunk), or
// a module of the CLI bundle (whose chunks sit beside its entries).

export interface EntryFile {
  /** Absolute path of the entry to run. */
  file: string;
  /** True: a TypeScript source, to be run through tsx; false: bundled JavaScript. */
  source: boolean;
}

/** The entry of `name` (e.g. 'trainer', 'eval-thread') beside the module at `beside` (its import.meta.filename). */
export function entryFile(name: string, beside: string): EntryFile {
  const dir = dirname(beside);
  const ext = extname(beside);
  if (ext === '.ts') return { file: join(dir, `${name}-entry.ts`), source: true };
  return { file: join(dir, `${name}-worker${ext}`), source: false };
}

function tsxFile(relative: string): string {
  const require = createRequire(import.meta.url);
  const file = join(dirname(require.resolve('tsx/package.json')), 'dist', relative);
  if (!existsSync(file)) throw new Error(`tsx not found at ${file}; run npm install`);
  return file;
}

/** execArgv that lets a forked Node process run the entry (tsx's loader for a source). */
export function processExecArgv(entry: EntryFile): string[] {
  return entry.source ? ['--import', pathToFileURL(tsxFile('loader.mjs')).href] : [];
}

/**
 * What to give `new Worker(...)` to run the entry as a thread: the file itself, or for a source a two-line ES module
 * (eval) that imports it through tsx's tsImport.
 */
export function threadScript(entry: EntryFile): { script: string; eval: boolean } {
  if (!entry.source) return { script: entry.file, eval: false };
  const api = pathToFileURL(tsxFile(join('esm', 'api', 'index.mjs'))).href;
  const file = pathToFileURL(entry.file).href;
  return {
    script:
      `import(${JSON.stringify(api)})` +
      `.then((tsx) => tsx.tsImport(${JSON.stringify(file)}, ${JSON.stringify(file)}));`,
    eval: true,
  };
}
