#!/usr/bin/env node
// Momentum Lab's headless command line. It runs the TypeScript sources
// through tsx, so the CLI uses exactly the services and workers the app uses;
// when `npm run build:cli` has precompiled those same sources into out/cli/
// and none changed since, it runs that bundle instead (faster start-up).
//
// First the light prestart module forks the worker the command will need, so
// that process boots on the other core while the rest of the CLI loads; the
// command's launch then takes it (src-main/workers/node-launcher.ts).
import { freshBundles } from './fresh-bundle.mjs';

const argv = process.argv.slice(2);
const bundled = freshBundles(['prestart', 'cli']);
let main;
if (bundled) {
  const [prestart, cli] = bundled;
  (await import(prestart)).prestartFor(argv);
  ({ main } = await import(cli));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  (await import('../src-main/cli/prestart.ts')).prestartFor(argv);
  ({ main } = await import('../src-main/cli/main.ts'));
}
process.exitCode = await main(argv);
