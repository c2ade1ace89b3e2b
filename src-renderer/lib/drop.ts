// Files dropped on the window: four IDX files make a dataset, one session
// file (.mlab) is imported. Anything else is refused with a sentence saying
// what the lab accepts. The bytes are read here (a sandboxed page sees no
// paths) and validated in the main process.

export type DropPlan<F> =
  { kind: 'dataset'; files: F[] } | { kind: 'session'; file: F } | { kind: 'refuse'; message: string };

export const SESSION_EXTENSION = '.mlab';
const IDX_NAME = /idx[13]-ubyte(\.gz)?$|\.idx[13]?(\.gz)?$|ubyte(\.gz)?$/i;

export function planDrop<F extends { name: string }>(files: readonly F[]): DropPlan<F> {
  if (files.length === 0) return { kind: 'refuse', message: 'Nothing to open: drop files, not text or links.' };
  if (files.length === 1 && files[0].name.toLowerCase().endsWith(SESSION_EXTENSION))
    return { kind: 'session', file: files[0] };
  if (files.length === 4) return { kind: 'dataset', files: [...files] };
  const idx = files.filter((f) => IDX_NAME.test(f.name)).length;
  if (idx > 0)
    return {
      kind: 'refuse',
      message: `Drop all four IDX files at once (training and test images and labels); got ${files.length}.`,
    };
  return {
    kind: 'refuse',
    message: `Momentum Lab opens a session file (${SESSION_EXTENSION}) or four IDX files (a dataset); ${files.map((f) => f.name).join(', ')} is neither.`,
  };
}

/** Read dropped File objects as bytes, refusing very large ones before reading. */
export async function readDropped(
  files: readonly File[],
  maxBytes: number,
): Promise<{ name: string; bytes: Uint8Array }[]> {
  for (const f of files) {
    if (f.size > maxBytes)
      throw new Error(
        `${f.name} is ${(f.size / 1e6).toFixed(0)} MB; the lab opens files up to ${(maxBytes / 1e6).toFixed(0)} MB`,
      );
  }
  return Promise.all(files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
}
