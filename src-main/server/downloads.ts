import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import type { WireDownload } from '../../src-core/contracts/lab-wire';

// Exports in the browser: instead of a save dialog, the service writes into
// the lab's exports folder (a name that does not overwrite an earlier file),
// and the tab that asked fetches the file as a download by an unguessable id.

const plainName = (name: string) =>
  basename(name)
    .replace(/[^\p{L}\p{N} ._()@-]/gu, '_')
    .replace(/^\.+/, '_')
    .slice(0, 150) || 'export';

export class Downloads {
  readonly dir: string;
  readonly #byId = new Map<string, string>();
  readonly #reserved = new Set<string>();

  constructor(dir: string) {
    this.dir = dir;
  }

  /** A path in the exports folder for this name: "name.ext", else "name (2).ext", … (never an existing or reserved one). */
  reserve(defaultName: string): string {
    mkdirSync(this.dir, { recursive: true });
    const name = plainName(defaultName);
    const ext = extname(name);
    const stem = name.slice(0, name.length - ext.length);
    for (let n = 1; ; n++) {
      const path = join(this.dir, n === 1 ? name : `${stem} (${n})${ext}`);
      if (!existsSync(path) && !this.#reserved.has(path)) {
        this.#reserved.add(path);
        return path;
      }
    }
  }

  /** Offer a written file for download; answers the URL the tab fetches. */
  offer(path: string): WireDownload {
    const id = randomBytes(16).toString('hex');
    this.#byId.set(id, path);
    this.#reserved.delete(path);
    const name = basename(path);
    return { url: `/download/${id}/${encodeURIComponent(name)}`, name };
  }

  /** The file behind a download id, or null. */
  resolve(id: string): string | null {
    return this.#byId.get(id) ?? null;
  }
}
