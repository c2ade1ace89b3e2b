#!/usr/bin/env node
// Precompiles the CLI and its worker entries with esbuild into out/cli/
// (cli.mjs, trainer-worker.mjs, simulator-worker.mjs) so a run skips tsx's
// start-up (its module hooks cost about a second per process on a busy
// 2-core machine). The bundles are the same sources: every module keeps its
// own import.meta.url (rewritten to the source file's URL); the one change is
// that the bundled node launcher forks the bundled worker entries without the
// tsx loader. bin/momentum-lab.mjs uses the bundle only while no input file is
// newer than it (out/cli/inputs.json, checked by bin/fresh-bundle.mjs);
// otherwise it runs the sources through tsx as before.
//   node scripts/build-cli.mjs
import { readFile, writeFile, mkdir, stat } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'out', 'cli');

/** Every .ts module sees its own source location as import.meta.url, exactly as under tsx. */
const keepModuleUrl = {
  name: 'keep-module-url',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      let text = await readFile(args.path, 'utf8');
      if (args.path.endsWith(join('src-main', 'workers', 'node-launcher.ts'))) text = forkBundledWorkers(text);
      return { contents: text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)), loader: 'ts' };
    });
  },
};

/** The bundled launcher forks out/cli/<name>-worker.mjs with no tsx loader; fails the build if the launcher's fork call changed shape. */
function forkBundledWorkers(text) {
  const call = "fork(entryPath(name), [], {\n    serialization: 'advanced',\n    execArgv: ['--import', tsxLoaderUrl()],";
  if (!text.includes(call)) throw new Error('build-cli: src-main/workers/node-launcher.ts no longer forks as expected; update forkBundledWorkers()');
  // import.meta.dirname (not rewritten) is the bundle's own folder, out/cli.
  return text.replace(call, `fork(join(import.meta.dirname, \`\${name}-worker.mjs\`), [], {\n    serialization: 'advanced',\n    execArgv: [],`);
}

export async function buildCli() {
  await mkdir(outdir, { recursive: true });
  const result = await build({
    entryPoints: {
      cli: join(root, 'src-main/cli/main.ts'),
      'trainer-worker': join(root, 'src-main/workers/trainer-entry.ts'),
      'simulator-worker': join(root, 'src-main/workers/simulator-entry.ts'),
    },
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    metafile: true,
    logLevel: 'warning',
    plugins: [keepModuleUrl],
  });
  const inputs = Object.keys(result.metafile.inputs).map((p) => relative(root, join(root, p)));
  const built = Date.now();
  await writeFile(join(outdir, 'inputs.json'), JSON.stringify({ built, inputs }, null, 1) + '\n');
  let newest = 0;
  for (const p of inputs) newest = Math.max(newest, (await stat(join(root, p))).mtimeMs);
  return { outdir, inputs: inputs.length, newest };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const r = await buildCli();
  console.log(`bundled ${r.inputs} source files into ${relative(root, r.outdir)}/`);
}
