// Is a precompiled bundle of scripts/build-cli.mjs (out/cli/<name>.mjs) usable?
// Only while no source file it was built from is newer than the build, every
// file of the build is still there, and each package compiled into it
// (node_modules/<pkg>) still has the version it was built from: npm gives
// installed files a fixed old mtime, so only the version reveals an upgrade.
// A bundle thus never runs code other than the sources and node_modules.
// MOMENTUM_LAB_NO_BUNDLE=1 always runs the sources through tsx.
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');

/** file: URLs of out/cli/<name>.mjs for each name, checked once together; null when the build is stale, incomplete or lacks one of them. */
export function freshBundles(names, root = repo) {
  if (process.env.MOMENTUM_LAB_NO_BUNDLE) return null;
  const dir = join(root, 'out', 'cli');
  try {
    const { built, inputs, outputs, packages = {} } = JSON.parse(readFileSync(join(dir, 'inputs.json'), 'utf8'));
    if (!names.every((n) => outputs.includes(`${n}.mjs`))) return null;
    for (const f of outputs) if (statSync(join(dir, f)).mtimeMs > built + 60_000) return null;
    for (const p of inputs) if (statSync(join(root, p)).mtimeMs > built) return null;
    for (const [name, version] of Object.entries(packages)) {
      if (JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version !== version)
        return null;
    }
    return names.map((n) => pathToFileURL(join(dir, `${n}.mjs`)).href);
  } catch {
    return null;
  }
}

/** file: URL of out/cli/<name>.mjs if present and fresh, else null. */
export function freshBundle(name) {
  return freshBundles([name])?.[0] ?? null;
}
