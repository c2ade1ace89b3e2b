import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Three builds: the main process (with the worker entries as extra inputs, so
// utilityProcess.fork finds them next to index.js), the sandboxed preload
// (CommonJS, as a sandboxed renderer requires), and the Svelte renderer.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve('src-main/index.ts'),
          'trainer-worker': resolve('src-main/workers/trainer-entry.ts'),
          'simulator-worker': resolve('src-main/workers/simulator-entry.ts'),
          // The trainer's evaluation thread (src-core/node/eval-thread.ts starts it beside trainer-worker.js).
          'eval-thread-worker': resolve('src-main/workers/eval-thread-entry.ts'),
          // The trainer's step thread (src-core/node/step-thread.ts starts it beside trainer-worker.js).
          'step-thread-worker': resolve('src-main/workers/step-thread-entry.ts'),
        },
        // @resvg/resvg-js loads a prebuilt native module (the figures' PNG rasteriser): required at run time, never bundled.
        external: ['better-sqlite3', 'electron', '@resvg/resvg-js'],
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve('src-main/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src-renderer',
    build: {
      outDir: resolve('out/renderer'),
      // index.html for Electron; browser.html for `momentum-lab serve` (window.lab over a WebSocket).
      rollupOptions: {
        input: { index: resolve('src-renderer/index.html'), browser: resolve('src-renderer/browser.html') },
      },
    },
    plugins: [svelte({ configFile: resolve('svelte.config.js') })],
  },
});
