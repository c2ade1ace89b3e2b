#!/usr/bin/env node
// Momentum Lab's headless command line. It runs the TypeScript sources
// through tsx, so the CLI uses exactly the services and workers the app uses;
// when `npm run build:cli` has precompiled those same sources into out/cli/
// and none changed since, it runs that bundle instead (faster start-up).
import { freshBundle } from './fresh-bundle.mjs';

const bundled = freshBundle('cli');
let main;
if (bundled) {
  ({ main } = await import(bundled));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src-main/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
