#!/usr/bin/env node
// Builds the native first-layer kernels (native/kernels.c, a Node-API addon) with node-gyp, as npm's postinstall.
// They are optional: where no C compiler or Node headers are found the build fails, this prints why and exits 0,
// and the lab runs its WebAssembly kernels (the same numbers, more slowly). MOMENTUM_KERNELS=wasm skips the build.
//   node scripts/build-native.mjs
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (process.env.MOMENTUM_KERNELS === 'wasm') {
  console.log('native kernels: skipped (MOMENTUM_KERNELS=wasm)');
  process.exit(0);
}
// npm hands its own node-gyp to lifecycle scripts; otherwise the one in node_modules.
let gyp = process.env.npm_config_node_gyp;
if (!gyp) {
  try {
    gyp = createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js');
  } catch {
    gyp = undefined;
  }
}
if (!gyp) {
  console.warn('native kernels: not built (node-gyp not found); the WebAssembly kernels will run');
  process.exit(0);
}
const r = spawnSync(process.execPath, [gyp, 'rebuild'], {
  cwd: join(root, 'native'),
  stdio: ['ignore', 'pipe', 'pipe'],
});
if (r.status === 0) console.log('native kernels: built (native/build/Release/momentum_kernels.node)');
else {
  const why = `${r.stderr ?? ''}`
    .split('\n')
    .filter((l) => /error|ERR!/i.test(l))
    .slice(0, 6)
    .join('\n');
  console.warn(`native kernels: not built; the WebAssembly kernels will run (the same numbers, more slowly)\n${why}`);
}
