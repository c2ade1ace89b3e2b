/**
 * file: URLs of out/cli/<name>.mjs for each name, checked together; null when
 * the build is stale, incomplete or lacks one of them. `root` is the
 * repository (default: the one this file is in).
 */
export function freshBundles(names: readonly string[], root?: string): string[] | null;
/** file: URL of out/cli/<name>.mjs if present and no source it was built from is newer, else null. */
export function freshBundle(name: string): string | null;
