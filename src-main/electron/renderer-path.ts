import { join, normalize, sep } from 'node:path';
import { APP_HOST } from './security';

/**
 * The file an app://lab/... request may read: inside rendererDir, or null
 * (another host, a path that climbs out, a malformed escape, a NUL byte).
 * Pure, so the path rules are tested without Electron.
 */
export function rendererPath(rendererDir: string, requestUrl: string): string | null {
  const root = normalize(rendererDir);
  let url: URL;
  let pathname: string;
  try {
    url = new URL(requestUrl);
    pathname = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
  } catch {
    return null;
  }
  if (url.host !== APP_HOST || pathname.includes('\0')) return null;
  const path = normalize(join(root, pathname));
  // Inside the folder, and a file name (not the folder or a sub-folder with a trailing separator).
  return path.startsWith(root + sep) && !path.endsWith(sep) ? path : null;
}
