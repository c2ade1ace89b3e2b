// Is a precompiled bundle of scripts/build-cli.mjs (out/cli/<name>.mjs) usable?
// Only while no source file it was built from is newer than the build, so a
// bundle never runs code other than the sources. MOMENTUM_LAB_NO_BUNDLE=1
// always runs the sources through tsx.
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** file: URL of out/cli/<name>.mjs if present and fresh, else null. */
export function freshBundle(name) {
  if (process.env.MOMENTUM_LAB_NO_BUNDLE) return null;
  try {
    const dir = join(root, 'out', 'cli');
    const file = join(dir, `${name}.mjs`);
    const { built, inputs } = JSON.parse(readFileSync(join(dir, 'inputs.json'), 'utf8'));
    if (statSync(file).mtimeMs > built + 60_000) return null;
    for (const p of inputs) if (statSync(join(root, p)).mtimeMs > built) return null;
    return pathToFileURL(file).href;
  } catch {
    return null;
  }
}
