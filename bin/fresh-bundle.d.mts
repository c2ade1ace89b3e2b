/** file: URL of out/cli/<name>.mjs if present and no source it was built from is newer, else null. */
export function freshBundle(name: string): string | null;
