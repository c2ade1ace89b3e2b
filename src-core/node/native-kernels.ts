import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useNativeKernels, type NativeKernels } from '../mlp/wasm/native-kernels';

// Loads the native first-layer kernels (native/kernels.c, built at install by scripts/build-native.mjs) and
// registers them for the WebAssembly kernel instances of this thread. Where the addon was not built (no compiler),
// or MOMENTUM_KERNELS=wasm asks for it, nothing is registered and the WebAssembly kernels run alone: the same
// numbers, bit for bit, more slowly.

const ADDON = join('native', 'build', 'Release', 'momentum_kernels.node');

/**
 * The addon's path: looked for from this file up (the sources, out/cli, out/main and its chunks sit two or three
 * levels below the project's root).
 */
function addonPath(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 5; up++) {
    const file = join(dir, ADDON);
    if (existsSync(file)) return file;
    dir = dirname(dir);
  }
  return null;
}

/** Why the native kernels are not in use, or null when they are (after useNativeKernelsIfBuilt). */
export let nativeKernelsAbsent: string | null = 'not loaded yet';

/** Loads and registers the native kernels if they were built and not turned off; returns them, or null. */
export function useNativeKernelsIfBuilt(env: Record<string, string | undefined> = process.env): NativeKernels | null {
  let kernels: NativeKernels | null = null;
  const file = addonPath();
  if (env.MOMENTUM_KERNELS === 'wasm') nativeKernelsAbsent = 'MOMENTUM_KERNELS=wasm';
  else if (!file) nativeKernelsAbsent = `${ADDON} was not built (npm install builds it where a C compiler is found)`;
  else {
    try {
      kernels = createRequire(import.meta.url)(file) as NativeKernels;
      nativeKernelsAbsent = null;
    } catch (err) {
      nativeKernelsAbsent = `${file} did not load: ${err instanceof Error ? err.message : String(err)}`;
    }
  }
  useNativeKernels(kernels);
  return kernels;
}
