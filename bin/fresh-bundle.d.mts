/** file: URLs of out/cli/<name>.mjs for each name, checked together; null when the build is stale, incomplete or lacks one of them. */
export function freshBundles(names: readonly string[]): string[] | null;
/** file: URL of out/cli/<name>.mjs if present and no source it was built from is newer, else null. */
export function freshBundle(name: string): string | null;
