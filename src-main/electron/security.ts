// Electron security settings as plain data and pure predicates, so tests can
// check them without starting Electron.

/** The origin the renderer is served from (a custom protocol, not file://). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'lab';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** webPreferences for every window of the lab (Electron's security checklist). */
function secureWebPreferences(preloadPath: string) {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    enableBlinkFeatures: undefined,
    webviewTag: false,
    spellcheck: false,
  } as const;
}

/** Is this URL the lab's own renderer (or the dev server it was started with)? Parsed, never prefix-matched. */
export function isAppUrl(raw: string, devServerUrl?: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST) return true;
  if (devServerUrl) {
    try {
      return url.origin === new URL(devServerUrl).origin;
    } catch {
      return false;
    }
  }
  return false;
}

/** External links the lab may open in the system browser. */
const EXTERNAL_ALLOWLIST = new Set(['github.com', 'www.electronjs.org', 'distill.pub', 'pytorch.org']);

export function isAllowedExternalUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return (
      url.protocol === 'https:' && EXTERNAL_ALLOWLIST.has(url.hostname) && url.username === '' && url.password === ''
    );
  } catch {
    return false;
  }
}

export interface WindowOptionsInput {
  /** Restored x, y, width, height (window-state.ts). */
  bounds: { x?: number; y?: number; width: number; height: number };
  minWidth: number;
  minHeight: number;
  preloadPath: string;
  /** Window icon (Linux only; other platforms take it from the bundle). */
  iconPath?: string;
}

/** Every option of the lab's BrowserWindow, as plain data (the window factory's whole input). */
export function windowOptions(input: WindowOptionsInput) {
  return {
    ...input.bounds,
    minWidth: input.minWidth,
    minHeight: input.minHeight,
    title: 'Momentum Lab',
    show: false,
    ...(input.iconPath ? { icon: input.iconPath } : {}),
    webPreferences: secureWebPreferences(input.preloadPath),
  };
}

/** Permission requests (camera, notifications, geolocation, ...): all denied. */
export function denyPermissionRequest(
  _webContents: unknown,
  _permission: string,
  callback: (granted: boolean) => void,
): void {
  callback(false);
}

/** Permission checks: all denied. */
export function denyPermissionCheck(): boolean {
  return false;
}

/** The part of a webContents the guards need (a fake in tests). */
export interface GuardedContents {
  on(
    event: 'will-navigate' | 'will-redirect' | 'will-attach-webview',
    listener: (event: { preventDefault(): void; url?: string }, url?: unknown) => void,
  ): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

/**
 * Navigation guards for every webContents: navigating away from the lab and
 * attaching a <webview> are refused; new windows are always denied, and an
 * allowlisted https link goes to the system browser instead.
 */
export function guardWebContents(
  contents: GuardedContents,
  openExternal: (url: string) => void,
  devServerUrl?: string,
): void {
  // Electron 45 puts the target on event.url (the second argument is deprecated).
  const refuseForeign = (event: { preventDefault(): void; url?: string }, url?: unknown) => {
    const target = typeof event.url === 'string' ? event.url : String(url);
    if (!isAppUrl(target, devServerUrl)) event.preventDefault();
  };
  contents.on('will-navigate', refuseForeign);
  contents.on('will-redirect', refuseForeign);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) openExternal(url);
    return { action: 'deny' };
  });
}
